// Burrow's side of leakd's HTTP API (app/leakd/http-service.ts): GET /json (the caller's address), /name (a
// fresh name in the zone), /dns/<name> (which resolvers asked for it). Every request carries an abort signal,
// a size limit and a schema check; directly, forced to one address family, or through a SOCKS5 proxy.
import { request as httpRequest, type ClientRequestArgs, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { z } from 'zod';
import { socks5Connect, type Socks5Proxy } from '../networks/helper/socks5.js';

const MAX_BODY = 64 * 1024;

export const EchoReplySchema = z.object({ ip: z.string().min(1).max(64), family: z.string().optional() });
export const NameReplySchema = z.object({ name: z.string().min(3).max(253) });
export const ResolversReplySchema = z.object({
  name: z.string(),
  resolvers: z.array(z.object({ ip: z.string().min(1).max(64), queries: z.number().int().nonnegative().optional() })),
});
export type ResolversReply = z.infer<typeof ResolversReplySchema>;

export interface RequestOptions {
  signal: AbortSignal;
  /** Force the address family used to reach a host-name URL. */
  family?: 4 | 6;
  socks5?: Socks5Proxy | undefined;
}

/** Joins a base URL and a path, keeping any path prefix the base has. */
export function leakUrl(base: string, path: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  return url;
}

export async function getJson<T>(url: URL, schema: z.ZodType<T>, opts: RequestOptions): Promise<T> {
  const body = await get(url, opts);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`${url.origin}${url.pathname} did not answer JSON`);
  }
  const checked = schema.safeParse(parsed);
  if (!checked.success) throw new Error(`${url.origin}${url.pathname} answered something that is not a leakd reply`);
  return checked.data;
}

function get(url: URL, opts: RequestOptions): Promise<string> {
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:') return Promise.reject(new Error(`the leak server URL must be http or https, not ${url.protocol}`));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (https ? 443 : 80));
  const args: ClientRequestArgs = {
    method: 'GET',
    host,
    port,
    path: url.pathname,
    headers: { accept: 'application/json', host: url.host },
    signal: opts.signal,
    ...(opts.family !== undefined ? { family: opts.family } : {}),
  };
  const { socks5 } = opts;
  // Node uses createConnection only when no agent is set at all (agent: false would make a fresh Agent and
  // quietly connect directly): with a proxy, no agent; without one, a fresh agent per request.
  if (socks5 === undefined) args.agent = false;
  else {
    args.createConnection = (_options, oncreate) => {
      socks5Connect(socks5, host, port, opts.signal).then(
        (socket) => oncreate(null, https ? tlsConnect({ socket, servername: host }) : socket),
        (err: Error) => oncreate(err, undefined as never),
      );
      return undefined;
    };
  }
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(args, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > MAX_BODY) req.destroy(new Error('the leak server sent too much'));
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url.origin}${url.pathname} answered HTTP ${res.statusCode ?? '?'}`));
        else resolve(body);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function getEcho(base: string, opts: RequestOptions): Promise<z.infer<typeof EchoReplySchema>> {
  return getJson(leakUrl(base, '/json'), EchoReplySchema, opts);
}

export async function newLeakName(base: string, opts: RequestOptions): Promise<string> {
  return (await getJson(leakUrl(base, '/name'), NameReplySchema, opts)).name;
}

export function resolversOf(base: string, name: string, opts: RequestOptions): Promise<ResolversReply> {
  return getJson(leakUrl(base, `/dns/${encodeURIComponent(name)}`), ResolversReplySchema, opts);
}
