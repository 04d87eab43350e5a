// Running programs inside a lab namespace. Every command goes through `ip netns exec` (which also gives
// it the namespace's /etc/netns resolv.conf and a private mount namespace) and then bind-mounts the
// namespace's own directory over /run/wireguard, because wireguard-go and wg would otherwise share that
// one path with every other namespace and the host.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ExecOptions {
  /** Written to stdin, then stdin is closed: the way secrets reach a program (never argv). */
  input?: string;
  timeoutMs?: number;
  /** Reject on a non-zero exit (default true). */
  check?: boolean;
  env?: Record<string, string>;
  cwd?: string;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

const BIND_WG = 'mount --bind "$0" /run/wireguard && exec "$@"';

/** argv that runs `argv` in namespace `ns` with `wgDir` over /run/wireguard; no shell sees `argv`. */
export function nsArgv(ns: string, wgDir: string, argv: readonly string[]): string[] {
  if (argv.length === 0) throw new Error('empty command');
  return ['netns', 'exec', ns, 'sh', '-c', BIND_WG, wgDir, ...argv];
}

/** A clean environment: nothing of the caller's (proxies, tokens) leaks into lab programs. */
export function labEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8', ...extra };
}

export function run(file: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: labEnv(opts.env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { stdout, stderr, code };
      if (opts.check !== false && code !== 0) {
        // The command is shown, never stdin (it may hold a key).
        const why = signal !== null ? `killed by ${signal}` : `exit ${code}`;
        reject(new Error(`${file} ${args.join(' ')}: ${why}: ${stderr.trim() || stdout.trim()}`));
      } else resolve(result);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

export function runSync(file: string, args: readonly string[], input?: string): ExecResult {
  const r = spawnSync(file, args, { env: labEnv(), input: input ?? '', encoding: 'utf8', timeout: 30_000 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', code: r.status };
}

export interface LabProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  running(): boolean;
  log(): string;
  /** Waits until the process's output matches `pattern`; rejects if it exits or time runs out. */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function spawnLogged(
  name: string,
  file: string,
  args: readonly string[],
  logFile: string,
  opts: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): LabProcess {
  const fd = openSync(logFile, 'a', 0o600);
  // Own process group (detached), output to a file: it survives its parent if the lab is meant to
  // (`lab up`), and teardown can kill the whole group at once.
  const child = spawn(file, args, {
    env: labEnv(opts.env),
    cwd: opts.cwd,
    detached: true,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', fd, fd],
  });
  closeSync(fd);
  if (opts.input !== undefined && child.stdin) {
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input);
  }
  child.unref();
  let alive = true;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => {
      alive = false;
      resolve(null);
    });
    child.on('exit', (code) => {
      alive = false;
      resolve(code);
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${name} (${file})`);
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  return {
    name,
    pid,
    logFile,
    exited,
    running: () => alive,
    log,
    async waitForLog(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(log());
        if (match) return match;
        if (!alive) throw new Error(`${name} exited before printing ${pattern}; log ${logFile}:\n${log().slice(-1500)}`);
        if (Date.now() > deadline) throw new Error(`${name}: no ${pattern} within ${timeoutMs} ms; log ${logFile}:\n${log().slice(-1500)}`);
        await sleep(100);
      }
    },
    async stop() {
      if (!alive) return;
      killGroup(pid, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!done) killGroup(pid, 'SIGKILL');
      await exited;
    },
  };
}

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The repository root: found from this file, so the bundled lab-cli in dist/node finds it too. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(join(dir, 'app', 'leakd', 'main.ts')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the Burrow repository (app/leakd/main.ts) above the lab code');
}
