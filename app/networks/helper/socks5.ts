// Burrow's one SOCKS5 client (RFC 1928, no authentication), for every check it makes through a proxy:
// the leak tests and measurements through Tor's or Nym's SocksPort (app/leaks, app/measure), the Nym
// driver's readiness handshake and exit-address probe. Names go to the proxy as names, so the far end
// resolves them — exactly what a SOCKS-aware application does. Lives in app/networks/helper/ because
// every proxy network shares it; app/leaks and app/measure import it from here.
import { connect, isIP, type Socket } from 'node:net';

export interface Socks5Proxy {
  host: string;
  port: number;
}

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

/** Version 5, one method offered: 0, no authentication. */
export const GREETING = Buffer.from([5, 1, 0]);

/** The CONNECT request for host:port (IPv4, IPv6 or a name of 1 to 255 bytes). */
export function socks5Request(host: string, port: number): Buffer {
  const version = isIP(host);
  let address: Buffer;
  if (version === 4) address = Buffer.from([1, ...host.split('.').map(Number)]);
  else if (version === 6) {
    // The URL parser writes the address in its canonical form (an embedded IPv4 tail becomes two groups).
    const canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
    const [head = '', tail = ''] = canonical.split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === '' ? [] : tail.split(':');
    const groups = canonical.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
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

/** The method the server chose in its greeting reply (0 is "no authentication"); undefined: more bytes needed. */
export function parseGreetingReply(buf: Buffer): { ok: boolean; consumed: number } | undefined {
  if (buf.length < 2) return undefined;
  if (buf[0] !== 5) throw new Error(`not a SOCKS5 server (version byte ${buf[0]})`);
  return { ok: buf[1] === 0, consumed: 2 };
}

/** Length of a complete CONNECT reply at the start of `buf`, or 0 while more bytes are needed. */
export function socks5ReplyLength(buf: Buffer): number {
  if (buf.length < 5) return 0;
  if (buf[0] !== 5) throw new Error(`not a SOCKS5 reply (version byte ${buf[0]})`);
  const atyp = buf[3];
  const length = atyp === 1 ? 10 : atyp === 4 ? 22 : atyp === 3 ? 7 + (buf[4] ?? 0) : -1;
  if (length < 0) throw new Error(`SOCKS5 reply with unknown address type ${atyp}`);
  return buf.length >= length ? length : 0;
}

type Stage = 'greeting' | 'connect' | 'done';

/**
 * Talks SOCKS5 on a new connection to the proxy: the greeting, then (with a target) the CONNECT. Resolves
 * with the socket once the proxy said yes; any bytes that came after its reply are pushed back.
 */
function negotiate(proxy: Socks5Proxy, target: { host: string; port: number } | undefined, signal: AbortSignal | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    let stage: Stage = 'greeting';
    let buffer = Buffer.alloc(0);
    const fail = (err: Error): void => {
      if (stage === 'done') return;
      stage = 'done';
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    const onError = (err: Error): void => fail(new Error(`SOCKS5 proxy ${proxy.host}:${proxy.port}: ${err.message}`));
    const onClose = (): void => fail(new Error(`SOCKS5 proxy ${proxy.host}:${proxy.port} closed the connection`));
    const cleanup = (): void => {
      signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData).off('error', onError).off('close', onClose);
    };
    const done = (rest: Buffer): void => {
      stage = 'done';
      cleanup();
      if (rest.length > 0) {
        // A flowing stream would emit the pushed-back bytes at once, to no listener: hold them until the
        // caller attaches one (as a fresh socket behaves; pipe() and http attach 'data' listeners too).
        socket.pause();
        socket.unshift(rest);
        const onListener = (event: string | symbol): void => {
          if (event !== 'data') return;
          socket.off('newListener', onListener);
          process.nextTick(() => socket.resume());
        };
        socket.on('newListener', onListener);
      }
      resolve(socket);
    };
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        if (stage === 'greeting') {
          const reply = parseGreetingReply(buffer);
          if (reply === undefined) return;
          if (!reply.ok) throw new Error('the SOCKS5 server wants authentication');
          buffer = buffer.subarray(reply.consumed);
          if (target === undefined) return done(buffer);
          stage = 'connect';
          socket.write(socks5Request(target.host, target.port));
        }
        if (stage === 'connect' && target !== undefined) {
          const length = socks5ReplyLength(buffer);
          if (length === 0) return;
          const code = buffer[1] ?? 1;
          if (code !== 0) throw new Error(`the proxy could not reach ${target.host}:${target.port}: ${SOCKS5_REPLIES[code] ?? `error ${code}`}`);
          done(buffer.subarray(length));
        }
      } catch (err) {
        fail(err instanceof Error ? err : new Error(String(err)));
      }
    };
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData).on('error', onError).on('close', onClose);
    socket.once('connect', () => socket.write(GREETING));
  });
}

/** Resolves with a socket connected through the proxy to host:port; bytes after the reply are pushed back. */
export function socks5Connect(proxy: Socks5Proxy, host: string, port: number, signal?: AbortSignal): Promise<Socket> {
  // Checked before dialling: a name SOCKS5 cannot carry is the caller's mistake, not the proxy's.
  socks5Request(host, port);
  return negotiate(proxy, { host, port }, signal);
}

/** The greeting only: proves a SOCKS5 server (not just any listener) answers on host:port. */
export async function socks5Handshake(host: string, port: number, timeoutMs = 2000): Promise<void> {
  (await negotiate({ host, port }, undefined, AbortSignal.timeout(timeoutMs))).destroy();
}
