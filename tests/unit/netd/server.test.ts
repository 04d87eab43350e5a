// netd's socket itself: private mode, one answer per line in order, oversized input and floods close the
// connection, and the server keeps serving others afterwards.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NetdHandlers } from '../../../native/netd/dispatch.js';
import { startServer, type NetdServer } from '../../../native/netd/server.js';
import { capturingLogger } from './fixtures.js';

let dir: string;
let server: NetdServer | undefined;

const handlers = {
  ping: () => Promise.resolve({ protocol: 1, version: 'test', pid: process.pid, uptimeMs: 0 }),
  // A slow command, to show answers keep their order.
  clearFirewall: () => new Promise((resolve) => setTimeout(() => resolve({ cleared: true }), 50)),
} as unknown as NetdHandlers;

/** Writes `text`, collects every line until the server closes or `ms` pass. */
function exchange(path: string, text: string, ms = 500): Promise<{ lines: string[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    let out = '';
    let closed = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (out += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve({ lines: out.split('\n').filter(Boolean), closed });
    });
    socket.write(text);
    setTimeout(() => {
      socket.destroy();
      resolve({ lines: out.split('\n').filter(Boolean), closed });
    }, ms);
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-netd-server-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('netd socket server', () => {
  it('creates its socket with mode 0600 and refuses to start twice on it', async () => {
    const path = join(dir, 'netd.sock');
    server = await startServer({ path, handlers, logger: capturingLogger().logger });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(startServer({ path, handlers, logger: capturingLogger().logger })).rejects.toThrow(/already listening/);
  });

  it('answers pipelined requests one at a time, in order', async () => {
    const path = join(dir, 'netd.sock');
    server = await startServer({ path, handlers, logger: capturingLogger().logger });
    const { lines } = await exchange(path, '{"id":1,"method":"clearFirewall","params":{}}\n{"id":2,"method":"ping","params":{}}\nnonsense\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: number | null; ok: boolean }).id)).toEqual([1, 2, null]);
  });

  it('closes a connection that sends more than the size limit, and keeps serving', async () => {
    const path = join(dir, 'netd.sock');
    const { logger, text } = capturingLogger();
    server = await startServer({ path, handlers, logger });
    const big = await exchange(path, 'z'.repeat(70_000));
    expect(big.closed).toBe(true);
    expect(big.lines[0]).toMatch(/message_too_large/);
    expect(text()).toMatch(/connection closed by netd/);
    const next = await exchange(path, '{"id":3,"method":"ping","params":{}}\n');
    expect(next.lines[0]).toMatch(/"ok":true/);
  });

  it('closes a connection that floods it with queued requests', async () => {
    const path = join(dir, 'netd.sock');
    server = await startServer({ path, handlers, logger: capturingLogger().logger });
    const flood = Array.from({ length: 40 }, (_, i) => `{"id":${i},"method":"clearFirewall","params":{}}\n`).join('');
    const result = await exchange(path, flood, 3000);
    expect(result.closed).toBe(true);
    expect(result.lines.some((line) => line.includes('one request at a time'))).toBe(true);
  });
});
