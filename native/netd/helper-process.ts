// The helper processes netd runs as root for system-wide networks (tor, redsocks), supervised one way:
// found on netd's own PATH, spawned with a fixed environment, their output kept as recent lines, ready when
// a condition holds, stopped with TERM then KILL after 3 s, and an exit after start reported as a warning.
// Also the two lookups both need: a program on PATH and a system user from /etc/passwd.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';
import { TOOL_ENV } from './exec.js';
import type { Logger } from './log.js';

const STOP_GRACE_MS = 3000;
const POLL_MS = 50;

/** The first of `names` that is executable in a directory of netd's PATH. */
export function findProgram(names: readonly string[]): string | undefined {
  for (const dir of TOOL_ENV.PATH?.split(':') ?? []) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
  /** The primary group's name (nogroup when /etc/group does not list it). */
  group: string;
}

/** The first of `names` that exists with a uid other than root's, or undefined. */
export function findSystemUser(names: readonly string[]): SystemUser | undefined {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const groups = readFileSync('/etc/group', 'utf8').split('\n').map((line) => line.split(':'));
  for (const name of names) {
    const entry = passwd.find((fields) => fields[0] === name);
    const uid = Number(entry?.[2]);
    const gid = Number(entry?.[3]);
    if (entry === undefined || !Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid)) continue;
    const group = groups.find((fields) => fields[2] === entry[3])?.[0] ?? 'nogroup';
    return { name, uid, gid, group };
  }
  return undefined;
}

export interface HelperExit {
  code: number | null;
  signal: string | null;
}

export interface HelperSpawnOptions {
  /** Run as this account from the start (helpers that do not drop privileges themselves). */
  as?: { uid: number; gid: number };
  /** Open descriptors handed over as the child's 3, 4, … (files it could not reach by path). */
  fds?: readonly number[];
  /** The whole environment (default: netd's fixed tool environment). */
  env?: Record<string, string>;
  cwd?: string;
  /** The child's umask (default: netd's own). */
  umask?: number;
  /** What the program treats as "shut down cleanly" (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** Longer lines are cut to this many characters (default 1000). */
  lineMax?: number;
}

/** One run of one helper program; a new start needs a new instance. */
export class HelperProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly closed: Promise<void>;
  private exitInfo: HelperExit | undefined;
  private stopping = false;
  private recent: string[] = [];
  /** Lines kept since the start, including those dropped from `recent` since. */
  private total = 0;
  private readonly stopSignal: NodeJS.Signals;
  private readonly lineMax: number;

  constructor(
    /** For log lines: "system-wide tor", "redsocks". */
    readonly label: string,
    program: string,
    args: readonly string[],
    private readonly logger: Logger,
    private readonly keepLines = 100,
    options: HelperSpawnOptions = {},
  ) {
    const { as, fds = [] } = options;
    this.stopSignal = options.stopSignal ?? 'SIGTERM';
    this.lineMax = options.lineMax ?? 1000;
    const spawnOptions = {
      env: options.env ?? { ...TOOL_ENV },
      stdio: ['ignore', 'pipe', 'pipe', ...fds] as ('ignore' | 'pipe' | number)[],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(as === undefined ? {} : { uid: as.uid, gid: as.gid }),
    };
    // The child takes netd's umask at fork, which happens inside spawn(): set it around that call only.
    const umask = options.umask === undefined ? undefined : process.umask(options.umask);
    let child: ChildProcess;
    try {
      child = spawn(program, args, spawnOptions);
    } finally {
      if (umask !== undefined) process.umask(umask);
    }
    this.child = child;
    // 'exit', not 'close': a grandchild (tor's pluggable transport) may hold the pipes open after its parent is gone.
    this.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
    // Per stream: a line split across two reads is one line (the host reads helpers' lines as events).
    const reader = (): ((chunk: Buffer) => void) => {
      let partial = '';
      return (chunk) => {
        const parts = (partial + chunk.toString('utf8')).split('\n');
        partial = (parts.pop() ?? '').slice(-8192);
        this.keep(parts);
      };
    };
    const readers = [reader(), reader()] as const;
    child.stdout?.on('data', readers[0]);
    child.stderr?.on('data', readers[1]);
    child.once('error', (error) => {
      this.keep([`could not start: ${error.message}`]);
      this.exitInfo ??= { code: null, signal: null };
    });
    child.once('exit', (code, signal) => {
      this.exitInfo ??= { code, signal };
      if (!this.stopping) this.logger.log('warn', `${label} exited`, { code: code ?? -1, signal: signal ?? 'none' });
    });
    // A last line without its newline is still something the program said (read once the streams end).
    child.stdout?.once('end', () => readers[0](Buffer.from('\n')));
    child.stderr?.once('end', () => readers[1](Buffer.from('\n')));
  }

  private keep(lines: readonly string[]): void {
    const kept = lines.map((line) => line.replace(/\r$/, '').slice(0, this.lineMax)).filter((line) => line.trim() !== '');
    this.total += kept.length;
    this.recent = [...this.recent, ...kept].slice(-this.keepLines);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): HelperExit | undefined {
    return this.exitInfo;
  }

  get lines(): readonly string[] {
    return this.recent;
  }

  /** The lines after the first `after` ever kept (those still kept), and the count to pass next time. */
  linesAfter(after: number): { lines: string[]; next: number } {
    const first = this.total - this.recent.length;
    return { lines: this.recent.slice(Math.max(0, Math.min(after, this.total) - first)), next: this.total };
  }

  /** Resolves once the program has exited and its output has been read (at most 1 s after the exit). */
  async done(): Promise<void> {
    await this.exited;
    await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }

  /**
   * Resolves once `ready()` holds. Rejects (helper_failed) when the helper exits first (`exited` words the
   * reason, from its last lines) or after `timeoutMs`, in which case the helper is stopped first.
   */
  async waitUntil(ready: () => boolean, options: { timeoutMs: number; exited: () => string; timedOut: string }): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    while (!ready()) {
      if (this.exitInfo !== undefined) throw new BurrowError('helper_failed', options.exited());
      if (Date.now() > deadline) {
        await this.stop();
        throw new BurrowError('helper_failed', options.timedOut);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Its stop signal (TERM unless told), then KILL after 3 s. False when it had exited already. */
  async stop(): Promise<boolean> {
    if (this.exitInfo !== undefined) return false;
    this.stopping = true;
    this.child.kill(this.stopSignal);
    const done = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS))]);
    if (!done) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    return true;
  }
}

/** The part of a status answer every helper shares; a helper never started is simply not running. */
export function helperStatus(helper: HelperProcess | undefined): { running: boolean; pid: number | null; exitCode: number | null; signal: string | null } {
  return {
    running: helper?.running ?? false,
    pid: helper?.pid ?? null,
    exitCode: helper?.exit?.code ?? null,
    signal: helper?.exit?.signal ?? null,
  };
}
