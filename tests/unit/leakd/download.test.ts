// leakd's /download route: exact sizes, bounds, a cap on downloads at once, flat memory, and a caller
// that goes away frees its slot.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadGate, parseDownloadBytes } from '../../../app/leakd/download.js';
import { DEFAULT_CONFIG, startLeakd, type Leakd } from '../../../app/leakd/server.js';

function fetchHead(url: string): Promise<{ status: number; length: string | undefined; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'HEAD', agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'], bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Starts a download, reads `keep` bytes, then drops the connection. */
function startAndDrop(url: string, keep: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let got = 0;
      res.on('data', (c: Buffer) => {
        got += c.length;
        if (got >= keep) {
          res.destroy();
          req.destroy();
          resolve(got);
        }
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
  });
}

describe('leakd /download', () => {
  let leakd: Leakd;
  let base: string;

  beforeAll(async () => {
    leakd = await startLeakd({ ...DEFAULT_CONFIG, http: [{ host: '127.0.0.1', port: 0 }], dns: [], stun: [], maxDownloadBytes: 32 * 1024 * 1024, maxConcurrentDownloads: 2 });
    base = `http://${leakd.http[0]}`;
  });
  afterAll(async () => {
    await leakd.close();
  });

  it('a download dropped half way gives its slot back: 20 dropped in turn, then both slots serve in full', async () => {
    // At most 2 at once: a slot a dropped download kept would turn the third drop into a 503.
    for (let i = 0; i < 20; i++) expect(await startAndDrop(`${base}/download?bytes=${32 * 1024 * 1024}`, 1024 * 1024)).toBeGreaterThanOrEqual(1024 * 1024);
    const full = await Promise.all([0, 1].map(async () => {
      const res = await fetch(`${base}/download?bytes=${8 * 1024 * 1024}`);
      let total = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) total += chunk.length;
      return [res.status, total];
    }));
    expect(full).toEqual([[200, 8 * 1024 * 1024], [200, 8 * 1024 * 1024]]);
  });

  it('sends exactly the bytes asked for, uncacheable, as octets', async () => {
    for (const size of [1, 65_535, 65_536, 200_001]) {
      const res = await fetch(`${base}/download?bytes=${size}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await res.arrayBuffer()).byteLength).toBe(size);
    }
    expect(await fetchHead(`${base}/download?bytes=5000`)).toEqual({ status: 200, length: '5000', bytes: 0 });
  });

  it('refuses a missing, malformed, zero or too large size', async () => {
    for (const query of ['', '?bytes=', '?bytes=-1', '?bytes=1e6', '?bytes=0', `?bytes=${32 * 1024 * 1024 + 1}`, '?bytes=99999999999999']) {
      const res = await fetch(`${base}/download${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(0);
    }
    expect(parseDownloadBytes('bytes=10', 100)).toBe(10);
    expect(parseDownloadBytes('bytes=101', 100)).toBe('bytes must be between 1 and 100');
  });

  it('at most maxConcurrent downloads at once; a caller that hangs up frees its slot', async () => {
    // Two slow readers hold both slots (they read a little, then stop reading: backpressure).
    const held: Array<() => void> = [];
    for (let i = 0; i < 2; i++) {
      await new Promise<void>((resolve) => {
        const req = request(`${base}/download?bytes=${32 * 1024 * 1024}`, { agent: false }, (res) => {
          res.once('data', () => {
            res.pause();
            held.push(() => req.destroy());
            resolve();
          });
        });
        req.on('error', () => undefined);
        req.end();
      });
    }
    const busy = await fetch(`${base}/download?bytes=10`);
    expect(busy.status).toBe(503);
    expect(await busy.json()).toEqual({ error: 'busy: at most 2 downloads at once' });
    for (const release of held) release();
    await expect.poll(async () => (await fetch(`${base}/download?bytes=10`)).status, { timeout: 3000 }).toBe(200);
  });

  it('the gate never goes below zero and refuses a silly configuration', () => {
    const gate = new DownloadGate(10, 1);
    expect(gate.tryAcquire()).toBe(true);
    expect(gate.tryAcquire()).toBe(false);
    gate.release();
    gate.release();
    expect(gate.active).toBe(0);
    expect(() => new DownloadGate(0, 1)).toThrow();
  });
});
