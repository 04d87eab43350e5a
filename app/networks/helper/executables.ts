// Finding the helper programs every network runs (tor and its transports, nym-socks5-client, myst,
// wireguard-go, ...): on PATH, in the system directories, in extra directories such as resources/bin/<platform>,
// or named by an environment variable. The host's version probe (app/host/helper-versions.ts) uses the same.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findExecutable(name: string, extraDirs: string[] = [], path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...extraDirs, ...path.split(delimiter), '/usr/sbin', '/sbin'].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** An executable named by an environment variable (absolute path), else found on PATH. */
export function helperBinary(name: string, variable: string, env: Record<string, string | undefined>): string | undefined {
  const named = env[variable];
  if (named !== undefined && named !== '') return named.startsWith('/') ? findExecutable(named.split('/').pop() ?? '', [named.slice(0, named.lastIndexOf('/'))], '') : undefined;
  return findExecutable(name, [], env.PATH ?? '');
}
