// `burrow host --web`: serves the built renderer and the contract over WebSocket, on loopback only.
// The API needs the random token printed at start; a foreign Origin or Host (DNS rebinding) is refused.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BurrowError } from '../domain/index.js';
import { dispatchEnvelope, MAX_MESSAGE_BYTES, parseMessageText, type CommandHandlers } from '../contract/index.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function parseWebAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BurrowError('invalid_request', `--web takes an address like 127.0.0.1:7777, not "${value}".`);
  }
  if (!LOOPBACK.has(host)) {
    throw new BurrowError('invalid_request', `--web serves on loopback only (127.0.0.1, ::1 or localhost), not ${host}.`);
  }
  return { host, port };
}

/**
 * The request target as a URL, or undefined: `//`, `//a:b` and bad escapes make `new URL` and
 * `decodeURIComponent` throw, and any web page can send them (an <img> pointed at loopback).
 */
export function requestTarget(raw: string | undefined): { url: URL; path: string } | undefined {
  try {
    const url = new URL(`http://x${(raw ?? '/').startsWith('/') ? (raw ?? '/') : `/${raw ?? ''}`}`);
    return { url, path: decodeURIComponent(url.pathname) };
  } catch {
    return undefined;
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  broadcast(event: string, data: unknown): void;
  close(): Promise<void>;
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      // Chromium rejects bracketed IPv6 hosts in CSP sources, so [::1] cannot be listed here.
      `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

export async function startWebServer(options: {
  address: string;
  rendererDir: string | undefined;
  handlers: CommandHandlers;
  log: (level: 'info' | 'warn', message: string) => void;
}): Promise<WebServer> {
  const { host, port: requestedPort } = parseWebAddress(options.address);
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  let port = requestedPort;
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([...allowedHosts()].map((h) => `http://${h}`));

  // Every front door answers bad input with an error and stays up: nothing a request holds may throw out.
  const serveStatic = (request: IncomingMessage, response: ServerResponse): void => {
    try {
      serveFile(request, response);
    } catch (error) {
      options.log('warn', `A web request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500, securityHeaders(port));
      response.end();
    }
  };

  const serveFile = (request: IncomingMessage, response: ServerResponse): void => {
    const headers = securityHeaders(port);
    if (!allowedHosts().has(request.headers.host ?? '')) {
      response.writeHead(421, headers).end('Wrong Host header.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    if (!options.rendererDir) {
      response.writeHead(503, { ...headers, 'Content-Type': 'text/plain' }).end('The renderer is not built: run npm run build.');
      return;
    }
    const target = requestTarget(request.url);
    if (target === undefined) {
      response.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('Bad request path.');
      return;
    }
    const pathname = target.path;
    if (pathname.includes('\0')) {
      response.writeHead(400, { ...headers, 'Content-Type': 'text/plain' }).end('Bad request path.');
      return;
    }
    const root = resolve(options.rendererDir);
    let file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403, headers).end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) file = join(root, 'index.html'); // Client-side routes.
    response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(request.method === 'HEAD' ? undefined : readFileSync(file));
  };

  const server = createServer(serveStatic);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (request, socket, head) => {
    // An upgraded socket has no error listener of its own: a reset would otherwise end the process.
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, why: string): void => {
      options.log('warn', `Refused a WebSocket connection: ${why}.`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const target = requestTarget(request.url);
    if (target === undefined) return refuse('400 Bad Request', 'unreadable request path');
    const url = target.url;
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const origin = request.headers.origin;
    if (url.pathname !== '/api') return refuse('404 Not Found', `unknown path ${url.pathname}`);
    if (!allowedHosts().has(request.headers.host ?? '')) return refuse('421 Misdirected Request', 'wrong Host header');
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse('403 Forbidden', `foreign origin ${origin.slice(0, 100)}`);
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) return refuse('401 Unauthorized', 'missing or wrong token');
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws));
  });

  sockets.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      void (async () => {
        const parsed = isBinary ? { ok: false as const, error: { code: 'invalid_request' as const, message: 'Send text messages.' } } : parseMessageText(rawText(data));
        const response = parsed.ok ? await dispatchEnvelope(options.handlers, parsed.value) : { id: null, ok: false, error: parsed.error };
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
      })().catch((error: unknown) => {
        options.log('warn', `A WebSocket message failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
    ws.on('error', () => ws.terminate());
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => resolveListen());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : requestedPort;
  const shownHost = host === '::1' ? '[::1]' : host;
  const url = `http://${shownHost}:${port}/?token=${token}`;
  options.log('info', `Web UI on http://${shownHost}:${port}/ (the token is printed on the host's standard output).`);

  return {
    url,
    port,
    broadcast(event, data) {
      const text = JSON.stringify({ event, data });
      for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
    },
    close() {
      for (const client of sockets.clients) client.terminate();
      return new Promise((resolveClose) => {
        sockets.close();
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
    },
  };
}
