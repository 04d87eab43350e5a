// Throwaway network namespaces for tests that need the real nft (and wireguard-go): created per test with a
// random name, always deleted, so nothing reaches the host's own firewall, routes or interfaces.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const IP = '/usr/sbin/ip';
export const NFT = '/usr/sbin/nft';

/** Root, iproute2 and nft: without them these tests are skipped, not faked. */
export const canUseNetns = process.getuid?.() === 0 && existsSync(IP) && existsSync(NFT);

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) {
      // A command that exits without reading its input must not fail the test with EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}

export class Netns {
  readonly name = `burrow-fwtest-${randomBytes(4).toString('hex')}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'burrow-fwtest-'));
  private files = 0;

  /** Run a command inside the namespace. */
  exec(argv: string[], options: RunOptions = {}): Promise<RunResult> {
    return run(IP, ['netns', 'exec', this.name, ...argv], options);
  }

  async execOk(argv: string[], options: RunOptions = {}): Promise<string> {
    const result = await this.exec(argv, options);
    if (result.code !== 0) throw new Error(`${argv.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** nft -f on a file (as netd will do it); `check` parses and validates without committing. */
  nft(ruleset: string, check: boolean): Promise<RunResult> {
    const file = join(this.dir, `ruleset-${this.files++}.nft`);
    writeFileSync(file, ruleset);
    return this.exec([NFT, ...(check ? ['-c'] : []), '-f', file]);
  }

  listTableJson(): Promise<RunResult> {
    return this.exec([NFT, '-j', 'list', 'table', 'inet', 'burrow']);
  }

  /** A scratch directory on the host side, removed with the namespace. */
  get scratch(): string {
    return this.dir;
  }

  async create(): Promise<void> {
    const result = await run(IP, ['netns', 'add', this.name]);
    if (result.code !== 0) throw new Error(`ip netns add failed: ${result.stderr.trim()}`);
    await this.execOk([IP, 'link', 'set', 'lo', 'up']);
  }

  async destroy(): Promise<void> {
    await run(IP, ['netns', 'delete', this.name]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Create a namespace, run `body` in it, and delete it whatever happens. */
export async function withNetns<T>(body: (ns: Netns) => Promise<T>): Promise<T> {
  const ns = new Netns();
  try {
    await ns.create();
    return await body(ns);
  } finally {
    await ns.destroy();
  }
}
