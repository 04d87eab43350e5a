// Where the renderer lives and which URLs count as "the app". Production serves dist/renderer through a
// privileged custom scheme (app://burrow/) instead of file://: the grantFileProtocolExtraPrivileges fuse is
// off, and without it Chromium refuses Vite's <script type="module" crossorigin> from file:// (origin
// null). A custom scheme also gives the page a real origin to check senders and navigations against and
// lets us attach the CSP as a response header (Electron security checklist item 18).
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'burrow';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The renderer the window loads, and the origin every sender and navigation is checked against. */
export interface RendererLocation {
  /** What BrowserWindow.loadURL gets. */
  readonly url: string;
  /** scheme://host[:port] that counts as the app. */
  readonly origin: string;
  /** True when a local Vite dev server serves the renderer (looser CSP for its HMR socket). */
  readonly dev: boolean;
}

export const PRODUCTION_RENDERER: RendererLocation = { url: APP_ENTRY_URL, origin: APP_ORIGIN, dev: false };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Node's WHATWG URL reports origin "null" for non-special schemes such as app:, so origins are compared
 * by their parts. Credentials in a URL never match: they are a classic way to disguise the real host.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host}`;
}

/** True when `url` belongs to the renderer's own origin (any path of it). */
export function isAppUrl(url: string, location: RendererLocation): boolean {
  const origin = originOf(url);
  return origin !== null && origin === location.origin;
}

/**
 * The dev server URL from BURROW_RENDERER_URL, honoured only for http on loopback and only when the app
 * is not packaged: a packaged Burrow must never be pointed at someone else's page by an environment
 * variable. Anything else falls back to the bundled renderer, with the reason.
 */
export function resolveRendererLocation(
  env: Readonly<Record<string, string | undefined>>,
  packaged: boolean,
): { location: RendererLocation; warning?: string } {
  const raw = env.BURROW_RENDERER_URL;
  if (raw === undefined || raw === '') return { location: PRODUCTION_RENDERER };
  if (packaged) return { location: PRODUCTION_RENDERER, warning: 'BURROW_RENDERER_URL is ignored in a packaged build.' };
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { location: PRODUCTION_RENDERER, warning: 'BURROW_RENDERER_URL is not a URL; using the bundled renderer.' };
  }
  const origin = originOf(raw);
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname) || origin === null) {
    return {
      location: PRODUCTION_RENDERER,
      warning: 'BURROW_RENDERER_URL must be http://127.0.0.1:PORT or http://localhost:PORT; using the bundled renderer.',
    };
  }
  return { location: { url: parsed.href, origin, dev: true } };
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export type AssetResolution = { ok: true; path: string; mimeType: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Map an app:// request to a file under `root` (dist/renderer). Refuses other hosts, encoded traversal
 * (`..%2f`), absolute escapes and unknown file types, so the handler can never serve a file outside the
 * renderer bundle whatever the page asks for.
 */
export function resolveAppAsset(requestUrl: string, root: string): AssetResolution {
  let parsed: URL;
  try {
    parsed = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '') {
    return { ok: false, status: 403 };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { ok: false, status: 400 };
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const base = resolve(root);
  const target = resolve(base, `.${pathname}`);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return { ok: false, status: 403 };
  const mimeType = MIME_TYPES[extname(target).toLowerCase()];
  if (mimeType === undefined) return { ok: false, status: 404 };
  return { ok: true, path: target, mimeType };
}
