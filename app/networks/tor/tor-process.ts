// One tor child process run as the user (proxy mode), supervised by the helper room's HelperProcess
// (app/networks/helper/process.ts: explicit environment, lines, exit once, TERM then KILL). What is Tor's
// own stays here: which warnings are routine, waiting for the control socket, turning an exit into an error.
import { lstat } from 'node:fs/promises';
import { BurrowError } from '../../domain/errors.js';
import { HelperProcess, type HelperExit } from '../helper/process.js';

export type TorExit = HelperExit;

const KEEP_LINES = 200;

/** Warnings tor gives for every private network or root run: true, known, and no help in an error message. */
export const ROUTINE_WARNINGS = [/TestingTorNetwork is set/, /You have used DirAuthority or AlternateDirAuthority/, /You are running Tor as root/];

export function isRoutineWarning(line: string): boolean {
  return ROUTINE_WARNINGS.some((pattern) => pattern.test(line));
}

/** A minimal environment: tor needs no proxy variables, tokens or locale of the host. */
export function torEnv(home: string): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C' };
}

export class TorProcess {
  readonly exited: Promise<TorExit>;

  private constructor(private readonly proc: HelperProcess) {
    this.exited = proc.exited;
  }

  static start(torPath: string, argv: readonly string[], env: Record<string, string>): TorProcess {
    return new TorProcess(HelperProcess.start(torPath, argv, { env, stopSignal: 'SIGTERM', ownGroup: true, keepLines: KEEP_LINES, startFailure: '[err] could not start tor' }));
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.running;
  }

  /** The last lines tor printed (its notices, warnings and errors). */
  recent(count = 20): string[] {
    return this.proc.recent(count);
  }

  onLine(listener: (line: string) => void): () => void {
    return this.proc.onLine(listener);
  }

  /** The most telling line for an error message: the last [warn] (tor's [err] is mostly "see warnings above"), else [err]. */
  lastProblem(): string | undefined {
    const pick = (level: string): string | undefined => [...this.proc.all()].reverse().find((line) => line.includes(`[${level}]`) && !isRoutineWarning(line));
    const line = pick('warn') ?? pick('err');
    return line?.replace(/^.*?\[(err|warn)\]\s*/, '').slice(0, 300);
  }

  /** Resolves once `path` is a socket; rejects if tor exits or time runs out. */
  async waitForSocket(path: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : new BurrowError('cancelled', 'Cancelled.');
      const stat = await lstat(path).catch(() => undefined);
      if (stat?.isSocket() === true) return;
      if (!this.running) throw this.exitError('before opening its control port');
      if (Date.now() > deadline) throw new BurrowError('helper_failed', `Tor did not open its control port within ${Math.round(timeoutMs / 1000)} s.`, { log: this.recent(5) });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The error for tor having exited `when`, with what tor said last (known causes in a sentence). */
  exitError(when: string): BurrowError {
    const exit = this.proc.exitInfo;
    const how = exit?.signal ? `killed by ${exit.signal}` : `exit code ${exit?.code ?? 'unknown'}`;
    const evidence = { exit: how, log: this.recent(8) };
    const log = this.proc.all().join('\n');
    const port = /Could not bind to 127\.0\.0\.1:(\d+): Address already in use/.exec(log);
    if (port !== null) {
      return new BurrowError('conflict', `Port ${port[1]} is taken by another program (another tor or Tor Browser?). Set SocksPort in the Tor profile to a free port.`, evidence);
    }
    if (log.includes('another Tor process is running with the same data directory')) {
      return new BurrowError('conflict', 'Another tor is using Burrow\'s Tor data directory. Stop it, then connect again.', evidence);
    }
    // Killed by a signal, tor said nothing about why: its last warning would only mislead.
    const said = exit?.signal ? undefined : this.lastProblem();
    return new BurrowError('helper_failed', `Tor stopped ${when} (${how})${said === undefined ? '.' : `: ${said}`}`, evidence);
  }

  /** TERM, then KILL after `graceMs`; resolves once tor is gone. Safe to call twice. */
  stop(graceMs = 3000): Promise<void> {
    return this.proc.stop(graceMs);
  }
}
