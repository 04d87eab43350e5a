// "Connected" for nym-socks5-client needs its two readiness lines, no bind failure, and a SOCKS5 handshake
// that works. Each case runs a small stand-in process that prints the real client's lines.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../../app/domain/errors.js';
import { HelperProcess } from '../../../../app/networks/helper/process.js';
import type { HelperUser } from '../../../../app/networks/helper/user.js';
import { waitUntilReady } from '../../../../app/networks/nym/readiness.js';

const user: HelperUser = { name: 'self', uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, home: mkdtempSync(join(tmpdir(), 'burrow-ready-')), dedicated: false };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** A process printing `lines` to stderr; with `socks`, a greeting-only SOCKS5 server on the port first. */
function fake(lines: string[], port: number, opts: { socks?: boolean; exitAfterMs?: number } = {}): HelperProcess {
  const script = `
    const log = (m) => process.stderr.write(' 2024-01-01T00:00:00Z INFO  nym_socks5_client_core > ' + m + '\\n');
    const go = () => { for (const m of ${JSON.stringify(lines)}) log(m); ${opts.exitAfterMs === undefined ? '' : `setTimeout(() => process.exit(3), ${opts.exitAfterMs});`} };
    ${opts.socks === true ? `require('node:net').createServer((s) => s.once('data', () => s.write(Buffer.from([5, 0])))).listen(${port}, '127.0.0.1', go);` : 'go();'}
    process.on('SIGINT', () => process.exit(0));
    setInterval(() => {}, 1000);`;
  return HelperProcess.start(process.execPath, ['-e', script], { user, env: { PATH: '/usr/bin:/bin' } });
}

async function outcome(proc: HelperProcess, port: number, timeoutMs = 4000): Promise<BurrowError | 'ready'> {
  try {
    await waitUntilReady(proc, { port, timeoutMs, signal: new AbortController().signal });
    return 'ready';
  } catch (error) {
    if (error instanceof BurrowError) return error;
    throw error;
  } finally {
    await proc.stop();
  }
}

describe('waitUntilReady', () => {
  it('both lines and a SOCKS5 handshake: ready', async () => {
    const port = await freePort();
    expect(await outcome(fake([`Listening on 127.0.0.1:${port}`, 'Client startup finished!'], port, { socks: true }), port)).toBe('ready');
  });

  it('the lines without anything listening (the bind failed silently): not ready, a helper failure', async () => {
    const port = await freePort();
    const error = await outcome(fake([`Listening on 127.0.0.1:${port}`, 'Client startup finished!'], port), port, 8000);
    expect(error).toBeInstanceOf(BurrowError);
    expect((error as BurrowError).code).toBe('helper_failed');
    expect((error as BurrowError).message).toMatch(new RegExp(`says it is ready, but no SOCKS5 server answers on 127\\.0\\.0\\.1:${port}`));
  });

  it('a logged bind failure wins over a handshake with whoever holds the port', async () => {
    const port = await freePort();
    const lines = [`Listening on 127.0.0.1:${port}`, 'Client startup finished!', `Failed to bind to 127.0.0.1:${port}: Address already in use (os error 98)`];
    const error = (await outcome(fake(lines, port, { socks: true }), port)) as BurrowError;
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/another program holds that port\. Set SocksPort/);
  });

  it('an exit before the lines: the exit and the last lines in the error', async () => {
    const port = await freePort();
    const error = (await outcome(fake(['Obtaining initial network topology'], port, { exitAfterMs: 50 }), port)) as BurrowError;
    expect(error.code).toBe('helper_failed');
    expect(error.message).toMatch(/nym-socks5-client exited with code 3 before it was ready: .*Obtaining initial network topology/);
  });

  it('no lines in time: a timeout naming what is missing', async () => {
    const port = await freePort();
    const error = (await outcome(fake(['Starting nym client'], port), port, 600)) as BurrowError;
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/did not get ready within 1 s \(no "Client startup finished!" and "Listening on 127\.0\.0\.1:\d+" yet\)/);
  });

  it('a port other than the one asked for is refused', async () => {
    const port = await freePort();
    const error = (await outcome(fake([`Listening on 127.0.0.1:${port + 1}`], port), port)) as BurrowError;
    expect(error.message).toMatch(new RegExp(`listens on 127\\.0\\.0\\.1:${port + 1}, not on port ${port}`));
  });
});
