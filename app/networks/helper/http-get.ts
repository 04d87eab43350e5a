// One small HTTP/1.0 GET over a socket a proxy already opened (SOCKS5 or HTTP CONNECT), for the drivers'
// exit-address probe: Burrow asks its leak server which address it sees, through the tunnel.
import type { Socket } from 'node:net';

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

/**
 * The address the leak server sees through a tunnel, asked a few times after connect (the first streams
 * may still be building). `open` opens a stream to host:port through the network's proxy; `current`
 * says whether the connection asked for is still the active one. Undefined: unknown (never a failure).
 */
export async function probeExitIp(o: {
  leakServerUrl: string;
  open: (host: string, port: number) => Promise<Socket>;
  current: () => boolean;
  log: (message: string) => void;
}): Promise<string | undefined> {
  if (o.leakServerUrl === '') return undefined;
  const target = new URL('/json', o.leakServerUrl);
  for (const delayMs of [200, 1000, 3000]) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (!o.current()) return undefined;
    try {
      const socket = await o.open(target.hostname.replace(/^\[|\]$/g, ''), Number(target.port || 80));
      const echo = (await httpGetJson(socket, target, 15_000)) as { ip?: unknown };
      if (typeof echo.ip !== 'string' || !o.current()) continue;
      return echo.ip;
    } catch (error) {
      o.log(error instanceof Error ? error.message : String(error));
    }
  }
  return undefined;
}
