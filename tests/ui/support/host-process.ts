// A real `burrow host --web` for the UI tests: a free loopback port, a temp data dir and control socket,
// the URL parsed from its standard output, and a stop that always leaves nothing running.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BURROW_CLI = join(REPO_ROOT, 'dist/node/burrow.mjs');
const RENDERER_INDEX = join(REPO_ROOT, 'dist/renderer/index.html');
const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/;

export interface RunningHost {
  /** The address the host printed, token included. */
  url: string;
  /** `http://127.0.0.1:PORT`, without the token. */
  origin: string;
  control: string;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface HostOptions {
  /** Run inside this namespace (then on a fixed port: the namespace is fresh, nothing else listens there). */
  netns?: { wrap(argv: readonly string[]): string[] };
  /** More arguments for `burrow host` (e.g. --stand-in dvpn) and more environment (e.g. BURROW_MYST). */
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
}

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  for (const needed of [BURROW_CLI, RENDERER_INDEX]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run \`npm run build\` before the UI tests.`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'burrow-ui-'));
  const control = join(dir, 'host.sock');
  const port = options.netns ? 7777 : await freePort();
  const argv = [process.execPath, BURROW_CLI, 'host', '--data', join(dir, 'data'), '--control', control, '--web', `127.0.0.1:${port}`, ...(options.args ?? [])];
  const [command = '', ...args] = options.netns ? options.netns.wrap(argv) : argv;
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, XDG_RUNTIME_DIR: dir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The host printed no URL within 20 s. Output:\n${output}`)), 20_000);
      const check = (): void => {
        const match = URL_PATTERN.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`The host exited (${code ?? signal}) before printing its URL. Output:\n${output}`));
      });
      check();
    });
    return { url, origin: new URL(url).origin, control, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs the burrow CLI against the host's control socket, as a person in a terminal would. */
export function burrowCli(host: RunningHost, args: string[]): Promise<{ code: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BURROW_CLI, ...args, '--json', '--control', host.control], { cwd: REPO_ROOT, timeout: 15_000 }, (error, stdout) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      try {
        resolve({ code, json: JSON.parse(stdout) as unknown });
      } catch {
        reject(new Error(`burrow ${args.join(' ')} printed no JSON (exit ${code}): ${stdout}`));
      }
    });
  });
}
