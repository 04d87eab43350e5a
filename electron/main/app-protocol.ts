// Serves dist/renderer under app://burrow/ (see app-url.ts for why not file://). index.html gets the CSP
// as a header and a <meta>, with a fresh style nonce per load when the page opted in (csp.ts).
import type { CustomScheme, Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, resolveAppAsset } from './app-url.js';
import { prepareRendererHtml, rendererCsp } from './csp.js';

/** Must be registered before app 'ready': a standard, secure scheme with fetch support, like https. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' } as const;

export async function appResponse(url: string, root: string, method = 'GET'): Promise<Response> {
  // The renderer only ever reads its bundle.
  if (method !== 'GET' && method !== 'HEAD') return new Response(null, { status: 405 });
  const asset = resolveAppAsset(url, root);
  if (!asset.ok) return new Response(null, { status: asset.status });
  let body: Buffer;
  try {
    body = await readFile(asset.path);
  } catch {
    return new Response(null, { status: 404 });
  }
  if (asset.mimeType.startsWith('text/html')) {
    const prepared = prepareRendererHtml(body.toString('utf8'));
    return new Response(prepared.html, {
      headers: { ...COMMON_HEADERS, 'content-type': asset.mimeType, 'content-security-policy': prepared.csp },
    });
  }
  return new Response(new Uint8Array(body), {
    headers: { ...COMMON_HEADERS, 'content-type': asset.mimeType, 'content-security-policy': rendererCsp() },
  });
}

export function registerAppProtocol(session: Session, root: string): void {
  session.protocol.handle(APP_SCHEME, (request) => appResponse(request.url, root, request.method));
}
