// The renderer's Content-Security-Policy (Electron security checklist item 7). Nothing is allowed unless
// listed: the bundle's own scripts, styles, images and fonts, and no network at all (connect-src 'none'),
// because everything the UI needs arrives over IPC.
//
// Styles: MUI styles through emotion, which injects <style> elements at run time. Two modes:
// - nonce (preferred): when the served index.html carries the NONCE_PLACEHOLDER (Vite's `html.cspNonce`
//   puts it on every tag it emits and in <meta property="csp-nonce">, where emotion's `createCache({ nonce })`
//   reads it), the protocol handler swaps in a fresh random nonce per page load and style-src becomes
//   'self' 'nonce-…' — no inline style without it.
// - 'unsafe-inline' (fallback) when the page has no placeholder: without a nonce emotion's styles would all be
//   refused and the UI would render unstyled. Inline styles cannot run script, and script-src stays 'self'.
import { randomBytes } from 'node:crypto';
import { NONCE_PLACEHOLDER } from '../../app/contract/csp-nonce.js';

export { NONCE_PLACEHOLDER };

export interface CspOptions {
  /** Per-response nonce for emotion's <style> elements; absent → 'unsafe-inline'. */
  readonly styleNonce?: string;
  /** Dev only: the Vite server's origin (http://127.0.0.1:5173): its scripts and HMR socket. */
  readonly devOrigin?: string;
}

export type CspDirectives = ReadonlyMap<string, readonly string[]>;

export function cspDirectives(options: CspOptions = {}): CspDirectives {
  const { styleNonce, devOrigin } = options;
  if (styleNonce !== undefined && !/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(styleNonce)) {
    throw new Error('A CSP nonce must be at least 16 base64 characters.');
  }
  const style = styleNonce === undefined ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${styleNonce}'`];
  const directives = new Map<string, string[]>([
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', style],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ]);
  if (devOrigin !== undefined) {
    // Vite dev: @vitejs/plugin-react injects an inline refresh preamble and HMR talks over a WebSocket to
    // the dev server. Only ever for a loopback origin (see resolveRendererLocation), never packaged.
    const ws = devOrigin.replace(/^http/, 'ws');
    directives.set('script-src', ["'self'", "'unsafe-inline'"]);
    directives.set('style-src', ["'self'", "'unsafe-inline'"]);
    directives.set('connect-src', ["'self'", ws]);
  }
  return directives;
}

export function serializeCsp(directives: CspDirectives): string {
  return [...directives].map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

export function rendererCsp(options: CspOptions = {}): string {
  return serializeCsp(cspDirectives(options));
}

/** frame-ancestors (and report/sandbox) are ignored in a <meta> CSP and make Chromium warn: drop them there. */
export function metaCsp(options: CspOptions = {}): string {
  const directives = new Map(cspDirectives(options));
  directives.delete('frame-ancestors');
  return serializeCsp(directives);
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Prepare index.html for one page load: swap the nonce placeholder for a fresh nonce (if the page opted
 * in) and put the CSP into a <meta> at the very start of <head>, so the policy holds even if the HTML is
 * ever loaded without our response headers. Returns the header value to send alongside.
 */
export function prepareRendererHtml(html: string, nonce: string = newNonce()): { html: string; csp: string } {
  const usesNonce = html.includes(NONCE_PLACEHOLDER);
  const options: CspOptions = usesNonce ? { styleNonce: nonce } : {};
  const withNonce = usesNonce ? html.split(NONCE_PLACEHOLDER).join(nonce) : html;
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(metaCsp(options))}">`;
  const headOpen = /<head(\s[^>]*)?>/i.exec(withNonce);
  const out =
    headOpen === null
      ? `${meta}${withNonce}`
      : `${withNonce.slice(0, headOpen.index + headOpen[0].length)}${meta}${withNonce.slice(headOpen.index + headOpen[0].length)}`;
  return { html: out, csp: rendererCsp(options) };
}

/** The Content-Security-Policy header values already in a response, whatever the header's case. */
export function existingCsp(headers: Readonly<Record<string, string | readonly string[]>>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'content-security-policy') continue;
    found.push(...(typeof value === 'string' ? [value] : value));
  }
  return found;
}

/**
 * Response headers for session.webRequest.onHeadersReceived: our CSP replaces whatever the server sent
 * (the dev server sends none; nothing else should load at all). Header names are compared without case so
 * a server's `content-security-policy` cannot sit beside ours as a second, looser-looking copy.
 */
export function withCspHeader(
  headers: Readonly<Record<string, string | readonly string[]>>,
  csp: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = typeof value === 'string' ? [value] : [...value];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}
