// How netd's DNS stub reaches a resolver through the helper's proxy on 127.0.0.1: a SOCKS5 CONNECT
// (nym-socks5-client) or an HTTP CONNECT (myst). Addresses only, never names: nothing is resolved here.
import { connect, isIP, type Socket } from 'node:net';

export type ProxyType = 'socks5' | 'http-connect';

function socks5Request(ip: string, port: number): Buffer {
  const portBytes = Buffer.from([port >> 8, port & 0xff]);
  if (isIP(ip) === 4) return Buffer.concat([Buffer.from([5, 1, 0, 1, ...ip.split('.').map(Number)]), portBytes]);
  const url = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const [head = '', tail = ''] = url.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = url.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  const address = Buffer.alloc(16);
  groups.forEach((group, i) => address.writeUInt16BE(parseInt(group, 16), i * 2));
  return Buffer.concat([Buffer.from([5, 1, 0, 4]), address, portBytes]);
}

/** A socket to ip:port through the proxy, or an error; the caller owns the socket. */
export function dialThrough(type: ProxyType, proxyPort: number, ip: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: proxyPort });
    let buf = Buffer.alloc(0);
    let stage = 0;
    const timer = setTimeout(() => socket.destroy(new Error('the proxy did not answer in time')), timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const done = (consumed: number): void => {
      clearTimeout(timer);
      socket.pause();
      socket.off('data', onData);
      socket.off('error', fail);
      const rest = buf.subarray(consumed);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onData = (data: Buffer): void => {
      buf = Buffer.concat([buf, data]);
      if (type === 'http-connect') {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return buf.length > 8192 ? fail(new Error('proxy answer too long')) : undefined;
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(buf.toString('latin1', 0, Math.min(buf.length, 64)))?.[1];
        return status === '200' ? done(end + 4) : fail(new Error(`the proxy answered ${status ?? 'garbage'}`));
      }
      if (stage === 0) {
        if (buf.length < 2) return;
        if (buf[0] !== 5 || buf[1] !== 0) return fail(new Error('the SOCKS5 proxy refused the greeting'));
        buf = buf.subarray(2);
        stage = 1;
        socket.write(socks5Request(ip, port));
      }
      if (buf.length < 5) return;
      const length = buf[3] === 1 ? 10 : buf[3] === 4 ? 22 : buf[3] === 3 ? 7 + (buf[4] ?? 0) : -1;
      if (length < 0) return fail(new Error('bad SOCKS5 reply'));
      if (buf.length < length) return;
      return buf[1] === 0 ? done(length) : fail(new Error(`SOCKS5 error ${buf[1]}`));
    };
    const target = isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
    socket.once('connect', () => socket.write(type === 'socks5' ? Buffer.from([5, 1, 0]) : `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    socket.on('data', onData);
    socket.on('error', fail);
  });
}
