// The Tor driver against Debian's real tor with DisableNetwork 1 (it never touches a network): spawning,
// the private control socket, cookie authentication, ownership, bootstrap events reaching the session,
// the stuck-bootstrap verdict, clean teardown, and tor's own errors turned into sentences.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BurrowError, type ErrorInfo } from '../../../../app/domain/errors.js';
import type { ConnectionDetails, Progress } from '../../../../app/domain/tunnel-state.js';
import { TorDriver } from '../../../../app/networks/tor/driver.js';
import { parseTorProfile } from '../../../../app/networks/tor/profile.js';
import type { DriverSession, StoredProfile } from '../../../../app/supervisor/driver.js';
import { IP, Netns, canUseNetns } from '../../firewall/netns.js';
import { OBFS4 } from './profile-fixtures.js';

const hasTor = existsSync('/usr/bin/tor');

function profile(text: string, id = 'offline'): StoredProfile {
  const parsed = parseTorProfile(text);
  return { id, name: parsed.suggestedName, network: 'tor', config: parsed.config, secrets: parsed.secrets };
}

interface Recorder extends DriverSession {
  progress(progress: Progress): void;
  seen: Progress[];
  lost: (cause: ErrorInfo) => void;
  losses: ErrorInfo[];
  updates: ConnectionDetails[];
  controller: AbortController;
  /** Resolves at tor's own first progress report (after Burrow's "Starting Tor"): tor runs and its control port answers. */
  torReported: Promise<void>;
}

function session(): Recorder {
  const controller = new AbortController();
  const seen: Progress[] = [];
  const losses: ErrorInfo[] = [];
  const updates: ConnectionDetails[] = [];
  let reported = (): void => undefined;
  const torReported = new Promise<void>((resolve) => (reported = resolve));
  return {
    signal: controller.signal,
    controller,
    seen,
    losses,
    updates,
    torReported,
    progress: (p) => {
      seen.push(p);
      if (seen.length > 1) reported();
    },
    lost: (cause) => losses.push(cause),
    update: (details) => updates.push(details),
    log: () => undefined,
  };
}

/** tor processes whose command line names this directory (our children only). */
function torsUsing(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(dir) && /\btor\b/.test(line));
}

async function rejection(promise: Promise<unknown>): Promise<BurrowError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BurrowError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(!hasTor)('TorDriver with real tor, network disabled', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'burrow-tordrv-'));
  const driver = (stallMs = 1500): TorDriver =>
    new TorDriver({ dataDir, log: () => undefined, disableNetwork: true, watch: { stallMs, problemAfterMs: 60_000, overallMs: 60_000 } });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts tor on a private control socket, streams progress, and calls a bootstrap that cannot reach a relay blocked', async () => {
    const tor = driver();
    const s = session();
    const error = await rejection(tor.connect(profile('[tor]\nSocksPort 39150\n'), s));
    expect(error.code).toBe('blocked_by_censor');
    expect(error.message).toBe('Tor is blocked here: try a bridge (Settings → Tor → bridges, or import a profile with bridge lines)');
    expect(error.evidence).toMatchObject({ progress: 0, bridges: false, trigger: 'stalled' });
    // The first report is Burrow's own, then tor's phase text.
    expect(s.seen[0]).toEqual({ percent: 0, phase: 'Starting Tor' });
    expect(s.seen.some((p) => p.phase === 'Starting')).toBe(true);
    // Tor's state is kept between runs, private to the user; the control socket is gone with tor.
    const state = join(dataDir, 'tor', 'profiles', 'offline');
    expect(statSync(state).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'tor', 'run')).mode & 0o777).toBe(0o700);
    expect(readdirSync(state)).toContain('state');
    expect(existsSync(join(dataDir, 'tor', 'run', 'control'))).toBe(false);
    expect(torsUsing(dataDir)).toEqual([]);
    expect(await tor.status()).toBe('down');
  });

  it('with bridges the advice changes', async () => {
    const error = await rejection(driver().connect(profile(`Bridge ${OBFS4}\nSocksPort 39151\n`, 'bridged'), session()));
    expect(error.code).toBe('blocked_by_censor');
    expect(error.message).toMatch(/could not reach any of this profile's bridges/);
  });

  it('any other exit names tor\'s last warning, not its generic [err] (real tor refusing an option it does not know)', async () => {
    // Real tor, handed one option it has never heard of on its command line (what an older tor says about
    // an option Burrow writes): the warning the person reads is tor's own.
    const wrapper = join(dataDir, 'tor-with-unknown-option.sh');
    writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/tor "$@" --DisableNetwork 1 --NoSuchOption 1\n', { mode: 0o700 });
    const tor = new TorDriver({ dataDir, log: () => undefined, helpers: () => ({ tor: wrapper, transports: {} }) });
    const error = await rejection(tor.connect(profile('[tor]\n', 'broken'), session()));
    expect(error.code).toBe('helper_failed');
    expect(error.message).toBe("Tor stopped unexpectedly (exit code 1): Failed to parse/validate config: Unknown option 'NoSuchOption'.  Failing.");
  });

  it('cancelling (the user disconnects while bootstrapping) stops tor at once', async () => {
    const tor = driver(60_000);
    const s = session();
    const connecting = tor.connect(profile('[tor]\nSocksPort 39153\n', 'cancel'), s);
    await s.torReported;
    expect(await tor.status()).toBe('connecting');
    expect(torsUsing(dataDir)).toHaveLength(1);
    s.controller.abort(new BurrowError('cancelled', 'The user disconnected.'));
    const error = await rejection(connecting);
    expect(error.code).toBe('cancelled');
    expect(torsUsing(dataDir)).toEqual([]);
    await tor.disconnect();
    await tor.disconnect();
  });

  it('tor killed during bootstrap is helper_failed, with how it died', async () => {
    const tor = driver(60_000);
    const s = session();
    const connecting = tor.connect(profile('[tor]\nSocksPort 39154\n', 'killed'), s);
    await s.torReported;
    const [line] = torsUsing(dataDir);
    process.kill(Number(line?.trim().split(/\s+/)[0]), 'SIGKILL');
    const error = await rejection(connecting);
    expect(error.code).toBe('helper_failed');
    expect(error.message).toBe('Tor stopped unexpectedly (killed by SIGKILL).');
  });

  it('argv holds only file names: no password, cookie or bridge on a command line', async () => {
    const tor = driver(60_000);
    const s = session();
    const connecting = tor.connect(profile(`Bridge ${OBFS4}\nSocksPort 39155\n`, 'argv'), s);
    await s.torReported;
    const lines = torsUsing(dataDir);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/tor --defaults-torrc \S+\/torrc-defaults -f \S+\/torrc$/);
    s.controller.abort(new BurrowError('cancelled', 'done'));
    await rejection(connecting);
  });

  it('a system-wide profile without netd is refused up front, before tor starts', async () => {
    const tor = driver();
    await expect(tor.prepare(profile('[tor]\nMode system\n', 'system'))).rejects.toMatchObject({ code: 'netd_unavailable' });
  });

  it('new identity needs a running tor', async () => {
    await expect(driver().newIdentity()).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe.skipIf(!hasTor || !canUseNetns)('TorDriver with real tor in a throwaway namespace with only loopback (needs root)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'burrow-tordrv-ns-'));
  let ns: Netns | undefined;
  let blocker: ChildProcess | undefined;
  afterAll(async () => {
    blocker?.kill('SIGKILL');
    await ns?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a SOCKS port already taken is a conflict that says what to change (real tor, really refused the port)', async () => {
    // tor opens its listeners only with the network enabled; in a namespace with nothing but loopback it
    // cannot reach anything, and another program there already holds the port.
    ns = new Netns();
    await ns.create();
    blocker = spawn(IP, ['netns', 'exec', ns.name, process.execPath, '-e', "require('node:net').createServer().listen(39152, '127.0.0.1', () => console.log('listening'))"], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      blocker?.stdout?.on('data', (chunk: Buffer) => (chunk.toString().includes('listening') ? resolve() : undefined));
      blocker?.on('exit', (code) => reject(new Error(`the port holder exited (${code})`)));
    });
    const wrapper = join(dataDir, 'tor-in-netns.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${IP} netns exec ${ns.name} /usr/bin/tor "$@"\n`, { mode: 0o700 });
    const tor = new TorDriver({ dataDir, log: () => undefined, helpers: () => ({ tor: wrapper, transports: {} }) });
    const error = await rejection(tor.connect(profile('[tor]\nSocksPort 39152\n', 'busy'), session()));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('Port 39152 is taken by another program (another tor or Tor Browser?). Set SocksPort in the Tor profile to a free port.');
    expect(error.evidence).toMatchObject({ exit: 'exit code 1' });
    expect(torsUsing(dataDir)).toEqual([]);
  });
});
