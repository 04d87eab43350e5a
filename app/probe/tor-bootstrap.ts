// The Tor part of the probe: a real tor, run as the user with an empty data directory, bootstraps against
// this network until it reaches 100%, stalls, or time runs out; where it stopped says what is blocked
// (verdict.ts words the phases). An empty data directory on purpose: a cached consensus and guards would
// skip the very steps a censor interferes with. tor is never left running and its directory is removed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BurrowError } from '../domain/errors.js';
import type { CheckedTorConfig } from '../networks/tor/config.js';
import type { TorHelpers } from '../networks/tor/helpers.js';
import { TorProcess, torEnv } from '../networks/tor/tor-process.js';
import { buildTorrc, torArgv } from '../networks/tor/torrc.js';

export interface TorBootstrapOptions {
  /** Give up after this long, wherever tor is. */
  timeoutMs?: number;
  /** No new bootstrap step for this long: tor is stuck where it is. */
  stallMs?: number;
  signal?: AbortSignal;
}

export interface TorBootstrapResult {
  /** The furthest "Bootstrapped N%" tor reported (0: none). */
  progress: number;
  /** Its phase tag (control-spec §5), e.g. conn, handshake, requesting_status, done. */
  tag: string | undefined;
  ms: number;
  /** Why the probe stopped waiting. */
  ended: 'done' | 'stalled' | 'timeout';
  /** tor's last warning, when it gave one (e.g. the transport it could not reach). */
  warning: string | undefined;
}

const BOOTSTRAPPED = /Bootstrapped (\d{1,3})% \(([a-z_]+)\)/;

/** A free loopback port for tor's SOCKS listener (tor needs one to act as a client; nothing uses it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function probeTorBootstrap(config: CheckedTorConfig, helpers: TorHelpers, opts: TorBootstrapOptions = {}): Promise<TorBootstrapResult> {
  if (helpers.tor === undefined) throw new BurrowError('network_unavailable', 'Tor is not installed on this machine (apt install tor), so the probe cannot try it.');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const stallMs = opts.stallMs ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'burrow-probe-tor-'));
  const started = Date.now();
  let proc: TorProcess | undefined;
  try {
    const torrcFile = join(dir, 'torrc');
    const defaults = join(dir, 'torrc-defaults');
    writeFileSync(torrcFile, buildTorrc({
      config,
      dataDirectory: join(dir, 'data'),
      controlSocket: join(dir, 'control'),
      auth: { kind: 'cookie', cookieFile: join(dir, 'cookie') },
      // Not the profile's SOCKS port (the person's own tor may hold it): any free one.
      socksPort: await freePort(),
      transports: helpers.transports,
      owningPid: process.pid,
    }), { mode: 0o600 });
    writeFileSync(defaults, '', { mode: 0o600 });
    const tor = TorProcess.start(helpers.tor, torArgv(defaults, torrcFile), torEnv(dir));
    proc = tor;
    let progress = 0;
    let tag: string | undefined;
    const ended = await new Promise<TorBootstrapResult['ended']>((resolve, reject) => {
      let stall: NodeJS.Timeout | undefined;
      const armStall = (): void => {
        clearTimeout(stall);
        stall = setTimeout(() => finish('stalled'), stallMs);
      };
      const overall = setTimeout(() => finish('timeout'), timeoutMs);
      const onAbort = (): void => finish('timeout');
      let settled = false;
      const finish = (how: TorBootstrapResult['ended'] | Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(stall);
        clearTimeout(overall);
        stopLines();
        opts.signal?.removeEventListener('abort', onAbort);
        if (how instanceof Error) reject(how);
        else resolve(how);
      };
      const stopLines = tor.onLine((line) => {
        const match = BOOTSTRAPPED.exec(line);
        if (match === null) return;
        const reached = Number(match[1]);
        if (reached <= progress && tag !== undefined) return;
        progress = reached;
        tag = match[2];
        if (progress >= 100) finish('done');
        else armStall();
      });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      armStall();
      void tor.exited.then(() => finish(progress >= 100 ? 'done' : tor.exitError('while the probe bootstrapped it')));
    });
    return { progress, tag, ms: Date.now() - started, ended, warning: tor.lastProblem() };
  } finally {
    await proc?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
