// The main window's options, the security-relevant ones spelled out even where Electron's default is
// already safe, so a test can hold each to the Electron security checklist and a future Electron default
// change cannot loosen them silently.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of dist/electron/preload.cjs. */
  readonly preload: string;
  /** DevTools only in development; a packaged build has no console into the renderer. */
  readonly devTools: boolean;
  /** Window icon (PNG), where the platform shows one. */
  readonly icon?: string;
}

export function webPreferencesFor(input: Pick<WindowOptionsInput, 'preload' | 'devTools'>): WebPreferences {
  return {
    preload: input.preload,
    // Checklist 4: the renderer process runs in Chromium's sandbox; the preload can only require 'electron'.
    sandbox: true,
    // Checklist 3: the preload's world and the page's world share nothing but what contextBridge exposes.
    contextIsolation: true,
    // Checklist 2: no Node in the page, its workers or its subframes.
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    // Checklist 6 and 8: same-origin policy on, no http content inside an https/app page.
    webSecurity: true,
    allowRunningInsecureContent: false,
    // Checklist 9 and 10: no experimental Chromium features (enableBlinkFeatures is never set).
    experimentalFeatures: false,
    // Checklist 11 and 12: no <webview> at all.
    webviewTag: false,
    // Middle-click would open links in new windows behind the window-open handler's back.
    disableBlinkFeatures: 'Auxclick',
    // Spellcheck downloads dictionaries from Google's CDN: a request outside the tunnel.
    spellcheck: false,
    // A dropped file or link must not replace the app with arbitrary content.
    navigateOnDragDrop: false,
    // A runaway page cannot lock the person out with endless alert() loops.
    safeDialogs: true,
    enableWebSQL: false,
    plugins: false,
    devTools: input.devTools,
  };
}

export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Burrow',
    width: 1120,
    height: 760,
    minWidth: 760,
    minHeight: 520,
    // Shown on ready-to-show (no white flash), or never when started --hidden into the tray.
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#121212',
    ...(input.icon === undefined ? {} : { icon: input.icon }),
    webPreferences: webPreferencesFor(input),
  };
}
