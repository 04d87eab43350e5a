// Loopback stand-ins for the leak suite's unit tests: the real leakd (HTTP only) and a minimal SOCKS5 proxy
// that records what it was asked to reach. Nothing leaves 127.0.0.1.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { DEFAULT_CONFIG, startLeakd, type Leakd } from '../../../app/leakd/server.js';

export async function loopbackLeakd(): Promise<{ leakd: Leakd; url: string }> {
  const leakd = await startLeakd({ ...DEFAULT_CONFIG, http: [{ host: '127.0.0.1', port: 0 }], dns: [], stun: [], zone: 'leak.test' });
  return { leakd, url: `http://${leakd.http[0] ?? ''}` };
}

export interface FakeSocks {
  port: number;
  /** host:port of every CONNECT, as the client sent it (names stay names). */
  asked: string[];
  close(): Promise<void>;
}

/**
 * Answers every CONNECT by connecting to `upstreamPort` on loopback; a host in `refuse` gets reply 4, and
 * with `failFirst` the first CONNECT of all gets that reply code (a Tor circuit that died: 1).
 */
export async function fakeSocks(upstreamPort: number, refuse: string[] = [], opts: { failFirst?: number } = {}): Promise<FakeSocks> {
  const asked: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let stage = 0;
    client.on('data', function onData(chunk: Buffer) {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 0 && buf.length >= 3) {
        buf = buf.subarray(2 + (buf[1] ?? 0));
        client.write(Buffer.from([5, 0]));
        stage = 1;
      }
      if (stage !== 1 || buf.length < 5) return;
      const atyp = buf[3];
      let host: string;
      let at: number;
      if (atyp === 3) {
        const len = buf[4] ?? 0;
        host = buf.subarray(5, 5 + len).toString('ascii');
        at = 5 + len;
      } else {
        host = [...buf.subarray(4, 8)].join('.');
        at = 8;
      }
      const port = buf.readUInt16BE(at);
      asked.push(`${host}:${port}`);
      client.off('data', onData);
      if (refuse.includes(host)) {
        client.end(Buffer.from([5, 4, 0, 1, 0, 0, 0, 0, 0, 0]));
        return;
      }
      if (opts.failFirst !== undefined && asked.length === 1) {
        client.end(Buffer.from([5, opts.failFirst, 0, 1, 0, 0, 0, 0, 0, 0]));
        return;
      }
      const upstream = connect({ host: '127.0.0.1', port: upstreamPort }, () => {
        client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    asked,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
