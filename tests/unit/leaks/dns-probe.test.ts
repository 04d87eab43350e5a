// probeDns against the real leakd on loopback, behind a front that loses one request: a stream a mixnet or
// a relay drops costs that one name, and the test goes on with the others instead of saying nothing.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leakd } from '../../../app/leakd/server.js';
import { probeDns } from '../../../app/leaks/dns-leak.js';
import { loopbackLeakd } from './loopback.js';

/** Passes connections on to leakd, except the `drop`-th one, which is closed before any answer. */
async function lossyFront(upstreamPort: number, drop: number): Promise<{ url: string; close(): Promise<void> }> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    count += 1;
    if (count === drop) {
      client.once('data', () => client.destroy());
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('probeDns', () => {
  let server: { leakd: Leakd; url: string };
  beforeAll(async () => {
    server = await loopbackLeakd();
  });
  afterAll(async () => {
    await server?.leakd.close();
  });

  it('a lost request for a fresh name costs that name only: the others are resolved and the loss is listed', async () => {
    const front = await lossyFront(Number(new URL(server.url).port), 1);
    try {
      const resolved: string[] = [];
      const judgement = await probeDns(
        {
          leakServerUrl: front.url,
          signal: new AbortController().signal,
          names: 3,
          resolve: (name) => {
            resolved.push(name);
            return Promise.resolve();
          },
        },
        { network: 'wireguard', tunnelDns: ['10.7.53.53'] },
      );
      expect(resolved).toHaveLength(2);
      expect(judgement.evidence).toMatchObject({ namesTried: 3, namesResolved: 2 });
      const failures = judgement.evidence.failures as string[];
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/socket hang up|ECONNRESET/);
      // leakd on loopback has no DNS: nobody asked for the names, so nothing is proven either way.
      expect(judgement.verdict).toBe('not_tested');
    } finally {
      await front.close();
    }
  });
});
