// The SOCKS5 path (Tor's SocksPort): request bytes, reply framing, and a real exchange on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leakd } from '../../../app/leakd/server.js';
import { observe } from '../../../app/leaks/exit-ip.js';
import { getEcho, newLeakName } from '../../../app/leaks/leak-server.js';
import { socks5Connect, socks5ReplyLength, socks5Request } from '../../../app/networks/helper/socks5.js';
import { fakeSocks, loopbackLeakd, type FakeSocks } from './loopback.js';

describe('SOCKS5 framing', () => {
  it('sends names as names (the far end resolves them), addresses as addresses', () => {
    expect([...socks5Request('ab.leak.lab', 80)]).toEqual([5, 1, 0, 3, 11, ...Buffer.from('ab.leak.lab'), 0, 80]);
    expect([...socks5Request('10.1.2.3', 443)]).toEqual([5, 1, 0, 1, 10, 1, 2, 3, 1, 187]);
    const v6 = socks5Request('fd00::80', 80);
    expect(v6[3]).toBe(4);
    expect([...v6.subarray(4, 20)]).toEqual([0xfd, 0, ...Array<number>(13).fill(0), 0x80]);
  });

  it('knows when a reply is complete', () => {
    expect(socks5ReplyLength(Buffer.from([5, 0, 0, 1, 1, 2, 3]))).toBe(0);
    expect(socks5ReplyLength(Buffer.from([5, 0, 0, 1, 1, 2, 3, 4, 0, 80]))).toBe(10);
    expect(socks5ReplyLength(Buffer.from([5, 0, 0, 3, 2, 97, 98, 0, 80]))).toBe(9);
  });
});

describe('through a SOCKS5 proxy on loopback', () => {
  let server: { leakd: Leakd; url: string };
  let proxy: FakeSocks;
  const port = () => Number(new URL(server.url).port);

  beforeAll(async () => {
    server = await loopbackLeakd();
    proxy = await fakeSocks(port(), ['refused.leak.test']);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.leakd.close();
  });

  it('asks the leak server through the proxy', async () => {
    const socks5 = { host: '127.0.0.1', port: proxy.port };
    const echo = await getEcho(server.url, { signal: AbortSignal.timeout(3000), socks5 });
    expect(echo.ip).toBe('127.0.0.1');
    const name = await newLeakName(server.url, { signal: AbortSignal.timeout(3000), socks5 });
    expect(name).toMatch(/\.leak\.test$/);
    expect(proxy.asked).toContain(`127.0.0.1:${port()}`);
  });

  it('sends a test name to the proxy unresolved, and reports the proxy’s refusal', async () => {
    const socks5 = { host: '127.0.0.1', port: proxy.port };
    const socket = await socks5Connect(socks5, 'abc.leak.test', 80, AbortSignal.timeout(3000));
    socket.destroy();
    expect(proxy.asked).toContain('abc.leak.test:80');
    await expect(socks5Connect(socks5, 'refused.leak.test', 80, AbortSignal.timeout(3000))).rejects.toThrow(/host unreachable/);
  });

  it('gives up when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(socks5Connect({ host: '127.0.0.1', port: proxy.port }, 'x.leak.test', 80, controller.signal)).rejects.toThrow('deadline');
  });
});

describe('the exit-IP request through a proxy whose first stream fails', () => {
  let server: { leakd: Leakd; url: string };
  beforeAll(async () => {
    server = await loopbackLeakd();
  });
  afterAll(async () => {
    await server?.leakd.close();
  });

  it('"general failure" (a Tor circuit that died under the stream): one more stream, and the answer counts', async () => {
    const proxy = await fakeSocks(Number(new URL(server.url).port), [], { failFirst: 1 });
    try {
      const seen = await observe({ url: server.url }, { signal: AbortSignal.timeout(5000), socks5: { host: '127.0.0.1', port: proxy.port } }, 4000);
      expect(seen).toEqual({ ip: '127.0.0.1' });
      expect(proxy.asked).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('"connection refused" is the destination\'s answer, not the path\'s: no second stream', async () => {
    const proxy = await fakeSocks(Number(new URL(server.url).port), [], { failFirst: 5 });
    try {
      const seen = await observe({ url: server.url }, { signal: AbortSignal.timeout(5000), socks5: { host: '127.0.0.1', port: proxy.port } }, 4000);
      expect(seen).toEqual({ error: expect.stringMatching(/connection refused/) as unknown });
      expect(proxy.asked).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
