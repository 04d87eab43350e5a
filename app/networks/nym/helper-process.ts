// One helper child process (nym-socks5-client, myst): spawned with an explicit environment under the helper
// user, its output read line by line as events, its exit observed once, stopped with SIGINT (what both
// programs treat as "shut down cleanly") and then SIGKILL. No shell, nothing inherited. Shared with dvpn/.
import { spawn, type ChildProcess } from 'node:child_process';
import type { HelperUser } from './helper-user.js';

export interface HelperExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const KEEP_LINES = 300;

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
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  private exit: HelperExit | undefined;

  private constructor(private readonly child: ChildProcess) {
    const reader = (): ((chunk: Buffer) => void) => {
      let partial = '';
      return (chunk) => {
        const parts = (partial + chunk.toString('utf8')).split('\n');
        partial = (parts.pop() ?? '').slice(-8192);
        for (const line of parts) this.push(line);
      };
    };
    child.stdout?.on('data', reader());
    child.stderr?.on('data', reader());
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.push(`could not start: ${error.message}`);
        this.exit ??= { code: null, signal: null };
        resolve(this.exit);
      });
      child.once('exit', (code, signal) => {
        this.exit ??= { code, signal };
        resolve(this.exit);
      });
    });
  }

  static start(file: string, argv: readonly string[], options: { user: HelperUser; env: Record<string, string> }): HelperProcess {
    const asOther = options.user.uid !== (process.getuid?.() ?? -1);
    return new HelperProcess(
      spawn(file, argv, {
        env: options.env,
        cwd: options.user.home,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(asOther ? { uid: options.user.uid, gid: options.user.gid } : {}),
      }),
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

  recent(count = 20): string[] {
    return this.lines.slice(-count);
  }

  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** SIGINT, then SIGKILL after `graceMs`; resolves once the process is gone. Safe to call twice. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.running) this.child.kill('SIGINT');
    const gone = await Promise.race([this.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs))]);
    if (!gone) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private push(line: string): void {
    // eslint-disable-next-line no-control-regex -- terminal colour codes are noise in Burrow's log
    const clean = line.replace(/\r$/, '').replace(/\u001b\[[0-9;]*m/g, '');
    if (clean.trim().length === 0) return;
    this.lines.push(clean.slice(0, 1000));
    if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
    for (const listener of this.listeners) listener(clean);
  }
}

/** Runs a helper to completion (init, version): its output and exit, or a timeout. */
export async function runHelper(file: string, argv: readonly string[], options: { user: HelperUser; env: Record<string, string>; timeoutMs: number; signal?: AbortSignal }): Promise<{ exit: HelperExit; stdout: string; lines: string[] }> {
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
