import { describe, expect, it } from 'vitest';
import { PRODUCTION_RENDERER, type RendererLocation } from '../../../electron/main/app-url.js';
import { privacyFacts } from '../../../app/measure/facts.js';
import {
  decidePermissionCheck,
  factSourceHosts,
  decidePermissionRequest,
  decideWindowOpen,
  ExternalOpenGate,
  isAllowedExternalUrl,
  isNavigationAllowed,
  isSessionRequestAllowed,
} from '../../../electron/main/navigation.js';

const dev: RendererLocation = { url: 'http://127.0.0.1:5173/', origin: 'http://127.0.0.1:5173', dev: true };

describe('navigation (checklist 13)', () => {
  it('allows pages of the app only', () => {
    expect(isNavigationAllowed('app://burrow/index.html', PRODUCTION_RENDERER)).toBe(true);
    expect(isNavigationAllowed('app://burrow/index.html#/settings', PRODUCTION_RENDERER)).toBe(true);
    expect(isNavigationAllowed('http://127.0.0.1:5173/', dev)).toBe(true);
  });

  it.each([
    'https://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://burrow.example/index.html',
    'http://127.0.0.1:5174/',
    'devtools://devtools/bundled/inspector.html',
    '',
  ])('blocks %s', (url) => {
    expect(isNavigationAllowed(url, PRODUCTION_RENDERER)).toBe(false);
    expect(isNavigationAllowed(url, dev)).toBe(false);
  });
});

describe('new windows (checklist 14) and openExternal (checklist 15)', () => {
  it('never creates a window; an allowed https link goes to the browser', () => {
    expect(decideWindowOpen('https://bridges.torproject.org/options')).toEqual({ action: 'deny', openExternal: 'https://bridges.torproject.org/options' });
    expect(decideWindowOpen('app://burrow/index.html')).toEqual({ action: 'deny' });
    expect(decideWindowOpen('https://example.com/')).toEqual({ action: 'deny' });
  });

  it.each([
    'http://bridges.torproject.org/',
    'https://bridges.torproject.org.evil.example/',
    'https://evil.example/?https://bridges.torproject.org/',
    'https://user@bridges.torproject.org/',
    'https://bridges.torproject.org:8443/',
    'file:///etc/passwd',
    'smb://server/share',
    'javascript:alert(1)',
    'ms-msdt:/id',
    'https://sub.github.com/',
  ])('refuses to hand %s to the system', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('lets a link through at most once per interval', () => {
    let now = 10_000;
    const gate = new ExternalOpenGate(1500, () => now);
    expect(gate.tryPass('https://github.com/')).toBe(true);
    expect(gate.tryPass('https://github.com/')).toBe(false);
    now += 1500;
    expect(gate.tryPass('https://example.com/')).toBe(false);
    expect(gate.tryPass('https://github.com/')).toBe(true);
  });
});

describe('permissions (checklist 5)', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'display-capture', 'fullscreen', 'unknown'])(
    'denies %s, requested and checked, even from the app',
    (permission) => {
      expect(decidePermissionRequest(permission, 'app://burrow/index.html')).toBe(false);
      expect(decidePermissionCheck(permission, 'app://burrow')).toBe(false);
    },
  );
});

describe('requests leaving the session', () => {
  it('none in production', () => {
    expect(isSessionRequestAllowed('https://example.com/', PRODUCTION_RENDERER)).toBe(false);
    expect(isSessionRequestAllowed('http://127.0.0.1:5173/', PRODUCTION_RENDERER)).toBe(false);
  });

  it('only the dev server (and its HMR socket) in development', () => {
    expect(isSessionRequestAllowed('http://127.0.0.1:5173/src/main.tsx', dev)).toBe(true);
    expect(isSessionRequestAllowed('ws://127.0.0.1:5173/', dev)).toBe(true);
    expect(isSessionRequestAllowed('https://fonts.googleapis.com/css', dev)).toBe(false);
    expect(isSessionRequestAllowed('http://127.0.0.1:8080/', dev)).toBe(false);
  });
});

describe('links on the Compare page (issue 18)', () => {
  it('every source cited in privacy-facts.json may be opened in the browser', () => {
    const sources = [...JSON.stringify(privacyFacts()).matchAll(/"source":"(https:[^"]+)"/g)].map((match) => match[1] ?? '');
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources) expect(isAllowedExternalUrl(source), source).toBe(true);
    // The hosts that were missing before, by name.
    for (const host of ['nym.com', 'mullvad.net', 'docs.mysterium.network', 'metrics.torproject.org', 'spec.torproject.org']) {
      expect(factSourceHosts()).toContain(host);
    }
  });

  it('stays an exact-host list: a subdomain of a cited host is not allowed', () => {
    expect(isAllowedExternalUrl('https://evil.mullvad.net/')).toBe(false);
    expect(isAllowedExternalUrl('https://nym.com.evil.example/')).toBe(false);
  });
});
