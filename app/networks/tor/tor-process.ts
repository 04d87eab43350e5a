// One tor child process run as the user (proxy mode): spawned with an explicit environment, its log read
// line by line, its exit observed once, and stopped with TERM then KILL. No shell, no inherited variables.
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import { BurrowError } from '../../domain/errors.js';

export interface TorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

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
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  private exit: TorExit | undefined;

  private constructor(child: ChildProcess) {
    this.child = child;
    let partial = '';
    const onData = (chunk: Buffer): void => {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      if (partial.length > 8192) partial = partial.slice(-8192);
      for (const line of parts) this.push(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.push(`[err] could not start tor: ${error.message}`);
        this.exit ??= { code: null, signal: null };
        resolve(this.exit);
      });
      child.once('exit', (code, signal) => {
        if (partial.length > 0) this.push(partial);
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
  }

  static start(torPath: string, argv: readonly string[], env: Record<string, string>): TorProcess {
    return new TorProcess(spawn(torPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined && this.child.pid !== undefined;
  }

  /** The last lines tor printed (its notices, warnings and errors). */
  recent(count = 20): string[] {
    return this.lines.slice(-count);
  }

  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The most telling line for an error message: the last [warn] (tor's [err] is mostly "see warnings above"), else [err]. */
  lastProblem(): string | undefined {
    const pick = (level: string): string | undefined => [...this.lines].reverse().find((line) => line.includes(`[${level}]`) && !isRoutineWarning(line));
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
    const exit = this.exit;
    const how = exit?.signal ? `killed by ${exit.signal}` : `exit code ${exit?.code ?? 'unknown'}`;
    const evidence = { exit: how, log: this.recent(8) };
    const log = this.lines.join('\n');
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
  async stop(graceMs = 3000): Promise<void> {
    if (this.running) this.child.kill('SIGTERM');
    const gone = await Promise.race([this.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs))]);
    if (!gone) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private push(line: string): void {
    const clean = line.replace(/\r$/, '');
    if (clean.length === 0) return;
    this.lines.push(clean.slice(0, 1000));
    if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
    for (const listener of this.listeners) listener(clean);
  }
}
