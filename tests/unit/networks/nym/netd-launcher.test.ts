// System-wide Nym for a host that is not root: the driver asks netd (helper/netd-launcher.ts), and netd runs
// the client as burrow-nym (native/netd/proxy-helpers.ts). Here for real as root: netd's own handlers and
// dispatch (every request and answer through the protocol's schemas) behind a client that calls them in
// process as a caller with nobody's uid, and a program that answers as nym-socks5-client 1.1.76 does
// (conformance/upstream-nym-client.ts), which records the uid it ran as and the delay it read.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netdCommands, type NetdCommandName } from '../../../../app/contract/index.js';
import { BurrowError } from '../../../../app/domain/errors.js';
import type { NetdClient } from '../../../../app/netd/client.js';
import { netdLauncher } from '../../../../app/networks/helper/netd-launcher.js';
import type { HelperUser } from '../../../../app/networks/helper/user.js';
import { NymDriver } from '../../../../app/networks/nym/driver.js';
import type { DriverSession, StoredProfile } from '../../../../app/supervisor/driver.js';
import { dispatchLine } from '../../../../native/netd/dispatch.js';
import { createHandlers, type HandlerDeps } from '../../../../native/netd/handlers.js';
import { ProxyHelpers } from '../../../../native/netd/proxy-helpers.js';
import { ensureBurrowUsers } from '../../../lab/burrow-users.js';
import { bundleStandIn } from '../../../lab/standins/bundle.js';

const isRoot = process.getuid?.() === 0;
const CALLER = 65_534;
const PROVIDER = '7tW9GmRGbX5kUt3JgvBqQpbHyPWrRXCnvqc2jpoZ6BGQ.Bp1M5y1uhW1GqtcuTcWPoDcUnsaAarTuhZX3kEChWgRv@E3mvZTHQCdBvhfr178Swx9g4QG3kkRUun7YnToLMcMbM';
const GW1 = 'GwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1';
const logger = { log: () => undefined };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** netd's handlers behind its dispatch, called in process; the caller is who the kernel would say. */
function inProcessNetd(helpers: ProxyHelpers, calls: NetdCommandName[]): NetdClient {
  const handlers = createHandlers({ helpers, startedAt: 0 } as unknown as HandlerDeps);
  let id = 0;
  return {
    socketPath: 'in-process',
    async call(method, request) {
      calls.push(method);
      const line = JSON.stringify({ id: ++id, method, params: netdCommands[method].request.parse(request) });
      const envelope = await dispatchLine(handlers, line, { logger, connection: 1, caller: { uid: () => Promise.resolve(CALLER) } });
      if (!envelope.ok) throw BurrowError.fromInfo(envelope.error);
      return netdCommands[method].response.parse(envelope.result) as never;
    },
  };
}

const system = (socksPort: number): StoredProfile => ({
  id: 'p1',
  name: 'Nym',
  network: 'nym',
  config: { version: 1, mode: 'system', provider: PROVIDER, socksPort, averagePacketDelayMs: 40, coverTraffic: true, nymApis: [] },
  secrets: {},
});

describe.skipIf(!isRoot)('system-wide Nym for a desktop user: netd runs the client as burrow-nym', () => {
  let dir: string;
  let stateFile: string;
  let helpers: ProxyHelpers;
  let nymUid: number;
  const calls: NetdCommandName[] = [];
  const redirects: string[] = [];
  let driver: NymDriver;
  const lost: { code: string; message: string }[] = [];
  const session: DriverSession = { signal: new AbortController().signal, progress: () => undefined, lost: (failure) => lost.push(failure), update: () => undefined, log: () => undefined };

  beforeAll(() => {
    nymUid = ensureBurrowUsers()['burrow-nym'];
    dir = mkdtempSync(join(tmpdir(), 'burrow-nym-netd-'));
    chmodSync(dir, 0o755);
    stateFile = join(dir, 'state.json');
    writeFileSync(stateFile, JSON.stringify({ version: '1.1.76', gateways: [GW1], dead: [], inits: 0, runs: [] }), { mode: 0o666 });
    chmodSync(stateFile, 0o666);
    // Bundled beside its wrapper: burrow-nym may not reach into the checkout (a CI clone in a 0700 directory).
    const bundle = bundleStandIn(join(import.meta.dirname, '..', 'conformance', 'upstream-nym-client.ts'), dir);
    const program = join(dir, 'nym-socks5-client');
    writeFileSync(program, `#!/bin/sh\nexec '${process.execPath}' '${bundle}' '${stateFile}' "$@"\n`, { mode: 0o755 });
    helpers = new ProxyHelpers({ baseDir: join(dir, 'helpers'), logger, env: { BURROW_NYM_SOCKS5_CLIENT: program } });
    // The host's own helper user is the person (not dedicated), as for any host that is not root.
    const person: HelperUser = { name: String(CALLER), uid: CALLER, gid: CALLER, home: join(dir, 'person-home'), dedicated: false };
    driver = new NymDriver({
      dataDir: join(dir, 'data'),
      log: () => undefined,
      findClient: () => program,
      helperUser: () => person,
      systemLauncher: netdLauncher(inProcessNetd(helpers, calls), 'nym'),
      systemRedirect: { up: (r) => Promise.resolve(void redirects.push(`up ${r.proxyPort}`)), down: () => Promise.resolve(void redirects.push('down')), alive: () => Promise.resolve(true) },
      startupTimeoutMs: 20_000,
    });
  });

  afterAll(async () => {
    await driver.disconnect();
    await helpers.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('before connecting, the kill switch already knows the uid system-wide mode runs under: burrow-nym', () => {
    expect(driver.allowance('p1')).toMatchObject({ uid: nymUid, dedicated: true });
  });

  it('connects: version, init and run by netd as burrow-nym; the profile\'s delay written into its 0600 config through netd', async () => {
    const port = await freePort();
    const details = await driver.connect(system(port), session);
    expect(details.extra?.helper).toBe('runs as user burrow-nym');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { inits: number; runs: { uid: number; delayMs?: number }[] };
    expect(state.inits).toBe(1);
    expect(state.runs).toEqual([expect.objectContaining({ uid: nymUid, delayMs: 40 })]);
    expect(calls).toEqual(expect.arrayContaining(['helperPrepare', 'helperRun', 'helperReadConfig', 'helperWriteConfig', 'helperStart', 'helperRead']));
    expect(redirects).toEqual([`up ${port}`]);
    expect(driver.allowance('p1')).toMatchObject({ uid: nymUid, dedicated: true, gateway: { ip: '127.0.0.1', port: 9 } });
    expect(await driver.status()).toBe('up');
  }, 60_000);

  it('the client killed under netd: the driver sees it gone and reports the tunnel lost', async () => {
    execFileSync('pkill', ['-KILL', '-u', String(nymUid), '-f', 'upstream-nym-client']);
    for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lost).toHaveLength(1);
    expect(lost[0]?.code).toBe('helper_failed');
    expect(lost[0]?.message).toMatch(/nym-socks5-client was killed by SIGKILL/);
    expect(redirects.at(-1)).toBe('down');
  }, 20_000);

  it('connects again on the same client (no second init), and disconnect stops it in netd', async () => {
    const port = await freePort();
    await driver.connect(system(port), session);
    await driver.disconnect();
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { inits: number; runs: unknown[] };
    expect(state.inits).toBe(1);
    expect(state.runs).toHaveLength(2);
    expect(helpers.read('nym', 0, CALLER).running).toBe(false);
    expect(await driver.status()).toBe('down');
  }, 60_000);
});
