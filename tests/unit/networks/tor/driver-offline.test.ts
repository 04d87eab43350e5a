// The Tor driver against Debian's real tor with DisableNetwork 1 (it never touches a network): spawning,
// the private control socket, cookie authentication, ownership, bootstrap events reaching the session,
// the stuck-bootstrap verdict, clean teardown, and tor's own errors turned into sentences.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BurrowError, type ErrorInfo } from '../../../../app/domain/errors.js';
import type { ConnectionDetails, Progress } from '../../../../app/domain/tunnel-state.js';
import { TorDriver } from '../../../../app/networks/tor/driver.js';
import { parseTorProfile } from '../../../../app/networks/tor/profile.js';
import type { DriverSession, StoredProfile } from '../../../../app/supervisor/driver.js';
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
}

function session(): Recorder {
  const controller = new AbortController();
  const seen: Progress[] = [];
  const losses: ErrorInfo[] = [];
  const updates: ConnectionDetails[] = [];
  return {
    signal: controller.signal,
    controller,
    seen,
    losses,
    updates,
    progress: (p) => seen.push(p),
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

  it('a SOCKS port already taken is a conflict that says what to change (tor\'s real words, from a stand-in)', async () => {
    // With DisableNetwork 1 tor opens no listeners, so this stand-in prints what tor 0.4.9 printed here
    // when the port was taken (captured in an isolated network namespace) and exits 1 as tor does.
    const fake = join(dataDir, 'fake-tor.sh');
    writeFileSync(
      fake,
      `#!/bin/sh
echo 'Nov 25 11:51:42.659 [notice] Opening Socks listener on 127.0.0.1:39152'
echo 'Nov 25 11:51:42.659 [warn] Could not bind to 127.0.0.1:39152: Address already in use. Is Tor already running?'
echo 'Nov 25 11:51:42.659 [warn] Failed to parse/validate config: Failed to bind one of the listener ports.'
echo 'Nov 25 11:51:42.659 [err] Reading config failed--see warnings above.'
exit 1
`,
      { mode: 0o700 },
    );
    const tor = new TorDriver({ dataDir, log: () => undefined, helpers: () => ({ tor: fake, transports: {} }) });
    const error = await rejection(tor.connect(profile('[tor]\nSocksPort 39152\n', 'busy'), session()));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('Port 39152 is taken by another program (another tor or Tor Browser?). Set SocksPort in the Tor profile to a free port.');
    expect(error.evidence).toMatchObject({ exit: 'exit code 1' });
  });

  it('any other exit names tor\'s last warning, not its generic [err]', async () => {
    const fake = join(dataDir, 'fake-tor-2.sh');
    writeFileSync(fake, "#!/bin/sh\necho '[warn] Failed to parse/validate config: Unknown option'\necho '[err] Reading config failed--see warnings above.'\nexit 1\n", { mode: 0o700 });
    const tor = new TorDriver({ dataDir, log: () => undefined, helpers: () => ({ tor: fake, transports: {} }) });
    const error = await rejection(tor.connect(profile('[tor]\n', 'broken'), session()));
    expect(error.code).toBe('helper_failed');
    expect(error.message).toBe('Tor stopped unexpectedly (exit code 1): Failed to parse/validate config: Unknown option');
  });

  it('cancelling (the user disconnects while bootstrapping) stops tor at once', async () => {
    const tor = driver(60_000);
    const s = session();
    const connecting = tor.connect(profile('[tor]\nSocksPort 39153\n', 'cancel'), s);
    await new Promise((resolve) => setTimeout(resolve, 1500));
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
    const connecting = tor.connect(profile('[tor]\nSocksPort 39154\n', 'killed'), session());
    await new Promise((resolve) => setTimeout(resolve, 1500));
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
    await new Promise((resolve) => setTimeout(resolve, 1500));
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
