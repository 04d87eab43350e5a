// Issue 12 item 7: netd tells who is asking from the kernel (SO_PEERCRED's answer, via ss), not from the
// request, and system-wide Tor is started only for the uid that asks (or for anyone by root).
import { spawn } from 'node:child_process';
import { chmodSync, fstatSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../native/netd/handlers.js';
import { runTool } from '../../../native/netd/exec.js';
import { peerOf, pidOfPeer, realUid } from '../../../native/netd/peer.js';

const canRun = process.getuid?.() === 0;

describe('parsing', () => {
  it('finds the caller by the peer inode, and reads the real uid', () => {
    const ss = [
      'u_str ESTAB 0      0      /run/burrow/netd.sock 296788 * 296787 users:(("node",pid=25360,fd=20))',
      'u_str ESTAB 0      0                          * 296787 * 296788 users:(("node",pid=25367,fd=18))',
    ].join('\n');
    expect(pidOfPeer(ss, 296788)).toBe(25367);
    expect(pidOfPeer(ss, 1)).toBeUndefined();
    expect(realUid('Name:\tsudo\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n')).toBe(1000);
  });
});

describe.skipIf(!canRun)('peerOf on a real socket', () => {
  it('says uid 65534 for a client running as 65534, whatever it claims', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'burrow-peer-'));
    chmodSync(dir, 0o755);
    const path = join(dir, 'netd.sock');
    const accepted = new Promise<Socket>((resolve) => {
      const server = createServer((socket) => {
        resolve(socket);
        server.close();
      });
      server.listen(path, () => chmodSync(path, 0o666));
    });
    const client = spawn('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('net').connect(${JSON.stringify(path)}); setTimeout(() => {}, 5000)`]);
    try {
      const socket = await accepted;
      expect(await peerOf(socket, runTool)).toEqual({ pid: expect.any(Number) as unknown, uid: 65534 });
      socket.destroy();
    } finally {
      client.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('without CAP_SYS_PTRACE (burrow-netd.service)', () => {
  it('ss as root names no process for another user\'s socket: netd asks as each user until one holds the peer', async () => {
    const server = createServer(() => undefined);
    const dir = mkdtempSync(join(tmpdir(), 'burrow-peer-'));
    const path = join(dir, 'netd.sock');
    await new Promise<void>((resolve) => server.listen(path, resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const { connect } = await import('node:net');
    const client = connect(path);
    try {
      const socket = await accepted;
      const inode = fstatSync((socket as unknown as { _handle: { fd: number } })._handle.fd).ino;
      const asked: (number | undefined)[] = [];
      // The kernel's view as the sandbox gives it: only the owning user's own ss sees the pid.
      const run = (_file: string, _args: readonly string[], options: { as?: { uid: number } } = {}): Promise<{ stdout: string; stderr: string; code: number }> => {
        asked.push(options.as?.uid);
        const users = options.as?.uid === 4242 ? ` users:(("node",pid=${process.pid},fd=30))` : '';
        return Promise.resolve({ stdout: `u_str ESTAB 0 0 * 99 * ${inode}${users}\n`, stderr: '', code: 0 });
      };
      const found = await peerOf(socket, run, () => [{ uid: 1000, gid: 1000 }, { uid: 4242, gid: 4242 }, { uid: 5000, gid: 5000 }]);
      expect(asked).toEqual([undefined, 1000, 4242]);
      // The pid it found is this test process, whose real uid is not 4242: refused, never taken on trust.
      expect(found).toBeUndefined();
    } finally {
      client.destroy();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!canRun)('the real thing: with CAP_SYS_PTRACE out of its bounding set, peerOf still says 65534', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'burrow-peer-'));
    chmodSync(dir, 0o755);
    const path = join(dir, 'netd.sock');
    // netd's side runs in a child without CAP_SYS_PTRACE, as under the unit; it prints what peerOf said.
    const script = `
      const { createServer } = require('node:net');
      const { peerOf } = require(${JSON.stringify(join(process.cwd(), 'native/netd/peer.ts'))});
      const { runTool } = require(${JSON.stringify(join(process.cwd(), 'native/netd/exec.ts'))});
      const server = createServer(async (socket) => { console.log(JSON.stringify(await peerOf(socket, runTool))); process.exit(0); });
      server.listen(process.argv[1], () => { require('node:fs').chmodSync(process.argv[1], 0o666); console.log('listening'); });`;
    const netd = spawn('/usr/bin/setpriv', ['--bounding-set=-sys_ptrace', '--inh-caps=-all', '--', process.execPath, '--import', 'tsx', '-e', script, path], { cwd: process.cwd() });
    let out = '';
    netd.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await expect.poll(() => out, { timeout: 15_000 }).toContain('listening');
      const client = spawn('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('net').connect(${JSON.stringify(path)}); setTimeout(() => {}, 8000)`]);
      try {
        await expect.poll(() => out, { timeout: 15_000 }).toMatch(/"uid":65534/);
      } finally {
        client.kill();
      }
    } finally {
      netd.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('torSystemStart checks the caller', () => {
  const started: number[] = [];
  const handlers = createHandlers({
    tor: { start: (request: { controllerUid: number }) => Promise.resolve(void started.push(request.controllerUid)) },
  } as never);
  const request = { controllerUid: 1000 } as never;

  it.each([
    ['another uid', 1001, /uid 1001 asked netd to start system-wide Tor for uid 1000/],
    ['an unknown caller', undefined, /could not tell which user is asking/],
  ])('refuses %s', async (_what, uid, message) => {
    await expect(handlers.torSystemStart(request, { uid: () => Promise.resolve(uid) })).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(message) as unknown });
    expect(started).toEqual([]);
  });

  it('starts it for the uid itself and for root', async () => {
    await handlers.torSystemStart(request, { uid: () => Promise.resolve(1000) });
    await handlers.torSystemStart(request, { uid: () => Promise.resolve(0) });
    expect(started).toEqual([1000, 1000]);
  });
});
