// An HTTP CONNECT through myst's proxy, for Burrow's own check of the address a site sees. Pure parsing
// of the proxy's answer is separate so tests can feed it bytes.
import { connect, type Socket } from 'node:net';

/** The status of a complete proxy answer head at the start of buf, its length, or undefined for "more". */
export function parseConnectAnswer(buf: Buffer): { status: number; consumed: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    if (buf.length > 8192) throw new Error('the proxy answer head is too long');
    return undefined;
  }
  const line = buf.subarray(0, buf.indexOf('\r\n')).toString('latin1');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(line);
  if (match === null) throw new Error(`not an HTTP answer: ${line.slice(0, 60)}`);
  return { status: Number(match[1]), consumed: end + 4 };
}

/** A socket tunnelled through the proxy to host:port, returned paused (see socks5Connect). */
export function httpConnect(proxy: { host: string; port: number }, host: string, port: number, timeoutMs = 15_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(new Error('the proxy did not answer in time')), timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const onData = (data: Buffer): void => {
      buf = Buffer.concat([buf, data]);
      try {
        const answer = parseConnectAnswer(buf);
        if (answer === undefined) return;
        if (answer.status !== 200) return fail(new Error(`the proxy answered ${answer.status} for ${host}:${port}`));
        clearTimeout(timer);
        socket.pause();
        socket.off('data', onData);
        socket.off('error', fail);
        const rest = buf.subarray(answer.consumed);
        if (rest.length > 0) socket.unshift(rest);
        resolve(socket);
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    socket.once('connect', () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    socket.on('data', onData);
    socket.on('error', fail);
  });
}
