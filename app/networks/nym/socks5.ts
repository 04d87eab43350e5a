// A small SOCKS5 client (RFC 1928, no authentication) for Burrow's own checks through the Nym client: the
// readiness handshake on its port, and a CONNECT for the exit-address probe. Names go to the proxy as
// names, so the exit resolves them.
import { connect, isIP, type Socket } from 'node:net';

export const SOCKS5_REPLIES: Record<number, string> = {
  1: 'general failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

export const GREETING = Buffer.from([5, 1, 0]);

/** The CONNECT request for host:port (IPv4, IPv6 or a name up to 255 bytes). */
export function encodeConnect(host: string, port: number): Buffer {
  const family = isIP(host);
  let address: Buffer;
  if (family === 4) address = Buffer.from([1, ...host.split('.').map(Number)]);
  else if (family === 6) {
    const [head = '', rest = ''] = host.split('::');
    const left = head === '' ? [] : head.split(':');
    const right = rest === '' ? [] : rest.split(':');
    const groups = host.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
    address = Buffer.alloc(17);
    address[0] = 4;
    groups.forEach((group, i) => address.writeUInt16BE(parseInt(group, 16), 1 + i * 2));
  } else {
    const name = Buffer.from(host, 'ascii');
    if (name.length === 0 || name.length > 255) throw new Error('a host name for SOCKS5 is 1 to 255 bytes');
    address = Buffer.concat([Buffer.from([3, name.length]), name]);
  }
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port, 0);
  return Buffer.concat([Buffer.from([5, 1, 0]), address, portBytes]);
}

/** The method the server chose in its greeting reply: 0 is "no authentication"; undefined: need more bytes. */
export function parseGreetingReply(buf: Buffer): { ok: boolean; consumed: number } | undefined {
  if (buf.length < 2) return undefined;
  if (buf[0] !== 5) throw new Error(`not a SOCKS5 server (version byte ${buf[0]})`);
  return { ok: buf[1] === 0, consumed: 2 };
}

/** A complete CONNECT reply at the start of buf, or undefined while more bytes are needed. */
export function parseConnectReply(buf: Buffer): { code: number; consumed: number } | undefined {
  if (buf.length < 5) return undefined;
  if (buf[0] !== 5) throw new Error(`not a SOCKS5 reply (version byte ${buf[0]})`);
  const atyp = buf[3];
  const length = atyp === 1 ? 10 : atyp === 4 ? 22 : atyp === 3 ? 7 + (buf[4] ?? 0) : -1;
  if (length < 0) throw new Error(`SOCKS5 reply with unknown address type ${atyp}`);
  return buf.length >= length ? { code: buf[1] ?? 1, consumed: length } : undefined;
}

function dial(host: string, port: number, timeoutMs: number, signal?: AbortSignal): { socket: Socket; read: () => Promise<Buffer>; close: () => void } {
  const socket = connect({ host, port });
  const chunks: Buffer[] = [];
  let waiting: ((error?: Error) => void) | undefined;
  let failure: Error | undefined;
  const wake = (error?: Error): void => {
    if (error !== undefined) failure ??= error;
    const w = waiting;
    waiting = undefined;
    w?.(error);
  };
  const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  const onAbort = (): void => void socket.destroy(new Error('cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  socket.on('data', (data: Buffer) => {
    chunks.push(data);
    wake();
  });
  socket.once('error', (error) => wake(error));
  socket.once('close', () => wake(failure ?? new Error('the proxy closed the connection')));
  return {
    socket,
    read: () =>
      new Promise((resolve, reject) => {
        const take = (error?: Error): void => {
          if (chunks.length > 0) resolve(Buffer.concat(chunks.splice(0)));
          else reject(error ?? failure ?? new Error('closed'));
        };
        if (chunks.length > 0 || failure !== undefined) take();
        else waiting = take;
      }),
    close: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The greeting only: proves a SOCKS5 server (not just any listener) answers on host:port. */
export async function socks5Handshake(host: string, port: number, timeoutMs = 2000): Promise<void> {
  const conn = dial(host, port, timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      conn.socket.once('connect', resolve);
      conn.socket.once('error', reject);
    });
    conn.socket.write(GREETING);
    let buf = Buffer.alloc(0);
    for (;;) {
      buf = Buffer.concat([buf, await conn.read()]);
      const reply = parseGreetingReply(buf);
      if (reply === undefined) continue;
      if (!reply.ok) throw new Error('the SOCKS5 server wants authentication');
      return;
    }
  } finally {
    conn.close();
    conn.socket.destroy();
  }
}

/**
 * A socket connected through the proxy to host:port, returned paused with any bytes that came after the
 * reply pushed back: attach a listener, then resume() (pipe() resumes by itself).
 */
export async function socks5Connect(proxy: { host: string; port: number }, host: string, port: number, timeoutMs = 10_000, signal?: AbortSignal): Promise<Socket> {
  const conn = dial(proxy.host, proxy.port, timeoutMs, signal);
  try {
    await new Promise<void>((resolve, reject) => {
      conn.socket.once('connect', resolve);
      conn.socket.once('error', reject);
    });
    conn.socket.write(GREETING);
    let buf = Buffer.alloc(0);
    let greeted = false;
    for (;;) {
      buf = Buffer.concat([buf, await conn.read()]);
      if (!greeted) {
        const reply = parseGreetingReply(buf);
        if (reply === undefined) continue;
        if (!reply.ok) throw new Error('the SOCKS5 server wants authentication');
        greeted = true;
        buf = buf.subarray(reply.consumed);
        conn.socket.write(encodeConnect(host, port));
      }
      const reply = parseConnectReply(buf);
      if (reply === undefined) continue;
      if (reply.code !== 0) throw new Error(`the proxy could not reach ${host}:${port}: ${SOCKS5_REPLIES[reply.code] ?? `error ${reply.code}`}`);
      conn.socket.pause();
      conn.socket.removeAllListeners('data');
      conn.socket.removeAllListeners('close');
      conn.socket.removeAllListeners('error');
      const rest = buf.subarray(reply.consumed);
      if (rest.length > 0) conn.socket.unshift(rest);
      return conn.socket;
    }
  } catch (error) {
    conn.socket.destroy();
    throw error;
  } finally {
    conn.close();
  }
}

/** GET url over an already connected socket; the body parsed as JSON (small answers only). */
export function httpGetJson(socket: Socket, url: URL, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error('no answer in time')), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      text += data;
      if (text.length > 64 * 1024) socket.destroy(new Error('answer too large'));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      const split = text.indexOf('\r\n\r\n');
      if (text === '') return reject(new Error('the stream was closed before any answer (the exit refused it?)'));
      if (!/^HTTP\/1\.[01] 200/.test(text)) return reject(new Error(`unexpected answer: ${text.split('\r\n')[0] ?? ''}`));
      try {
        resolve(JSON.parse(text.slice(split + 4)));
      } catch {
        reject(new Error('the answer is not JSON'));
      }
    });
    socket.resume();
    // HTTP/1.0: no chunked encoding to undo.
    socket.write(`GET ${url.pathname}${url.search} HTTP/1.0\r\nHost: ${url.host}\r\nAccept: application/json\r\n\r\n`);
  });
}
