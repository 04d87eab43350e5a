import { describe, expect, it } from 'vitest';
import {
  cspDirectives,
  existingCsp,
  metaCsp,
  newNonce,
  NONCE_PLACEHOLDER,
  prepareRendererHtml,
  rendererCsp,
  withCspHeader,
} from '../../../electron/main/csp.js';

function parse(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
}

describe('renderer CSP (checklist 7)', () => {
  it('is exactly the reviewed policy', () => {
    expect(rendererCsp()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('never allows eval, inline scripts, remote hosts or network connections', () => {
    const csp = parse(rendererCsp());
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'none'"]);
    expect(rendererCsp()).not.toMatch(/unsafe-eval|https?:|\*|wasm-unsafe-eval/);
  });

  it('uses a nonce instead of unsafe-inline for styles when given one', () => {
    const nonce = newNonce();
    const csp = parse(rendererCsp({ styleNonce: nonce }));
    expect(csp.get('style-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(rendererCsp({ styleNonce: nonce })).not.toContain('unsafe-inline');
  });

  it('refuses a nonce that could break out of the header', () => {
    expect(() => rendererCsp({ styleNonce: "abc'; script-src *" })).toThrow();
    expect(() => rendererCsp({ styleNonce: 'short' })).toThrow();
  });

  it('makes a fresh, long nonce each time', () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(newNonce()).not.toBe(a);
  });

  it('dev mode allows only the loopback dev server and its HMR socket', () => {
    const csp = parse(rendererCsp({ devOrigin: 'http://127.0.0.1:5173' }));
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:5173']);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(cspDirectives({ devOrigin: 'http://localhost:5173' }).get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('the <meta> variant drops frame-ancestors (ignored in meta) and keeps the rest', () => {
    expect(metaCsp()).not.toContain('frame-ancestors');
    expect(metaCsp()).toContain("connect-src 'none'");
  });
});

describe('prepareRendererHtml', () => {
  const html = '<!doctype html><html><head><meta charset="UTF-8"><script type="module" src="./assets/index.js"></script></head><body></body></html>';

  it('puts the CSP <meta> first in <head> and answers the header without a nonce when the page did not opt in', () => {
    const out = prepareRendererHtml(html, 'A'.repeat(24));
    expect(out.html.startsWith('<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="')).toBe(true);
    expect(out.csp).toBe(rendererCsp());
    expect(out.html).toContain(`content="${metaCsp().replace(/'/g, "'")}"`);
  });

  it('swaps every placeholder for the nonce and uses the nonce policy', () => {
    const nonce = 'N0nceN0nceN0nceN0nce1234';
    const opted = html.replace('<head>', `<head><meta property="csp-nonce" nonce="${NONCE_PLACEHOLDER}">`).replace('<script', `<script nonce="${NONCE_PLACEHOLDER}"`);
    const out = prepareRendererHtml(opted, nonce);
    expect(out.html).not.toContain(NONCE_PLACEHOLDER);
    expect(out.html.split(nonce).length - 1).toBe(3); // two tags and the meta CSP
    expect(out.csp).toBe(rendererCsp({ styleNonce: nonce }));
  });

  it('still adds the policy to HTML without a <head>', () => {
    expect(prepareRendererHtml('<p>hi</p>', 'B'.repeat(24)).html.startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true);
  });
});

describe('CSP response header', () => {
  it('replaces any CSP the server sent, whatever its case, and keeps other headers', () => {
    const out = withCspHeader({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' }, rendererCsp());
    expect(existingCsp(out)).toEqual([rendererCsp()]);
    expect(out['Content-Type']).toEqual(['text/html']);
  });
});
