// Issue 12 item 8 and the control socket part of item 10: every front door answers bad input with an
// error and stays up, and the control socket never goes into a directory someone else controls.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPrivateDir, startControlServer } from '../../../app/host/control-server.js';
import { createHost, type Host } from '../../../app/host/create-host.js';
import { requestTarget, startWebServer, type WebServer } from '../../../app/host/web-server.js';

let dir: string;
let host: Host;
let web: WebServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-doors-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Burrow</title>');
  host = await createHost({ dataDir: join(dir, 'data') });
  web = await startWebServer({ address: '127.0.0.1:0', rendererDir: join(dir, 'renderer'), handlers: host.handlers, log: () => undefined });
});
afterAll(async () => {
  await web.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request line, so the path reaches the server exactly as an attacker writes it. */
function raw(path: string, extra = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(web.port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\n${extra}Connection: close\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

function status(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, headers: { host: `127.0.0.1:${web.port}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the --web host stays up whatever URL it gets', () => {
  it.each(['/%E0%A4%A', '/%00', '/a%2', '/%'])('%s gets 400 and the next request is served', async (path) => {
    expect(await raw(path)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await status('/')).toBe(200);
  });

  // `new URL('//a:b', base)` throws: these used to end the host too. They are client-side routes now.
  it.each(['//', '//a:b', '//[::1'])('%s is answered and the next request is served', async (path) => {
    expect(await raw(path)).toMatch(/^HTTP\/1\.1 [234]\d\d /);
    expect(await status('/')).toBe(200);
  });

  it('a WebSocket upgrade with a bad escape is refused, and the host stays up', async () => {
    const answer = await raw('/%E0%A4%A', 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(await status('/')).toBe(200);
  });

  it('requestTarget never throws', () => {
    expect(requestTarget('/%E0%A4%A')).toBeUndefined();
    expect(requestTarget('/api?token=x')?.url.searchParams.get('token')).toBe('x');
    expect(requestTarget(undefined)?.path).toBe('/');
  });
});

describe('the control socket goes only where nobody else can reach it', () => {
  it('refuses a directory another uid made first (the /tmp/burrow-<uid> fallback)', async () => {
    const squatted = join(dir, 'squat');
    mkdirSync(squatted, { mode: 0o700 });
    chownSync(squatted, 65534, 65534);
    await expect(startControlServer(join(squatted, 'host.sock'), host.handlers, () => undefined)).rejects.toThrow(/belongs to uid 65534/);
  });

  it('refuses a directory others can write to', () => {
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(() => checkPrivateDir(open)).toThrow(/can be written by other users/);
  });

  it('accepts a private directory under /tmp (root-owned and sticky)', async () => {
    const mine = join(dir, 'mine');
    const control = await startControlServer(join(mine, 'host.sock'), host.handlers, () => undefined);
    await control.close();
  });
});
