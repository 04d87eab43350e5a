// Conformance at the driver: NymDriver against a program that answers as nym-socks5-client 1.1.76 does
// (upstream-nym-client.ts: upstream's clap surface, init summary, config.toml and log lines). Each test
// failed on the driver before the issue-14 fixes: the init summary was taken for a failure, `run` was
// refused by clap, no version was checked, and a dead gateway was retried for ever.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../../app/domain/errors.js';
import type { HelperUser } from '../../../../app/networks/helper/user.js';
import { NymDriver } from '../../../../app/networks/nym/driver.js';
import type { DriverSession, StoredProfile } from '../../../../app/supervisor/driver.js';

const PROVIDER = '7tW9GmRGbX5kUt3JgvBqQpbHyPWrRXCnvqc2jpoZ6BGQ.Bp1M5y1uhW1GqtcuTcWPoDcUnsaAarTuhZX3kEChWgRv@E3mvZTHQCdBvhfr178Swx9g4QG3kkRUun7YnToLMcMbM';
const GW1 = 'GwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1';
const GW2 = 'GwBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB2';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function world(state: { version?: string; dead?: string[] }): { driver: NymDriver; read: () => { inits: number; runs: { id: string; delayMs?: number; gateway: string; uid: number }[] } } {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-nym-conf-'));
  const stateFile = join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify({ version: state.version ?? '1.1.76', gateways: [GW1, GW2], dead: state.dead ?? [], inits: 0, runs: [] }));
  const root = join(import.meta.dirname, '..', '..', '..', '..');
  const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const binary = join(dir, 'nym-socks5-client');
  writeFileSync(binary, `#!/bin/sh\nexec '${process.execPath}' --import '${tsx}' '${join(import.meta.dirname, 'upstream-nym-client.ts')}' '${stateFile}' "$@"\n`);
  chmodSync(binary, 0o755);
  const user: HelperUser = { name: 'self', uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, home: mkdtempSync(join(tmpdir(), 'burrow-nym-home-')), dedicated: false };
  const driver = new NymDriver({ dataDir: dir, log: () => undefined, findClient: () => binary, helperUser: () => user, startupTimeoutMs: 20_000 });
  return { driver, read: () => JSON.parse(readFileSync(stateFile, 'utf8')) as ReturnType<ReturnType<typeof world>['read']> };
}

const session = (): DriverSession => ({ signal: new AbortController().signal, progress: () => undefined, lost: () => undefined, update: () => undefined, log: () => undefined });

const profile = (socksPort: number, delay = 40): StoredProfile => ({
  id: 'p1',
  name: 'Nym',
  network: 'nym',
  config: { version: 1, mode: 'proxy', provider: PROVIDER, socksPort, averagePacketDelayMs: delay, coverTraffic: true, nymApis: [] },
  secrets: {},
});

async function failure(promise: Promise<unknown>): Promise<BurrowError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BurrowError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('NymDriver against nym-socks5-client 1.1.76\'s behaviour', () => {
  it('connects: init once (its summary read), run accepted by clap, the profile\'s delay read by the client', async () => {
    const { driver, read } = world({});
    const port = await freePort();
    await driver.connect(profile(port, 40), session());
    await driver.disconnect();
    await driver.connect(profile(port, 40), session());
    await driver.disconnect();
    const state = read();
    expect(state.inits).toBe(1);
    expect(state.runs.map((run) => run.delayMs)).toEqual([40, 40]);
  }, 60_000);

  it('refuses a client outside the supported versions before running it', async () => {
    const { driver, read } = world({ version: '1.1.55' });
    const error = await failure(driver.connect(profile(await freePort()), session()));
    expect(error.code).toBe('network_unavailable');
    expect(error.message).toMatch(/version 1\.1\.55.*supports 1\.1\.56/);
    expect(read().inits).toBe(0);
  }, 60_000);

  it('a dead gateway: says so, and the next attempt registers a new client with another gateway', async () => {
    const { driver, read } = world({ dead: [GW1] });
    const port = await freePort();
    const error = await failure(driver.connect(profile(port), session()));
    expect(error.code).toBe('host_unreachable');
    expect(error.message).toMatch(/cannot be reached.*another gateway/);
    await driver.connect(profile(port), session());
    await driver.disconnect();
    const state = read();
    expect(state.inits).toBe(2);
    expect(state.runs.map((run) => run.gateway)).toEqual([GW1, GW2]);
  }, 60_000);
});
