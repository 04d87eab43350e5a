// A throwaway root to run the package's maintainer scripts in, so they can be tested for real without
// touching this machine: a private mount namespace and an empty network namespace (held open by one
// `sleep`), a tmpfs-backed overlay of / as the root, fresh /run and /tmp, and the package's files unpacked
// into it with dpkg-deb -x. Nothing is installed on the machine: users, units, links and nftables tables
// created inside vanish with the namespaces when the sandbox is closed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, SYSTEM_PATH, type RunResult } from './run.js';

/** Root, util-linux and overlayfs: without them the sandbox tests are skipped, not faked. */
export const canUseSandbox = process.getuid?.() === 0 && existsSync('/usr/bin/unshare') && existsSync('/usr/bin/nsenter');

export class RootSandbox {
  private constructor(
    private readonly holder: ChildProcess,
    private readonly dir: string,
  ) {}

  /** The sandbox's root, as seen from inside its mount namespace. */
  get root(): string {
    return join(this.dir, 'mnt', 'root');
  }

  static async create(deb: string): Promise<RootSandbox> {
    const dir = mkdtempSync(join(tmpdir(), 'burrow-sandbox-'));
    // No --fork: unshare calls unshare(2) and then execs sleep, so the pid we hold is inside both namespaces.
    const holder = spawn('unshare', ['--mount', '--net', '--propagation', 'private', 'sleep', 'infinity'], { stdio: 'ignore' });
    const sandbox = new RootSandbox(holder, dir);
    try {
      await sandbox.waitForNamespace();
      const mnt = join(dir, 'mnt');
      const root = sandbox.root;
      const setup = [
        `mkdir -p ${mnt}`,
        `mount -t tmpfs burrow-sandbox ${mnt}`,
        `mkdir ${mnt}/upper ${mnt}/work ${root}`,
        `mount -t overlay burrow-sandbox -o lowerdir=/,upperdir=${mnt}/upper,workdir=${mnt}/work ${root}`,
        `mount -t proc proc ${root}/proc`,
        `mount --bind /dev ${root}/dev`,
        `mount -t tmpfs tmpfs ${root}/run`,
        `mount -t tmpfs tmpfs ${root}/tmp`,
        `dpkg-deb -x ${deb} ${root}`,
        `dpkg-deb -e ${deb} ${root}/tmp/DEBIAN`,
      ].join(' && ');
      const result = await sandbox.inside(['sh', '-c', setup], { timeoutMs: 60_000 });
      if (result.code !== 0) throw new Error(`sandbox setup failed: ${result.stderr.trim()}`);
      return sandbox;
    } catch (error) {
      sandbox.close();
      throw error;
    }
  }

  /** A command in the sandbox's namespaces, outside its root (dpkg-deb, setup). */
  inside(argv: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    const pid = this.holder.pid;
    if (pid === undefined) throw new Error('the sandbox holder did not start');
    return run('nsenter', ['--target', String(pid), '--mount', '--net', '--', ...argv], { ...options, env: { PATH: SYSTEM_PATH } });
  }

  /** A command inside the sandbox's root, with the clean environment dpkg gives maintainer scripts. */
  chroot(argv: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return this.inside(['chroot', this.root, 'env', '-i', `PATH=${SYSTEM_PATH}`, 'LANG=C', ...argv], options);
  }

  /** A shell line inside the root; rejects on a non-zero exit. */
  async sh(line: string): Promise<string> {
    const result = await this.chroot(['sh', '-c', line]);
    if (result.code !== 0) throw new Error(`${line} failed (${result.code}): ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** Ends the namespaces (and with them every mount, the tmpfs, the network) and removes the directory. */
  close(): void {
    this.holder.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitForNamespace(): Promise<void> {
    const own = readlinkSync('/proc/self/ns/mnt');
    for (let i = 0; i < 200; i += 1) {
      const pid = this.holder.pid;
      if (this.holder.exitCode !== null) throw new Error(`unshare exited (${this.holder.exitCode})`);
      try {
        if (pid !== undefined && readlinkSync(`/proc/${pid}/ns/mnt`) !== own && readlinkSync(`/proc/${pid}/exe`).endsWith('/sleep')) return;
      } catch {
        // Not there yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the sandbox namespaces did not appear');
  }
}
