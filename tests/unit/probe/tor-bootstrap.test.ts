// The bootstrap probe's bookkeeping, with a script in tor's place that prints what tor prints (the real
// tor against the lab's Tor network and censor is tests/lab/censor-probe-tor.test.ts): it stops at 100%,
// gives up on a stall, turns an early exit into tor's own words, and leaves neither process nor directory.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torConfigFromRecord } from '../../../app/networks/tor/config.js';
import { probeTorBootstrap } from '../../../app/probe/tor-bootstrap.js';

const config = torConfigFromRecord({ version: 1, mode: 'proxy', socksPort: 9150, useBridges: false, bridges: [], dirAuthorities: [], options: {} });

/** A stand-in tor: prints `lines` (one per 50 ms), then sleeps or exits; records its torrc for the test. */
function fakeTor(lines: string[], then: 'sleep' | 'exit 1'): { path: string; torrc: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-tor-'));
  const path = join(dir, 'tor');
  const copy = join(dir, 'torrc-seen');
  const body = lines.map((line) => `echo '${line}'; sleep 0.05`).join('\n');
  writeFileSync(path, `#!/bin/sh\ncp "$4" '${copy}'\n${body}\n${then === 'sleep' ? 'exec sleep 60' : 'exit 1'}\n`);
  chmodSync(path, 0o755);
  return { path, torrc: () => readFileSync(copy, 'utf8') };
}

const probeDirs = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('burrow-probe-tor-'));

describe('probeTorBootstrap', () => {
  it('stops at 100% and removes its directory; its tor does not take the profile\'s SOCKS port', async () => {
    const before = probeDirs();
    const tor = fakeTor(['[notice] Bootstrapped 0% (starting): Starting', '[notice] Bootstrapped 5% (conn): Connecting to a relay', '[notice] Bootstrapped 100% (done): Done'], 'sleep');
    const result = await probeTorBootstrap(config, { tor: tor.path, transports: {} }, { stallMs: 5000, timeoutMs: 10_000 });
    expect(result).toMatchObject({ progress: 100, tag: 'done', ended: 'done' });
    expect(tor.torrc()).toMatch(/^SocksPort 127\.0\.0\.1:(\d+)$/m);
    expect(tor.torrc()).not.toMatch(/SocksPort 127\.0\.0\.1:9150$/m);
    expect(probeDirs()).toEqual(before);
  });

  it('gives up when tor stops advancing, and says where it stood', async () => {
    const tor = fakeTor(['[notice] Bootstrapped 0% (starting): Starting', '[notice] Bootstrapped 5% (conn): Connecting to a relay'], 'sleep');
    const result = await probeTorBootstrap(config, { tor: tor.path, transports: {} }, { stallMs: 300, timeoutMs: 10_000 });
    expect(result).toMatchObject({ progress: 5, tag: 'conn', ended: 'stalled' });
  });

  it('a tor that exits before it is done is an error with its own last warning', async () => {
    const tor = fakeTor(['[notice] Bootstrapped 0% (starting): Starting', '[warn] Failed to parse/validate config: Unknown option'], 'exit 1');
    await expect(probeTorBootstrap(config, { tor: tor.path, transports: {} }, { stallMs: 5000, timeoutMs: 10_000 })).rejects.toThrow(/Unknown option/);
  });

  it('without tor installed it says how to install it', async () => {
    await expect(probeTorBootstrap(config, { tor: undefined, transports: {} })).rejects.toThrow(/apt install tor/);
  });
});
