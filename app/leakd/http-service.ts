// The HTTP side of leakd: `/json` echoes the caller's address (the exit-IP check), `/dns/<name>` lists
// the resolvers that asked for a name (the DNS-leak check), `/name` hands out a fresh random name in the
// zone, `/download?bytes=N` streams noise for throughput measurements (download.ts). JSON otherwise, CORS
// open: the renderer's leak page calls it from a browser context.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ipFamily, normaliseIp, rateKey, type HostPort } from './ip.js';
import type { RateLimiter } from './rate-limit.js';
import type { ResolverLog } from './resolver-log.js';
import { inZone } from './dns-zone.js';
import { parseDownloadBytes, streamDownload, type DownloadGate } from './download.js';

export interface HttpContext {
  zone: string | undefined;
  log: ResolverLog;
  limiter: RateLimiter;
  /** Without it, `/download` answers 404. */
  downloads?: DownloadGate;
}

export interface HttpService {
  address: HostPort;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  });
  res.end(text);
}

export function handleRequest(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): void {
  const ip = normaliseIp(req.socket.remoteAddress ?? '');
  if (!ctx.limiter.allow(rateKey(ip))) {
    send(res, 429, { error: 'too many requests' });
    return;
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET' });
    res.end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, { error: 'only GET' });
    return;
  }
  const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
  if (path === '/' || path === '/json') {
    send(res, 200, { ip, family: ipFamily(ip) ?? 'unknown', port: req.socket.remotePort ?? 0 });
    return;
  }
  if (path === '/health') {
    send(res, 200, { ok: true, names: ctx.log.size });
    return;
  }
  if (path === '/download') {
    const gate = ctx.downloads;
    if (gate === undefined) {
      send(res, 404, { error: 'this leakd serves no downloads' });
      return;
    }
    const bytes = parseDownloadBytes(query, gate.maxBytes);
    if (typeof bytes === 'string') {
      send(res, 400, { error: bytes });
      return;
    }
    if (!gate.tryAcquire()) {
      send(res, 503, { error: `busy: at most ${gate.maxConcurrent} downloads at once` });
      return;
    }
    streamDownload(res, bytes, gate, req.method === 'HEAD');
    return;
  }
  if (ctx.zone === undefined) {
    send(res, 404, { error: 'this leakd serves no DNS zone' });
    return;
  }
  if (path === '/name') {
    // 96 random bits: unguessable, so nobody else's queries pollute the record.
    send(res, 200, { name: `${randomBytes(12).toString('hex')}.${ctx.zone}` });
    return;
  }
  const dns = /^\/dns\/([^/]{1,253})$/.exec(path);
  if (dns?.[1] !== undefined) {
    // A malformed %-escape throws URIError: the caller in listenHttp turns it into a 400.
    const name = decodeURIComponent(dns[1]).toLowerCase().replace(/\.$/, '');
    if (inZone(name, ctx.zone) !== 'below') {
      send(res, 400, { error: `name must be below ${ctx.zone}` });
      return;
    }
    send(res, 200, { name, resolvers: ctx.log.lookup(name) });
    return;
  }
  send(res, 404, { error: 'unknown path; try /json, /name, /dns/<name> or /download?bytes=N' });
}

export async function listenHttp(at: HostPort, ctx: HttpContext, onError: (message: string) => void): Promise<HttpService> {
  const server = createServer((req, res) => {
    try {
      handleRequest(ctx, req, res);
    } catch (err) {
      onError(`http: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) send(res, 400, { error: 'bad request' });
      else res.destroy();
    }
  });
  // Slow or idle clients must not pin connections forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 2048;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: at.host, port: at.port, ipv6Only: ipFamily(at.host) === 'IPv6' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => onError(`http server ${at.host}:${at.port}: ${err.message}`));
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : at.port;
  return {
    address: { host: at.host, port },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
