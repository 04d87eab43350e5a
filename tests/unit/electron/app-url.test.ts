import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appResponse, APP_SCHEME_PRIVILEGES } from '../../../electron/main/app-protocol.js';
import {
  APP_ENTRY_URL,
  isAppUrl,
  originOf,
  PRODUCTION_RENDERER,
  resolveAppAsset,
  resolveRendererLocation,
} from '../../../electron/main/app-url.js';
import { NONCE_PLACEHOLDER } from '../../../electron/main/csp.js';

describe('renderer location', () => {
  it('is the bundled renderer on app://burrow by default', () => {
    expect(resolveRendererLocation({}, false)).toEqual({ location: PRODUCTION_RENDERER });
    expect(PRODUCTION_RENDERER.url).toBe('app://burrow/index.html');
  });

  it.each(['http://127.0.0.1:5173/', 'http://localhost:5173/', 'http://[::1]:5173/'])('honours BURROW_RENDERER_URL=%s in development', (url) => {
    const { location, warning } = resolveRendererLocation({ BURROW_RENDERER_URL: url }, false);
    expect(warning).toBeUndefined();
    expect(location).toEqual({ url, origin: url.replace(/\/$/, ''), dev: true });
  });

  it.each([
    'https://127.0.0.1:5173/',
    'http://evil.example:5173/',
    'http://127.0.0.1.evil.example/',
    'http://user:pw@127.0.0.1:5173/',
    'file:///tmp/index.html',
    'javascript:alert(1)',
    'not a url',
  ])('refuses BURROW_RENDERER_URL=%s', (url) => {
    const { location, warning } = resolveRendererLocation({ BURROW_RENDERER_URL: url }, false);
    expect(location).toBe(PRODUCTION_RENDERER);
    expect(warning).toBeDefined();
  });

  it('ignores BURROW_RENDERER_URL in a packaged build', () => {
    expect(resolveRendererLocation({ BURROW_RENDERER_URL: 'http://127.0.0.1:5173/' }, true).location).toBe(PRODUCTION_RENDERER);
  });
});

describe('app URLs', () => {
  it('compares origins by scheme, host and port (Node says "null" for app:)', () => {
    expect(originOf('app://burrow/index.html#/leaks')).toBe('app://burrow');
    expect(isAppUrl('app://burrow/assets/x.js', PRODUCTION_RENDERER)).toBe(true);
    expect(isAppUrl('app://burrow.evil/index.html', PRODUCTION_RENDERER)).toBe(false);
    expect(isAppUrl('app://x@burrow/index.html', PRODUCTION_RENDERER)).toBe(false);
    expect(isAppUrl('file:///work/dist/renderer/index.html', PRODUCTION_RENDERER)).toBe(false);
    expect(isAppUrl('https://burrow/index.html', PRODUCTION_RENDERER)).toBe(false);
  });

  it('registers the scheme as standard and secure, like https', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });
});

describe('serving dist/renderer', () => {
  const root = mkdtempSync(join(tmpdir(), 'burrow-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), `<html><head><meta property="csp-nonce" nonce="${NONCE_PLACEHOLDER}"></head></html>`);
  writeFileSync(join(root, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(root, '..', 'secret.txt'), 'secret');

  it('maps paths inside the bundle with their types', () => {
    expect(resolveAppAsset(APP_ENTRY_URL, root)).toEqual({ ok: true, path: join(root, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(resolveAppAsset('app://burrow/', root)).toMatchObject({ ok: true, path: join(root, 'index.html') });
    expect(resolveAppAsset('app://burrow/assets/index.js?v=1', root)).toMatchObject({ ok: true, mimeType: 'text/javascript; charset=utf-8' });
  });

  it('resolves dot segments the URL parser already removed inside the bundle, never above it', () => {
    for (const url of ['app://burrow/../secret.txt', 'app://burrow/%2e%2e/secret.txt', 'app://burrow/a/../../../secret.txt']) {
      expect(resolveAppAsset(url, root)).toEqual({ ok: true, path: join(root, 'secret.txt'), mimeType: 'text/plain; charset=utf-8' });
    }
  });

  it.each([
    ['app://burrow/assets/..%2f..%2fsecret.txt', 403],
    ['app://burrow/assets%5c..%5c..%5csecret.txt', 400],
    ['app://burrow/%00.js', 400],
    ['app://burrow/%E0%A4%A', 400],
    ['app://other/index.html', 403],
    ['app://u:p@burrow/index.html', 403],
    ['app://burrow/passwd', 404],
  ])('refuses %s', (url, status) => {
    const result = resolveAppAsset(url, root);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.status).toBe(status);
  });

  it('answers index.html with a nonce CSP header and meta, and no placeholder', async () => {
    const response = await appResponse(APP_ENTRY_URL, root);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9_-]{24}'/);
    const body = await response.text();
    expect(body).not.toContain(NONCE_PLACEHOLDER);
    expect(body).toContain('http-equiv="Content-Security-Policy"');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers assets with their bytes, and refusals with a status only', async () => {
    const js = await appResponse('app://burrow/assets/index.js', root);
    expect(await js.text()).toBe('console.log(1)');
    expect((await appResponse('app://burrow/../secret.txt', root)).status).toBe(404);
    expect((await appResponse('app://burrow/assets/..%2f..%2fsecret.txt', root)).status).toBe(403);
    expect((await appResponse('app://burrow/missing.js', root)).status).toBe(404);
    expect((await appResponse(APP_ENTRY_URL, root, 'POST')).status).toBe(405);
  });
});
