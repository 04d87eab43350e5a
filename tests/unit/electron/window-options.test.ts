// The window's webPreferences, item by item against the Electron security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security).
import { describe, expect, it } from 'vitest';
import { mainWindowOptions, webPreferencesFor } from '../../../electron/main/window-options.js';

const prefs = webPreferencesFor({ preload: '/app/dist/electron/preload.cjs', devTools: false });

describe('window webPreferences against the security checklist', () => {
  it.each([
    ['2. no Node.js integration', 'nodeIntegration', false],
    ['2. no Node.js in workers', 'nodeIntegrationInWorker', false],
    ['2. no Node.js in subframes', 'nodeIntegrationInSubFrames', false],
    ['3. context isolation', 'contextIsolation', true],
    ['4. process sandboxing', 'sandbox', true],
    ['6. webSecurity stays on', 'webSecurity', true],
    ['8. no insecure content', 'allowRunningInsecureContent', false],
    ['9. no experimental features', 'experimentalFeatures', false],
    ['11/12. no <webview>', 'webviewTag', false],
    ['spellcheck off (it downloads dictionaries outside the tunnel)', 'spellcheck', false],
    ['no drag-and-drop navigation', 'navigateOnDragDrop', false],
    ['no plugins', 'plugins', false],
    ['safe dialogs', 'safeDialogs', true],
  ] as const)('%s', (_item, key, expected) => {
    expect(prefs[key]).toBe(expected);
  });

  it('10. never enables Blink features, and disables Auxclick (middle-click new windows)', () => {
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
  });

  it('loads only the given preload, and DevTools only when asked (development)', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
    expect(prefs.devTools).toBe(false);
    expect(webPreferencesFor({ preload: '/p.cjs', devTools: true }).devTools).toBe(true);
  });

  it('sets no option outside the reviewed list', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'devTools',
        'disableBlinkFeatures',
        'enableWebSQL',
        'experimentalFeatures',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'plugins',
        'preload',
        'safeDialogs',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });

  it('the window starts hidden (shown on ready-to-show, or never with --hidden) and carries the same preferences', () => {
    const options = mainWindowOptions({ preload: '/p.cjs', devTools: false, icon: '/i.png' });
    expect(options.show).toBe(false);
    expect(options.icon).toBe('/i.png');
    expect(options.webPreferences).toEqual(webPreferencesFor({ preload: '/p.cjs', devTools: false }));
  });
});
