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

/** One run of one helper program; a new start needs a new instance. */
export class HelperProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private exitInfo: HelperExit | undefined;
  private stopping = false;
  private recent: string[] = [];

  constructor(
    /** For log lines: "system-wide tor", "redsocks". */
    readonly label: string,
    program: string,
    args: readonly string[],
    private readonly logger: Logger,
    private readonly keepLines = 100,
    /**
     * `as`: run as this account from the start (the transport helpers, which do not drop privileges
     * themselves); `fds`: open descriptors handed over as the child's 3, 4, … (files it could not reach by path).
     */
    options: { as?: { uid: number; gid: number }; fds?: readonly number[] } = {},
  ) {
    const { as, fds = [] } = options;
    const child = spawn(program, args, { env: { ...TOOL_ENV }, stdio: ['ignore', 'pipe', 'pipe', ...fds], ...(as === undefined ? {} : { uid: as.uid, gid: as.gid }) });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const collect = (chunk: Buffer): void => {
      this.recent = [...this.recent, ...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== '')].slice(-this.keepLines);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => {
      this.recent.push(`could not start: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      this.exitInfo = { code, signal };
      if (!this.stopping) this.logger.log('warn', `${label} exited`, { code: code ?? -1, signal: signal ?? 'none' });
    });
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

  /** TERM, then KILL after 3 s. False when it had exited already. */
  async stop(): Promise<boolean> {
    if (this.exitInfo !== undefined) return false;
    this.stopping = true;
    this.child.kill('SIGTERM');
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
