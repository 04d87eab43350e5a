// netd running the proxy networks' helpers for a desktop user (native/netd/proxy-helpers.ts): for real, as
// root, under Burrow's own burrow-nym and burrow-dvpn (made as the package makes them), with a small program
// standing in for nym-socks5-client that reports who it runs as and writes files as the real client does.
// The caller is `nobody`, a uid that is not root and not the helper's: what a person's host is to netd.
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netdCommands, nymClientConfigPath } from '../../../app/contract/index.js';
import { BurrowError } from '../../../app/domain/errors.js';
import { ProxyHelpers } from '../../../native/netd/proxy-helpers.js';
import { ensureBurrowUsers } from '../../lab/burrow-users.js';

const isRoot = process.getuid?.() === 0;
const CALLER = 65_534;
const CALLER_GID = 65_534;
const OTHER = 12_345;
const logger = { log: () => undefined };
// What the stand-in does, by subcommand: --version prints a version; init writes a config the way upstream
// does (directories by the umask, the file 0600) and prints a long JSON line; run prints lines, then waits.
const PROGRAM = `#!/bin/sh
case "$1" in
  --version) echo "nym-socks5-client 1.1.76"; exit 0 ;;
  init)
    mkdir -p "$HOME/.nym/socks5-clients/$3/config"
    ( umask 077; printf '[core.debug.traffic]\\naverage_packet_delay = { secs = 0, nanos = 15000000 }\\n' > "$HOME/.nym/socks5-clients/$3/config/config.toml" )
    printf '{"id":"%s","pad":"%s"}\\n' "$3" "$(head -c 3000 /dev/zero | tr '\\0' x)"
    exit 0 ;;
  --no-banner)
    echo "uid=$(id -u) home=$HOME pwd=$(pwd)"
    echo made > "$HOME/made-by-helper"
    i=0; while [ $i -lt 40 ]; do echo "line $i"; i=$((i+1)); done
    trap 'echo "stopping on INT"; exit 0' INT
    while true; do sleep 0.1; done ;;
esac
exit 2
`;
const RUN = ['--no-banner', 'run', '--id', 'burrow-p1-abcd1234', '--port', '1080', '--host', '127.0.0.1'];
const INIT = ['init', '--id', 'burrow-p1-abcd1234', '--provider', '7tW9GmRGbX5kUt3JgvBqQpbHyPWrRXCnvqc2jpoZ6BGQ.Bp1M5y1uhW1GqtcuTcWPoDcUnsaAarTuhZX3kEChWgRv@E3mvZTHQCdBvhfr178Swx9g4QG3kkRUun7YnToLMcMbM', '-o', 'json'];

/** As the caller: a command's exit code (0 = it could). */
function asCaller(argv: string[]): number {
  return spawnSync('setpriv', [`--reuid=${CALLER}`, `--regid=${CALLER_GID}`, '--clear-groups', '--', ...argv]).status ?? -1;
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!isRoot)('netd runs the Nym and dVPN helpers for a desktop user', () => {
  let dir: string;
  let base: string;
  let helpers: ProxyHelpers;
  let uids: Record<string, number>;

  beforeAll(() => {
    uids = ensureBurrowUsers();
    dir = mkdtempSync(join(tmpdir(), 'burrow-proxy-helpers-'));
    chmodSync(dir, 0o755);
    const program = join(dir, 'nym-socks5-client');
    writeFileSync(program, PROGRAM, { mode: 0o755 });
    base = join(dir, 'helpers');
    helpers = new ProxyHelpers({ baseDir: base, logger, env: { BURROW_NYM_SOCKS5_CLIENT: program, BURROW_MYST: join(dir, 'no-such-myst') } });
  });

  afterAll(async () => {
    await helpers.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it("makes a home per caller that is the helper's alone (no setgid: burrow-netd.service's RestrictSUIDSGID= refuses it)", () => {
    const prepared = helpers.prepare('nym', CALLER);
    expect(prepared).toMatchObject({ user: 'burrow-nym', uid: uids['burrow-nym'], home: join(base, 'nym', String(CALLER)) });
    const stat = statSync(prepared.home);
    expect({ uid: stat.uid, mode: (stat.mode & 0o7777).toString(8) }).toEqual({ uid: uids['burrow-nym'], mode: '700' });
    expect(asCaller(['test', '-x', prepared.home])).not.toBe(0);
    expect(helpers.prepare('nym', OTHER).home).toBe(join(base, 'nym', String(OTHER)));
  });

  it('runs --version and init to completion as burrow-nym; a long line comes back whole', async () => {
    expect(await helpers.run('nym', ['--version'], CALLER, 5000)).toEqual({ code: 0, signal: null, lines: ['nym-socks5-client 1.1.76'] });
    const init = await helpers.run('nym', INIT, CALLER, 5000);
    expect(init.code).toBe(0);
    expect((JSON.parse(init.lines.at(-1) ?? '') as { pad: string }).pad).toHaveLength(3000);
  });

  it("reads and rewrites the client's 0600 config as the helper's user (the host cannot reach it)", async () => {
    const home = helpers.prepare('nym', CALLER).home;
    const file = nymClientConfigPath(home, 'burrow-p1-abcd1234');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(asCaller(['test', '-e', file])).not.toBe(0);
    await expect(helpers.readConfig('burrow-p9-abcd1234', CALLER)).rejects.toMatchObject({ code: 'not_found' });
    const { text } = await helpers.readConfig('burrow-p1-abcd1234', CALLER);
    expect(text).toContain('nanos = 15000000');
    await helpers.writeConfig('burrow-p1-abcd1234', text.replace('15000000', '40000000'), CALLER);
    expect(readFileSync(file, 'utf8')).toContain('nanos = 40000000');
    const after = statSync(file);
    expect({ uid: after.uid, mode: after.mode & 0o777 }).toEqual({ uid: uids['burrow-nym'], mode: 0o600 });
  });

  it('a link in the home leads only where the helper could go: root-only files stay unread and untouched', async () => {
    const home = helpers.prepare('nym', CALLER).home;
    const secret = join(dir, 'root-only');
    writeFileSync(secret, 'root secret\n', { mode: 0o600 });
    // Whoever could write there (the helper itself, compromised) swaps the config for a link.
    const file = nymClientConfigPath(home, 'burrow-p1-abcd1234');
    const asHelper = ['setpriv', `--reuid=${uids['burrow-nym']}`, `--regid=${uids['burrow-nym']}`, '--clear-groups', '--'];
    expect(spawnSync(asHelper[0] ?? '', [...asHelper.slice(1), 'sh', '-c', `rm -f '${file}' && ln -s '${secret}' '${file}'`]).status).toBe(0);
    await expect(helpers.readConfig('burrow-p1-abcd1234', CALLER)).rejects.toThrow(/no config netd can read/);
    await helpers.writeConfig('burrow-p1-abcd1234', 'x = 1\n', CALLER);
    // mv replaced the link itself; the file it pointed at is as it was.
    expect(readFileSync(secret, 'utf8')).toBe('root secret\n');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('x = 1\n');
  });

  it("starts run as burrow-nym in its home with umask 077; lines come in order with a cursor; only its caller may read or stop it", async () => {
    const started = await helpers.start('nym', RUN, CALLER);
    expect(started).toMatchObject({ uid: uids['burrow-nym'], user: 'burrow-nym' });
    const home = join(base, 'nym', String(CALLER));
    const first = await waitFor('40 lines', () => {
      const read = helpers.read('nym', 0, CALLER);
      return read.lines.length >= 41 ? read : undefined;
    });
    expect(first.lines[0]).toBe(`uid=${uids['burrow-nym']} home=${home} pwd=${home}`);
    expect(first.lines.slice(1, 41)).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i}`));
    expect(first.running).toBe(true);
    expect(helpers.read('nym', first.next, CALLER).lines).toEqual([]);
    // What it made is its own alone.
    const made = statSync(join(home, 'made-by-helper'));
    expect({ uid: made.uid, mode: made.mode & 0o777 }).toEqual({ uid: uids['burrow-nym'], mode: 0o600 });
    expect(() => helpers.read('nym', 0, OTHER)).toThrow(BurrowError);
    await expect(helpers.stop('nym', OTHER)).rejects.toThrow(/another user/);
    expect(await helpers.stop('nym', CALLER)).toEqual({ stopped: true });
    expect(helpers.read('nym', 0, CALLER).running).toBe(false);
  });

  it("refuses what Burrow never sends: other subcommands, flags, hosts, and myst's web UI", () => {
    const refused = (helper: 'nym' | 'myst', args: string[]): boolean => !netdCommands.helperStart.request.safeParse({ helper, args }).success;
    expect(refused('nym', RUN)).toBe(false);
    expect(refused('nym', INIT)).toBe(false);
    expect(refused('myst', ['--proxymode', '--consumer', '--proxy.bind.address=127.0.0.1', '--tequilapi.port=4050', '--ui.enable=false', 'daemon'])).toBe(false);
    expect(refused('nym', ['--no-banner', 'run', '--id', 'x', '--port', '1080', '--host', '0.0.0.0'])).toBe(true);
    expect(refused('nym', [...RUN, '--config-env-file', '/etc/shadow'])).toBe(true);
    expect(refused('nym', ['add-gateway', '--id', 'x'])).toBe(true);
    expect(refused('nym', ['init', '--id', 'x', '--provider', 'not-a-recipient', '-o', 'json'])).toBe(true);
    expect(refused('nym', ['init', '--id', 'x', '--id', 'y', '-o', 'json'])).toBe(true);
    expect(refused('myst', ['--proxymode', '--consumer', '--proxy.bind.address=0.0.0.0', '--tequilapi.port=4050', '--ui.enable=false', 'daemon'])).toBe(true);
    expect(refused('myst', ['--proxymode', '--consumer', '--proxy.bind.address=127.0.0.1', '--tequilapi.port=4050', 'daemon'])).toBe(true);
    expect(refused('myst', ['cli'])).toBe(true);
  });

  it('says plainly what is missing: the program where netd looks', async () => {
    const myst = ['--proxymode', '--consumer', '--proxy.bind.address=127.0.0.1', '--tequilapi.port=4050', '--ui.enable=false', 'daemon'];
    await expect(helpers.start('myst', myst, CALLER)).rejects.toThrow(/BURROW_MYST in netd's environment names .*no-such-myst, which netd cannot run/);
    expect(helpers.read('myst', 0, CALLER)).toMatchObject({ running: false, lines: [] });
  });
});
