// Applies the pure policies to Electron objects: the session (permissions, CSP header, outgoing requests,
// downloads) and every webContents (navigation, redirects, new windows, <webview>). Electron is only a
// type here; index.ts passes the real objects in.
import type { Event as ElectronEvent, Session, WebContents } from 'electron';
import { isAppUrl, PRODUCTION_RENDERER, type RendererLocation } from './app-url.js';
import { rendererCsp, withCspHeader } from './csp.js';
import {
  decidePermissionCheck,
  decidePermissionRequest,
  decideWindowOpen,
  isNavigationAllowed,
  isSessionRequestAllowed,
  type ExternalOpenGate,
} from './navigation.js';

export interface SecurityLog {
  warn(message: string): void;
}

export function hardenSession(session: Session, location: RendererLocation, log: SecurityLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = decidePermissionRequest(permission, details.requestingUrl);
    if (!granted) log.warn(`Refused the renderer's request for the ${permission} permission.`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermissionCheck(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);

  // Pages served by our app: protocol carry their CSP (with a per-load nonce) from the protocol handler;
  // anything else that loads in this session (the dev server) gets the policy forced onto its headers.
  const devCsp = rendererCsp(location.dev ? { devOrigin: location.origin } : {});
  session.webRequest.onHeadersReceived((details, callback) => {
    if (isAppUrl(details.url, PRODUCTION_RENDERER)) {
      callback({});
      return;
    }
    callback({ responseHeaders: withCspHeader(details.responseHeaders ?? {}, devCsp) });
  });

  // The UI gets everything over IPC: no http(s)/ws request leaves this session except to the dev server.
  session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    const allowed = isSessionRequestAllowed(details.url, location);
    if (!allowed) log.warn(`Blocked a request from the window to ${safeOrigin(details.url)}.`);
    callback({ cancel: !allowed });
  });

  session.on('will-download', (event) => {
    event.preventDefault();
    log.warn('Refused a download started by the window.');
  });
}

export interface ContentsPolicy {
  readonly location: RendererLocation;
  readonly gate: ExternalOpenGate;
  readonly openExternal: (url: string) => Promise<void>;
  readonly log: SecurityLog;
}

export function hardenWebContents(contents: WebContents, policy: ContentsPolicy): void {
  const blockUnlessApp = (event: ElectronEvent, url: string, what: string): void => {
    if (isNavigationAllowed(url, policy.location)) return;
    event.preventDefault();
    policy.log.warn(`Blocked ${what} to ${safeOrigin(url)}.`);
  };
  contents.on('will-navigate', (event) => blockUnlessApp(event, event.url, 'a navigation'));
  contents.on('will-frame-navigate', (event) => blockUnlessApp(event, event.url, 'a frame navigation'));
  contents.on('will-redirect', (event) => blockUnlessApp(event, event.url, 'a redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    policy.log.warn('Refused to attach a <webview>.');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternal !== undefined && policy.gate.tryPass(decision.openExternal)) {
      policy.openExternal(decision.openExternal).catch(() => policy.log.warn('The system browser did not open the link.'));
    } else {
      policy.log.warn(`Refused to open a window for ${safeOrigin(url)}.`);
    }
    return { action: 'deny' };
  });
}

/** Only the origin goes to the log: a full URL could carry a token or a secret in its query. */
function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an invalid URL';
  }
}
