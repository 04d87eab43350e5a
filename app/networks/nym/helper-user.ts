// Who runs the SOCKS/proxy helpers (nym-socks5-client, myst): never root. A host running as a person's
// own user runs them as that user; a host running as root (a service, the lab) runs them as a dedicated
// unprivileged user (BURROW_HELPER_USER, default `nobody`) with a private home of its own. Only a
// dedicated user can be told apart by the kill switch (system-wide mode needs one). Shared with dvpn/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BurrowError } from '../../domain/errors.js';

export interface HelperUser {
  name: string;
  uid: number;
  gid: number;
  /** HOME for the helper: its own files (~/.nym, ~/.mysterium) live there. */
  home: string;
  /** True when the helper's uid is not the host's: then firewall rules can single its packets out. */
  dedicated: boolean;
}

export interface HelperUserOptions {
  dataDir: string;
  /** BURROW_HELPER_USER (name or uid), used when the host runs as root. */
  wanted?: string | undefined;
  uid?: number;
  gid?: number;
  lookup?: (name: string) => { uid: number; gid: number } | undefined;
}

export const DEFAULT_HELPER_USER = 'nobody';

export function lookupUser(name: string): { uid: number; gid: number } | undefined {
  try {
    // getent knows every source of users (files, LDAP); its line is name:x:uid:gid:…
    const fields = execFileSync('getent', ['passwd', name], { encoding: 'utf8', timeout: 3000, env: { PATH: '/usr/bin:/bin' } }).trim().split(':');
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

function privateDir(dir: string, uid: number, gid: number, chown: boolean): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (chown) chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
  return dir;
}

/** The helper user for `kind`, its home created (0700, owned by it). Throws a BurrowError it cannot be had. */
export function resolveHelperUser(kind: 'nym' | 'myst', options: HelperUserOptions): HelperUser {
  const uid = options.uid ?? process.getuid?.() ?? 0;
  const gid = options.gid ?? process.getgid?.() ?? 0;
  if (uid !== 0) {
    return { name: String(uid), uid, gid, home: privateDir(join(options.dataDir, kind, 'home'), uid, gid, false), dedicated: false };
  }
  const name = options.wanted !== undefined && options.wanted !== '' ? options.wanted : DEFAULT_HELPER_USER;
  const found = /^\d+$/.test(name) ? { uid: Number(name), gid: Number(name) } : (options.lookup ?? lookupUser)(name);
  if (found === undefined) {
    throw new BurrowError('network_unavailable', `Burrow runs its ${kind} helper as the user "${name}", and this machine has no such user. Create it, or name another one in BURROW_HELPER_USER.`, { user: name });
  }
  if (found.uid === 0) {
    throw new BurrowError('invalid_request', `BURROW_HELPER_USER names root: Burrow never runs ${kind} as root. Name an unprivileged user.`);
  }
  // Not under the data directory: that is root's and 0700, and the helper could not even reach it.
  const tag = createHash('sha256').update(options.dataDir).digest('hex').slice(0, 8);
  const home = privateDir(join(tmpdir(), `burrow-${kind}-${found.uid}-${tag}`), found.uid, found.gid, true);
  return { name, uid: found.uid, gid: found.gid, home, dedicated: true };
}
