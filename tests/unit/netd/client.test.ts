// The host's netd client: it trusts only a socket owned by root that others cannot write, checks what it
// sends and what comes back, and fails with readable errors when netd is not there or misbehaves.
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BurrowError } from '../../../app/domain/index.js';
import { checkNetdSocket, createNetdClient } from '../../../app/netd/client.js';
import { KEYS, wgUp } from './fixtures.js';

const isRoot = process.getuid?.() === 0;
const me = process.getuid?.() ?? 0;

let dir: string;
let servers: Server[];

/** A socket server answering each line with `reply(request)`. */
function serve(path: string, reply: (request: { id: number; method: string }) => string | undefined): Promise<Server> {
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      const answer = reply(JSON.parse(buffer.slice(0, newline)) as { id: number; method: string });
      buffer = buffer.slice(newline + 1);
      if (answer === undefined) socket.destroy();
      else socket.write(answer);
    });
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof BurrowError ? error.code : 'not a BurrowError';
  }
  return undefined;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-netd-client-'));
  servers = [];
});
afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

describe('checkNetdSocket', () => {
  it('accepts a socket owned by the expected uid with mode 0600 or 0660', async () => {
    const path = join(dir, 'netd.sock');
    await serve(path, () => undefined);
    chmodSync(path, 0o600);
    expect(() => checkNetdSocket(path, me)).not.toThrow();
    chmodSync(path, 0o660);
    expect(() => checkNetdSocket(path, me)).not.toThrow();
  });

  it('says netd is not running when there is no socket, and refuses a file that is not a socket', () => {
    expect(codeOf(() => checkNetdSocket(join(dir, 'missing.sock')))).toBe('netd_unavailable');
    const file = join(dir, 'file.sock');
    writeFileSync(file, '');
    expect(codeOf(() => checkNetdSocket(file, me))).toBe('netd_unavailable');
  });

  it('refuses a socket that anyone may write to', async () => {
    const path = join(dir, 'open.sock');
    await serve(path, () => undefined);
    chmodSync(path, 0o666);
    expect(codeOf(() => checkNetdSocket(path, me))).toBe('unauthorized');
  });

  it.skipIf(!isRoot)('refuses a socket owned by someone other than root (a program that put its own socket there)', async () => {
    const path = join(dir, 'impostor.sock');
    await serve(path, () => undefined);
    chmodSync(path, 0o600);
    expect(() => checkNetdSocket(path)).not.toThrow();
    chownSync(path, 65534, 65534);
    expect(codeOf(() => checkNetdSocket(path))).toBe('unauthorized');
    expect(() => checkNetdSocket(path)).toThrow(/uid 65534, not root/);
  });

  it.skipIf(!isRoot)('createNetdClient refuses to send anything to an impostor socket', async () => {
    const path = join(dir, 'impostor2.sock');
    let received = 0;
    await serve(path, () => {
      received++;
      return undefined;
    });
    chownSync(path, 65534, 65534);
    await expect(createNetdClient(path).call('ping', {})).rejects.toMatchObject({ code: 'unauthorized' });
    expect(received).toBe(0);
  });
});

describe('createNetdClient', () => {
  const options = { expectedOwner: me, timeoutMs: 2000 };

  it('sends a checked request and returns the checked answer', async () => {
    const path = join(dir, 'ok.sock');
    const seen: unknown[] = [];
    await serve(path, (request) => {
      seen.push(request);
      return `${JSON.stringify({ id: request.id, ok: true, result: { protocol: 1, version: '0.1.0', pid: 42, uptimeMs: 5 } })}\n`;
    });
    expect(await createNetdClient(path, options).call('ping', {})).toEqual({ protocol: 1, version: '0.1.0', pid: 42, uptimeMs: 5 });
    expect(seen).toEqual([{ id: 1, method: 'ping', params: {} }]);
  });

  it('refuses to build an invalid request, without quoting the key it carried', async () => {
    const path = join(dir, 'never.sock');
    await serve(path, () => undefined);
    const call = createNetdClient(path, options).call('wgUp', { ...wgUp(), ifname: 'eth0' });
    await expect(call).rejects.toMatchObject({ code: 'invalid_request' });
    await call.catch((error: Error) => expect(error.message).not.toContain(KEYS.client));
  });

  it('passes netd’s own errors on as they are', async () => {
    const path = join(dir, 'err.sock');
    await serve(path, (request) => `${JSON.stringify({ id: request.id, ok: false, error: { code: 'helper_failed', message: 'nft said no' } })}\n`);
    await expect(createNetdClient(path, options).call('clearFirewall', {})).rejects.toMatchObject({ code: 'helper_failed', message: 'nft said no' });
  });

  it.each([
    ['an answer that breaks the protocol', (id: number) => `${JSON.stringify({ id, ok: true, result: { cleared: 'maybe' } })}\n`, 'netd_unavailable'],
    ['an answer to another request', (id: number) => `${JSON.stringify({ id: id + 1, ok: true, result: { cleared: true } })}\n`, 'netd_unavailable'],
    ['not JSON', () => 'hello\n', 'netd_unavailable'],
    ['a closed connection', () => undefined, 'netd_unavailable'],
  ])('fails clearly on %s', async (_what, reply, code) => {
    const path = join(dir, 'bad.sock');
    await serve(path, (request) => reply(request.id));
    await expect(createNetdClient(path, options).call('clearFirewall', {})).rejects.toMatchObject({ code });
  });

  it('times out when netd does not answer', async () => {
    const path = join(dir, 'slow.sock');
    await serve(path, () => '');
    await expect(createNetdClient(path, options).call('ping', {}, 200)).rejects.toMatchObject({ code: 'timeout' });
  });
});
