// RTT and HTTP throughput against a real leakd on loopback, directly and through a SOCKS5 proxy; cancel.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, startLeakd, type Leakd } from '../../../app/leakd/server.js';
import { openHttp } from '../../../app/measure/http-client.js';
import { firstByteProbe } from '../../../app/measure/measure-tunnel.js';
import { measureRtt } from '../../../app/measure/rtt.js';
import { downloadRate, measureThroughput } from '../../../app/measure/throughput.js';
import { SYSTEM_ROUTE, type Route } from '../../../app/measure/types.js';

/** A no-auth SOCKS5 proxy that counts the CONNECTs it relays (names or IPv4). */
function socksProxy(): Promise<{ server: Server; port: number; connects: string[] }> {
  const connects: string[] = [];
  const server = createServer((client: Socket) => {
    let buffer = Buffer.alloc(0);
    let stage = 0;
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 0 && buffer.length >= 3) {
        buffer = buffer.subarray(2 + (buffer[1] ?? 0));
        client.write(Buffer.from([5, 0]));
        stage = 1;
      }
      if (stage === 1 && buffer.length >= 10) {
        const type = buffer[3];
        let host: string;
        let rest: Buffer;
        if (type === 1) {
          host = [...buffer.subarray(4, 8)].join('.');
          rest = buffer.subarray(8);
        } else {
          const len = buffer[4] ?? 0;
          host = buffer.subarray(5, 5 + len).toString();
          rest = buffer.subarray(5 + len);
        }
        const port = rest.readUInt16BE(0);
        connects.push(`${host}:${port}`);
        stage = 2;
        client.off('data', onData);
        const upstream = connect({ host, port }, () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      }
    };
    client.on('data', onData);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, connects })));
}

describe('measurements against leakd on loopback', () => {
  let leakd: Leakd;
  let base: string;
  let proxy: Awaited<ReturnType<typeof socksProxy>>;
  let socks: Route;

  beforeAll(async () => {
    leakd = await startLeakd({ ...DEFAULT_CONFIG, http: [{ host: '127.0.0.1', port: 0 }], dns: [], stun: [], ratePerSecond: 1000, rateBurst: 1000 });
    base = `http://${leakd.http[0]}`;
    proxy = await socksProxy();
    socks = { kind: 'socks5', proxy: { host: '127.0.0.1', port: proxy.port } };
  });
  afterAll(async () => {
    await leakd.close();
    proxy.server.close();
  });

  it('one kept-alive connection answers several requests with timings in order', async () => {
    const connection = await openHttp(new URL(`${base}/json`), { route: SYSTEM_ROUTE });
    try {
      const first = await connection.get('/json', { keepBody: true });
      const second = await connection.get('/json', { keepBody: true });
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body?.toString() ?? '')).toMatchObject({ ip: '127.0.0.1' });
      // Same connection: the same source port both times.
      const portOf = (body: Buffer | undefined): number => (JSON.parse(body?.toString() ?? '{}') as { port: number }).port;
      expect(portOf(second.body)).toBe(portOf(first.body));
      for (const t of [first, second]) {
        expect(t.firstByteAt).toBeGreaterThanOrEqual(t.sentAt);
        expect(t.doneAt).toBeGreaterThanOrEqual(t.firstByteAt);
      }
    } finally {
      connection.close();
    }
  });

  it('RTT: N samples, median ≤ p95 ≤ max, reported with its target and route', async () => {
    const progress: number[] = [];
    const result = await measureRtt({ url: `${base}/json`, route: SYSTEM_ROUTE, samples: 10, intervalMs: 1, onProgress: (p) => progress.push(p.percent) });
    expect(result.samplesMs).toHaveLength(10);
    expect(result.medianMs).toBeGreaterThan(0);
    expect(result.medianMs).toBeLessThanOrEqual(result.p95Ms);
    expect(result.p95Ms).toBeLessThanOrEqual(result.maxMs);
    expect(result.samplesMs.every((ms) => Number.isFinite(ms) && ms > 0)).toBe(true);
    expect(result.target).toBe(`${base}/json`);
    expect(progress.at(-1)).toBe(100);
  });

  it('RTT through a SOCKS5 proxy goes through the proxy (one CONNECT, by address)', async () => {
    proxy.connects.length = 0;
    const result = await measureRtt({ url: `${base}/json`, route: socks, samples: 5, intervalMs: 1 });
    expect(result.samplesMs).toHaveLength(5);
    expect(proxy.connects).toEqual([leakd.http[0]]);
  });

  it('HTTP throughput: a time-boxed download from /download, rate from the bytes after the first chunk', async () => {
    const result = await measureThroughput({ route: SYSTEM_ROUTE, method: 'http', httpBase: base, seconds: 1, maxBytes: 64 * 1024 * 1024 });
    expect(result.method).toBe('http');
    expect(result.bitsPerSecond).toBeGreaterThan(10e6);
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.target).toBe(`${base}/download?bytes=${64 * 1024 * 1024}`);
    const viaProxy = await measureThroughput({ route: socks, method: 'auto', httpBase: base, iperf3: { host: '127.0.0.1', port: 1 }, seconds: 1, maxBytes: 8 * 1024 * 1024 });
    expect(viaProxy.method).toBe('http');
    expect(viaProxy.bitsPerSecond).toBeGreaterThan(1e6);
  });

  it('the rate skips the first chunk: a slow start to the answer does not count', () => {
    expect(downloadRate({ bodyBytes: 1_000_000 + 1000, firstChunkBodyBytes: 1000, firstBodyAt: 1000, doneAt: 2000, sentAt: 0 })).toEqual({
      bitsPerSecond: 8_000_000,
      bytes: 1_000_000,
      spanMs: 1000,
    });
    // One chunk only: the whole request time is all there is.
    expect(downloadRate({ bodyBytes: 1000, firstChunkBodyBytes: 1000, firstBodyAt: 5, doneAt: 5, sentAt: 0 }).bitsPerSecond).toBe(1_600_000);
  });

  it('cancelling stops a measurement at once with a cancelled error', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    // A minute's download (the longest allowed) and a thousand samples 20 ms apart: both outlast the test's
    // 20 s limit, so only the cancel can end them in time.
    await expect(measureThroughput({ route: SYSTEM_ROUTE, method: 'http', httpBase: base, seconds: 60, signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    const rtt = new AbortController();
    setTimeout(() => rtt.abort(), 50);
    await expect(measureRtt({ url: `${base}/json`, route: SYSTEM_ROUTE, samples: 1000, intervalMs: 20, signal: rtt.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('an unreachable target is a readable error, not a hang', async () => {
    await expect(measureRtt({ url: 'http://127.0.0.1:1/json', route: SYSTEM_ROUTE, samples: 3, timeoutMs: 2000, retryWithinMs: 1000 })).rejects.toMatchObject({ code: 'network_unavailable' });
    await expect(measureThroughput({ route: SYSTEM_ROUTE, method: 'http', httpBase: 'http://127.0.0.1:1', seconds: 1, retryWithinMs: 500 })).rejects.toMatchObject({ code: 'network_unavailable' });
  });

  it('a tunnel that refuses its first streams is tried again, and the failures are counted', async () => {
    // A proxy that resets the first two connections, then relays (what a fresh Tor client can do).
    let resets = 2;
    const flaky = createServer((client) => {
      if (resets-- > 0) {
        client.resetAndDestroy();
        return;
      }
      const upstream = connect({ host: '127.0.0.1', port: Number(leakd.http[0]?.split(':')[1]) }, () => client.pipe(upstream).pipe(client));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(flaky.address() as { port: number }).port}/json`;
      const rtt = await measureRtt({ url, route: SYSTEM_ROUTE, samples: 3, intervalMs: 1 });
      expect(rtt.warmupFailures).toBe(2);
      resets = 1;
      const probe = await firstByteProbe(url, SYSTEM_ROUTE);
      expect(probe.failures).toBe(1);
    } finally {
      flaky.close();
    }
  });
});
