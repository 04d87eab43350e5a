// Starts Debian's real tor for control-port tests: loopback or a Unix socket only, DisableNetwork 1 always
// (it never reaches the internet), a fresh DataDirectory, and owned by this test process so it dies with it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const TOR = '/usr/bin/tor';

export interface TorOptions {
  /** 'cookie' → CookieAuthentication 1; otherwise a HashedControlPassword value. */
  readonly auth: 'cookie' | { readonly hashedPassword: string };
  /** Control port on a Unix socket in a 0700 directory instead of 127.0.0.1. */
  readonly unixSocket?: boolean;
}

export interface TorProcess {
  readonly pid: number;
  readonly dir: string;
  readonly dataDir: string;
  readonly cookieFile: string;
  readonly port: number | undefined;
  readonly socketPath: string | undefined;
  readonly exited: Promise<number | null>;
  readonly child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, exited: () => boolean, log: () => string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    if (exited()) throw new Error(`tor exited before ${what}:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}:\n${log()}`);
}

export async function startTor(options: TorOptions): Promise<TorProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'burrow-tor-'));
  const dataDir = join(dir, 'data');
  const socketPath = options.unixSocket === true ? join(dir, 'control') : undefined;
  const portFile = join(dir, 'control-port');
  const lines = [
    `DataDirectory ${dataDir}`,
    'SocksPort 0',
    socketPath !== undefined ? `ControlPort unix:${socketPath}` : 'ControlPort 127.0.0.1:auto',
    `ControlPortWriteToFile ${portFile}`,
    options.auth === 'cookie' ? 'CookieAuthentication 1' : `HashedControlPassword ${options.auth.hashedPassword}`,
    'DisableNetwork 1',
    'ClientUseIPv6 0',
    // If the test runner dies, tor notices and exits: no orphan tor survives a crashed run.
    `__OwningControllerProcess ${process.pid}`,
    'Log notice stdout',
  ];
  await writeFile(join(dir, 'torrc'), `${lines.join('\n')}\n`);
  await writeFile(join(dir, 'defaults-torrc'), '');
  const child = spawn(TOR, ['--defaults-torrc', join(dir, 'defaults-torrc'), '-f', join(dir, 'torrc')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: '/usr/bin:/bin' },
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      hasExited = true;
      resolve(code);
    });
  });
  const stop = async (): Promise<void> => {
    if (!hasExited && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (!hasExited && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (child.pid === undefined) throw new Error('tor did not start');
    const written = await waitFor(
      'the control port file',
      async () => {
        const text = await readFile(portFile, 'utf8').catch(() => '');
        return text.includes('\n') ? text : undefined;
      },
      () => hasExited,
      () => output,
    );
    const portMatch = /^PORT=127\.0\.0\.1:(\d+)$/m.exec(written);
    return {
      pid: child.pid,
      dir,
      dataDir,
      cookieFile: join(dataDir, 'control_auth_cookie'),
      port: portMatch === null ? undefined : Number(portMatch[1]),
      socketPath,
      exited,
      child,
      log: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `tor --hash-password` (fine in a test; the app derives the hash itself, see hashControlPassword). */
export async function torHashPassword(password: string): Promise<string> {
  const { stdout } = await promisify(execFile)(TOR, ['--quiet', '--hash-password', password]);
  const hash = stdout.trim().split('\n').pop() ?? '';
  if (!/^16:[0-9A-F]{58}$/.test(hash)) throw new Error(`unexpected tor --hash-password output: ${stdout}`);
  return hash;
}
