// Who runs the SOCKS/proxy helpers (nym-socks5-client, myst): never root. A host running as a person's
// own user runs them as that user; a host running as root (a service, the lab) runs each under Burrow's own
// user for it (burrow-nym, burrow-dvpn: app/contract/system-wide.ts), never a uid other programs share
// (`nobody`, `proxy`): system-wide mode exempts that uid from the kill switch. A missing user is an error
// naming the command that creates it, never a fallback.
//
// A root host's helper home is not a predictable /tmp path (someone could make it first, or put a symlink
// there that root would chown). It lives in HELPER_HOMES_DIR, a directory only root may write (checked, not
// assumed), as <kind>-<uid>-<tag of the data directory>, owned by the helper and 0700; ownership and mode
// are set through a descriptor opened without following links.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, constants, existsSync, fchmodSync, fchownSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { BURROW_USERS, missingUserMessage, type BurrowUserName } from '../../contract/system-wide.js';
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
  uid?: number;
  gid?: number;
  lookup?: (name: string) => { uid: number; gid: number } | undefined;
  /** Tests only: another root-owned parent for the homes. */
  homesDir?: string;
}

/** The user each helper runs as under a root host. */
export const HELPER_USERS: Record<'nym' | 'myst', BurrowUserName> = { nym: BURROW_USERS.nym, myst: BURROW_USERS.dvpn };
/** Where a root host keeps its helpers' homes (root 0755; each home inside is its helper's, 0700). */
export const HELPER_HOMES_DIR = '/run/burrow-helpers';

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

/** The suffix of a root host's helper homes: one set of homes per data directory. */
export function helperHomeTag(dataDir: string): string {
  return createHash('sha256').update(dataDir).digest('hex').slice(0, 8);
}

/** The host's own directory (a person's host): made 0700 under the data directory. */
function ownDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/**
 * A directory root alone may change: a real directory (not a link), owned by root, not group/other-writable.
 * Made 0755 whatever the umask (a host with umask 077 would leave it 0700, and no helper could enter).
 */
function rootOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!isRootOnly(lstatSync(dir))) {
    throw new BurrowError('conflict', `${dir} is not a directory only root can change, so Burrow will not keep its helpers' homes there. Remove it and connect again.`, { path: dir });
  }
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    fchmodSync(fd, 0o755);
  } finally {
    closeSync(fd);
  }
}

function isRootOnly(stat: Stats): boolean {
  return stat.isDirectory() && stat.uid === 0 && (stat.mode & 0o022) === 0;
}

/** `dir` inside a root-only parent, owned by uid:gid and 0700, set on a descriptor that follows no link. */
function helperHome(parent: string, name: string, uid: number, gid: number): string {
  rootOnlyDir(parent);
  const dir = join(parent, name);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    fchownSync(fd, uid, gid);
    fchmodSync(fd, 0o700);
    if (!fstatSync(fd).isDirectory()) throw new BurrowError('conflict', `${dir} is not a directory.`);
  } finally {
    closeSync(fd);
  }
  return dir;
}

/** The helper user for `kind`, its home created (0700, owned by it). Throws a BurrowError it cannot be had. */
export function resolveHelperUser(kind: 'nym' | 'myst', options: HelperUserOptions): HelperUser {
  const uid = options.uid ?? process.getuid?.() ?? 0;
  const gid = options.gid ?? process.getgid?.() ?? 0;
  if (uid !== 0) {
    return { name: String(uid), uid, gid, home: ownDir(join(options.dataDir, kind, 'home')), dedicated: false };
  }
  const name = HELPER_USERS[kind];
  const found = (options.lookup ?? lookupUser)(name);
  if (found === undefined) {
    throw new BurrowError('network_unavailable', missingUserMessage(name, kind === 'nym' ? 'The Nym client' : 'The dVPN client (myst)'), { user: name });
  }
  if (found.uid === 0) {
    throw new BurrowError('invalid_request', `The user ${name} has uid 0 here: Burrow never runs ${kind} as root. Give ${name} an unprivileged uid.`);
  }
  // Not under the data directory: that is root's and 0700 (and often in /root), out of the helper's reach.
  const homesDir = options.homesDir ?? HELPER_HOMES_DIR;
  const homeName = `${kind}-${found.uid}-${helperHomeTag(options.dataDir)}`;
  const home = helperHome(homesDir, homeName, found.uid, found.gid);
  pruneHelperHomes(homesDir);
  // Root's record of whose home this is, in the root-only parent: how a home outliving its data is found.
  writeFileSync(join(homesDir, `${homeName}${DATA_DIR_RECORD}`), options.dataDir, { mode: 0o644 });
  return { name, uid: found.uid, gid: found.gid, home, dedicated: true };
}

/** Beside each home in the homes directory, root's record of the data directory it belongs to. */
const DATA_DIR_RECORD = '.data-dir';

/**
 * Removes the homes whose data directory is gone (a host's data deleted, a test's temporary one): /run
 * would keep them until the next boot. Homes without a record are left as they are. Never throws: a home
 * that cannot be removed now is tried again next time. Returns the homes removed.
 */
export function pruneHelperHomes(homesDir: string = HELPER_HOMES_DIR): string[] {
  const removed: string[] = [];
  try {
    // Only in a directory root alone can change: records elsewhere could be anyone's.
    if (!existsSync(homesDir) || !isRootOnly(lstatSync(homesDir))) return removed;
    for (const entry of readdirSync(homesDir)) {
      if (!entry.endsWith(DATA_DIR_RECORD)) continue;
      const record = join(homesDir, entry);
      try {
        const dataDir = readFileSync(record, 'utf8');
        if (dataDir === '' || existsSync(dataDir)) continue;
        // rm does not follow links inside the home, and the home's name is in a directory only root changes.
        const home = join(homesDir, entry.slice(0, -DATA_DIR_RECORD.length));
        rmSync(home, { recursive: true, force: true });
        rmSync(record, { force: true });
        removed.push(home);
      } catch {
        // Next time.
      }
    }
  } catch {
    // An unreadable homes directory: resolveHelperUser's own checks say why.
  }
  return removed;
}
