// `burrow netd ...`: runs Burrow's privileged helper, which ships as its own bundle next to burrow.mjs
// (dist/node/netd.mjs). app/ never imports native/ as source; it loads the built bundle as a program, in
// this same process: no launcher stays resident beside netd (one process, one memory footprint, signals
// reach netd directly). The bundle reads its arguments from process.argv, so they are set as if it had
// been started on its own (`node netd.mjs ARGS`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BurrowError } from '../domain/index.js';

export function netdEntry(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'netd.mjs');
}

/** Starts netd in this process; resolves once it is running (netd sets the exit code when it stops). */
export async function runNetd(argv: string[]): Promise<number> {
  const entry = netdEntry();
  if (!existsSync(entry)) {
    throw new BurrowError('netd_unavailable', `netd is not next to this burrow (${entry} is missing). Build it with: npm run build:node`);
  }
  process.argv = [process.execPath, entry, ...argv];
  try {
    await import(pathToFileURL(entry).href);
  } catch (error) {
    throw new BurrowError('netd_unavailable', `Could not start netd: ${error instanceof Error ? error.message : String(error)}`);
  }
  return process.exitCode === undefined ? 0 : Number(process.exitCode);
}
