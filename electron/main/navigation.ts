// Pure policies for what the window may do beyond showing the app (Electron security checklist items
// 5, 13, 14 and 15): navigate only within the app, never open windows, never grant a permission, and hand
// a link to the system browser only when it is https to a host we list, at most once in a while.
import { privacyFacts } from '../../app/measure/facts.js';
import { isAppUrl, originOf, type RendererLocation } from './app-url.js';

/** will-navigate / will-redirect / will-frame-navigate: allowed only to another page of the app itself. */
export function isNavigationAllowed(url: string, location: RendererLocation): boolean {
  return isAppUrl(url, location);
}

/** Hosts of the https sources the Compare page links to (resources/compare/privacy-facts.json). */
export function factSourceHosts(facts = privacyFacts()): string[] {
  const hosts = new Set<string>();
  for (const network of facts.networks) {
    for (const cell of Object.values(network.cells)) {
      if (cell.source !== undefined) hosts.add(new URL(cell.source).hostname.toLowerCase());
    }
  }
  return [...hosts].sort();
}

/**
 * Hosts a link in the UI may open in the person's browser: the docs they need to act on an error (Tor
 * bridges, the GNOME tray extension), the networks' own sites, and every source the Compare page cites
 * (derived, so a new source in privacy-facts.json is never a link that silently does nothing). Exact host
 * match, no subdomains.
 */
export const EXTERNAL_HOST_ALLOWLIST: readonly string[] = [
  ...new Set([
    'bridges.torproject.org',
    'support.torproject.org',
    'www.torproject.org',
    'nymtech.net',
    'www.wireguard.com',
    'mysterium.network',
    'extensions.gnome.org',
    'github.com',
    ...factSourceHosts(),
  ]),
];

export function isAllowedExternalUrl(url: string, allowlist: readonly string[] = EXTERNAL_HOST_ALLOWLIST): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  if (originOf(url) === null) return false; // credentials in the URL disguise the host
  if (parsed.port !== '') return false;
  return allowlist.includes(parsed.hostname.toLowerCase());
}

export type WindowOpenDecision = { action: 'deny'; openExternal?: string };

/**
 * setWindowOpenHandler: a new Electron window is never created. A link with target=_blank to an allowed
 * https host goes to the system browser instead; everything else is dropped.
 */
export function decideWindowOpen(url: string, allowlist: readonly string[] = EXTERNAL_HOST_ALLOWLIST): WindowOpenDecision {
  return isAllowedExternalUrl(url, allowlist) ? { action: 'deny', openExternal: url } : { action: 'deny' };
}

/**
 * Electron gives setWindowOpenHandler no user-gesture flag, so "only after a click" is approximated: a
 * page may hand one URL to the browser per `minIntervalMs`. A compromised renderer cannot turn Burrow into
 * a browser-tab cannon, and a person clicking links notices nothing.
 */
export class ExternalOpenGate {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly minIntervalMs = 1500,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when this call may open the URL now (and records it). */
  tryPass(url: string, allowlist: readonly string[] = EXTERNAL_HOST_ALLOWLIST): boolean {
    if (!isAllowedExternalUrl(url, allowlist)) return false;
    const t = this.now();
    if (t - this.last < this.minIntervalMs) return false;
    this.last = t;
    return true;
  }
}

/**
 * Permission requests (camera, notifications, geolocation, clipboard-read, openExternal, …): the renderer
 * needs none of them. Burrow's own notifications come from the main process, not the web Notification API.
 */
export function decidePermissionRequest(_permission: string, _requestingUrl: string): boolean {
  return false;
}

/** Permission checks (navigator.permissions.query, device enumeration): same answer, always no. */
export function decidePermissionCheck(_permission: string, _requestingOrigin: string): boolean {
  return false;
}

/**
 * Outgoing requests from the session (webRequest.onBeforeRequest, http/https/ws/wss only): the bundled
 * renderer makes none; only the dev server's own origin is allowed when it serves the renderer. A privacy
 * app must not let its own UI reach the internet around the tunnel.
 */
export function isSessionRequestAllowed(url: string, location: RendererLocation): boolean {
  if (!location.dev) return false;
  const origin = originOf(url);
  if (origin === null) return false;
  return origin === location.origin || origin === location.origin.replace(/^http/, 'ws');
}
