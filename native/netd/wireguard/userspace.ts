// wireguard-go, where the kernel has no WireGuard module: one foreground process per interface, started
// with an explicit environment and watched. Its exit is recorded (code or signal) so wgStatus can tell the
// host the tunnel died, and the host's supervisor can go to error or reconnect.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../../app/domain/index.js';
import { TOOL_ENV } from '../exec.js';
import type { Logger } from '../log.js';

/** wireguard-go and wg agree on this path; in the lab it is a per-namespace bind mount. */
export const UAPI_DIR = '/var/run/wireguard';

export interface ProcessState {
  pid: number;
  alive: boolean;
  exitCode: number | null;
  signal: string | null;
}

export class WireguardGo {
  readonly socketPath: string;
  readonly state: ProcessState;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(
    readonly ifname: string,
    logger: Logger,
    binary = 'wireguard-go',
  ) {
    this.socketPath = join(UAPI_DIR, `${ifname}.sock`);
    // A socket left by a process that died would make the wait below return at once.
    if (existsSync(this.socketPath)) unlinkSync(this.socketPath);
    this.child = spawn(binary, ['-f', ifname], {
      env: { ...TOOL_ENV, WG_PROCESS_FOREGROUND: '1', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = this.child.pid;
    this.state = { pid: pid ?? -1, alive: pid !== undefined, exitCode: null, signal: null };
    const relay = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n').filter((text) => text.trim() !== '')) {
        logger.log('warn', 'wireguard-go said something', { ifname, line });
      }
    };
    this.child.stdout?.on('data', relay);
    this.child.stderr?.on('data', relay);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        Object.assign(this.state, { alive: false, exitCode: -1 });
        logger.log('error', 'wireguard-go could not be started', { ifname, error: error.message });
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        Object.assign(this.state, { alive: false, exitCode: code, signal });
        logger.log('warn', 'wireguard-go exited', { ifname, pid: this.state.pid, code, signal });
        resolve();
      });
    });
  }

  /** Resolves once the UAPI socket exists; rejects if the process exits first or takes too long. */
  async ready(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.socketPath)) {
      if (!this.state.alive) {
        throw new BurrowError('helper_failed', `wireguard-go exited before creating ${this.ifname} (code ${this.state.exitCode ?? this.state.signal ?? '?'}).`);
      }
      if (Date.now() > deadline) throw new BurrowError('helper_failed', `wireguard-go did not create ${this.ifname} within ${timeoutMs} ms.`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** TERM, a grace period, then KILL; the tun device and the socket go with the process. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.state.alive) {
      this.child.kill('SIGTERM');
      const done = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), graceMs))]);
      if (!done) this.child.kill('SIGKILL');
      await this.exited;
    }
    if (existsSync(this.socketPath)) unlinkSync(this.socketPath);
  }
}
