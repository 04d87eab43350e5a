// One helper child process, supervised the one way every network does it (nym-socks5-client, myst, tor in
// proxy mode): spawned with an explicit environment (no shell, nothing inherited), under the helper user
// when the host is root; its stdout and stderr read line by line as events, the last lines kept for error
// messages; its exit observed once ("lost" for a driver is this promise resolving while connected);
// stopped with the program's own "shut down cleanly" signal, then SIGKILL. Written once, here.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { HelperLines } from './helper-lines.js';
import type { HelperUser } from './user.js';

export interface HelperExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HelperStartOptions {
  env: Record<string, string>;
  /** Run as this user (uid, gid, cwd = its home) when it is not the host's own uid. */
  user?: HelperUser;
  /** What the program treats as "shut down cleanly": SIGINT for the Rust and Go helpers, SIGTERM for tor. */
  stopSignal?: NodeJS.Signals;
  /** How many lines to keep for error messages. */
  keepLines?: number;
  /** The line pushed when the program cannot even start (e.g. "[err] could not start tor"). */
  startFailure?: string;
  /**
   * Start it in a process group of its own, and end that whole group on stop. For programs whose children
   * may outlive them: tor does not wait for its pluggable transports as it exits, and since 0.4.8 it
   * restarts one that exits (ticket 33669); an orphaned obfs4proxy that starts late creates its state
   * directory with all its parents, inside a directory Burrow already removed. That is the likely cause of
   * a probe directory CI once found left behind (not reproduced here, where the orphans had exited in time).
   */
  ownGroup?: boolean;
}

/** PATH for helpers: system directories plus the one the helper binary was found in. */
export function helperEnv(user: HelperUser, binDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const path = [...new Set([binDir, '/usr/local/bin', '/usr/bin', '/bin'])].join(':');
  return { PATH: path, HOME: user.home, LANG: 'C.UTF-8', ...extra };
}

export function describeExit(exit: HelperExit | undefined): string {
  if (exit === undefined) return 'is still running';
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

export class HelperProcess {
  readonly exited: Promise<HelperExit>;
  private readonly output: HelperLines;
  private exit: HelperExit | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: HelperStartOptions,
  ) {
    this.output = new HelperLines(options.keepLines ?? 300);
    const partials: string[] = [];
    const reader = (index: number): ((chunk: Buffer) => void) => {
      partials[index] = '';
      return (chunk) => {
        const parts = ((partials[index] ?? '') + chunk.toString('utf8')).split('\n');
        partials[index] = (parts.pop() ?? '').slice(-8192);
        for (const line of parts) this.push(line);
      };
    };
    child.stdout?.on('data', reader(0));
    child.stderr?.on('data', reader(1));
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.push(`${options.startFailure ?? 'could not start'}: ${error.message}`);
        this.exit ??= { code: null, signal: null };
        resolve(this.exit);
      });
      child.once('exit', (code, signal) => {
        // A last line without its newline is still something the program said.
        for (const partial of partials) if (partial !== undefined && partial !== '') this.push(partial);
        partials.length = 0;
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
  }

  static start(file: string, argv: readonly string[], options: HelperStartOptions): HelperProcess {
    const user = options.user;
    const asOther = user !== undefined && user.uid !== (process.getuid?.() ?? -1);
    return new HelperProcess(
      spawn(file, argv, {
        env: options.env,
        ...(user === undefined ? {} : { cwd: user.home }),
        stdio: ['ignore', 'pipe', 'pipe'],
        // detached: setsid(), so the child leads a new process group whose id is its pid.
        ...(options.ownGroup === true ? { detached: true } : {}),
        ...(asOther ? { uid: user.uid, gid: user.gid } : {}),
      }),
      options,
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined && this.child.pid !== undefined;
  }

  get exitInfo(): HelperExit | undefined {
    return this.exit;
  }

  /** The last lines the program printed. */
  recent(count = 20): string[] {
    return this.output.recent(count);
  }

  /** Every line kept so far (for searching what the program said). */
  all(): readonly string[] {
    return this.output.all();
  }

  onLine(listener: (line: string) => void): () => void {
    return this.output.onLine(listener);
  }

  /** The stop signal, then SIGKILL after `graceMs`; resolves once the process is gone. Safe to call twice. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.running) this.child.kill(this.options.stopSignal ?? 'SIGINT');
    const gone = await Promise.race([this.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs))]);
    if (!gone) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    await this.endGroup();
  }

  /**
   * SIGKILL to what is left of its process group (the leader is gone; its children may not be), then wait
   * until none of them runs: kill() returns before the signal is acted on, and the caller is about to
   * remove the directory those children write to.
   */
  private async endGroup(): Promise<void> {
    const pid = this.child.pid;
    if (this.options.ownGroup !== true || pid === undefined || pid <= 1) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: nothing is left in the group, the usual case (and a stop never fails on this extra step).
      return;
    }
    for (let waited = 0; waited < 2000 && runningInGroup(pid); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private push(line: string): void {
    this.output.push(line);
  }
}

/** Whether a process of group `pgid` still runs (zombies do not: an init that never reaps keeps them). */
function runningInGroup(pgid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return false;
  }
  return pids.some((pid) => {
    try {
      // Fields after the command's closing parenthesis: state, ppid, pgrp, ...
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  });
}

/** Runs a helper to completion (init, version): its output and exit, or a timeout. */
export async function runHelper(file: string, argv: readonly string[], options: HelperStartOptions & { timeoutMs: number; signal?: AbortSignal }): Promise<{ exit: HelperExit; stdout: string; lines: string[] }> {
  const proc = HelperProcess.start(file, argv, options);
  const lines: string[] = [];
  proc.onLine((line) => lines.push(line));
  const abort = (): void => void proc.stop(0);
  options.signal?.addEventListener('abort', abort, { once: true });
  const timer = setTimeout(() => void proc.stop(0), options.timeoutMs);
  try {
    const exit = await proc.exited;
    return { exit, stdout: lines.join('\n'), lines };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}
