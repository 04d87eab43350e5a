// `burrow leakd` on loopback for the Leak tests UI test: HTTP and DNS on free high ports, STUN on 127.0.0.1's
// standard port 3478 (the renderer asks STUN there, on the leak server's host). Stopped even on failure.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { BURROW_CLI, freePort, REPO_ROOT } from './support/host-process.js';

export interface RunningLeakd {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export const LEAKD_STUN_PORT = 3478;

async function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** In a private namespace leakd is also its resolver: DNS on 127.0.0.1:53, which its resolv.conf names. */
export async function startLeakd(netns?: { wrap(argv: readonly string[]): string[] }): Promise<RunningLeakd> {
  const httpPort = netns ? 8080 : await freePort();
  const dnsPort = netns ? 53 : await freeUdpPort();
  const argv = [process.execPath, BURROW_CLI, 'leakd', '--http', `127.0.0.1:${httpPort}`, '--dns', `127.0.0.1:${dnsPort}`, '--stun', `127.0.0.1:${LEAKD_STUN_PORT}`, '--zone', 'leak.test', '--answer-a', '127.0.0.1'];
  const [command = '', ...args] = netns ? netns.wrap(argv) : argv;
  const child = spawn(
    command,
    args,
    { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`leakd did not say it was listening within 15 s:\n${output}`)), 15_000);
      child.stdout.on('data', () => {
        if (output.includes('"event":"listening"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`leakd exited (${code ?? signal}) before listening (is 127.0.0.1:${LEAKD_STUN_PORT} taken?):\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${httpPort}`, output: () => output, stop };
}
