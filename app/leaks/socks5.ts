// A SOCKS5 CONNECT (RFC 1928, no authentication) for probing through Tor's SocksPort: the destination's name
// is sent as a name, so the proxy's far end resolves it — exactly what a SOCKS-aware application does.
import { isIP, connect, type Socket } from 'node:net';

export interface Socks5Proxy {
  host: string;
  port: number;
}

const REPLIES: Record<number, string> = {
  1: 'general failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

export function socks5Request(host: string, port: number): Buffer {
  const version = isIP(host);
  let address: Buffer;
  if (version === 4) address = Buffer.from([1, ...host.split('.').map(Number)]);
  else if (version === 6) {
    const url = new URL(`http://[${host}]/`).hostname.slice(1, -1);
    const [head = '', tail = ''] = url.split('::');
    const h = head === '' ? [] : head.split(':');
    const t = tail === '' ? [] : tail.split(':');
    const groups = url.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
    const bytes = Buffer.alloc(17);
    bytes[0] = 4;
    groups.forEach((g, i) => bytes.writeUInt16BE(parseInt(g, 16), 1 + i * 2));
    address = bytes;
  } else {
    const name = Buffer.from(host, 'ascii');
    if (name.length > 255) throw new Error('host name too long for SOCKS5');
    address = Buffer.concat([Buffer.from([3, name.length]), name]);
  }
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port, 0);
  return Buffer.concat([Buffer.from([5, 1, 0]), address, portBytes]);
}

/** Length of a complete CONNECT reply at the start of `buf`, or 0 if more bytes are needed. */
export function socks5ReplyLength(buf: Buffer): number {
  if (buf.length < 5) return 0;
  const atyp = buf[3];
  const len = atyp === 1 ? 10 : atyp === 4 ? 22 : atyp === 3 ? 7 + (buf[4] ?? 0) : -1;
  if (len < 0) throw new Error(`SOCKS5 reply with unknown address type ${atyp}`);
  return buf.length >= len ? len : 0;
}

/** Resolves with a socket connected through the proxy to host:port; bytes after the reply are pushed back. */
export function socks5Connect(proxy: Socks5Proxy, host: string, port: number, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    let stage: 'greeting' | 'connect' | 'done' = 'greeting';
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
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        if (stage === 'greeting') {
          if (buffer.length < 2) return;
          if (buffer[0] !== 5 || buffer[1] !== 0) throw new Error('the SOCKS5 proxy wants authentication');
          buffer = buffer.subarray(2);
          stage = 'connect';
          socket.write(socks5Request(host, port));
        }
        if (stage === 'connect') {
          const len = socks5ReplyLength(buffer);
          if (len === 0) return;
          const rep = buffer[1] ?? 1;
          if (rep !== 0) throw new Error(`SOCKS5 proxy could not reach ${host}:${port}: ${REPLIES[rep] ?? `error ${rep}`}`);
          const rest = buffer.subarray(len);
          stage = 'done';
          cleanup();
          if (rest.length > 0) socket.unshift(rest);
          resolve(socket);
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
    socket.once('connect', () => socket.write(Buffer.from([5, 1, 0])));
  });
}
