// `burrow netd ...`: runs Burrow's privileged helper, which ships as its own bundle next to burrow.mjs
// (dist/node/netd.mjs). app/ never imports native/; it starts the bundle as a program, with the same Node,
// and hands it the arguments and the terminal unchanged.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BurrowError } from '../domain/index.js';

export function netdEntry(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'netd.mjs');
}

export function runNetd(argv: string[]): Promise<number> {
  const entry = netdEntry();
  if (!existsSync(entry)) {
    throw new BurrowError('netd_unavailable', `netd is not next to this burrow (${entry} is missing). Build it with: npm run build:node`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...argv], { stdio: 'inherit' });
    // Stop requests meant for netd reach it (it takes tunnels down and keeps the firewall); this process
    // then exits with netd's own status.
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', (error) => reject(new BurrowError('netd_unavailable', `Could not start netd: ${error.message}`)));
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === null ? 1 : 128 + 15));
    });
  });
}
