// The dedicated user system-wide tor runs as (what the firewall exempts): Debian's `debian-tor`, or the
// `tor`/`_tor` user other systems' tor packages create. Looked up in /etc/passwd; never root.
import { readFileSync } from 'node:fs';

export const TOR_USERS = ['debian-tor', 'tor', '_tor'] as const;

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

export function parsePasswd(text: string, names: readonly string[] = TOR_USERS): SystemUser | undefined {
  const entries = new Map<string, SystemUser>();
  for (const line of text.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === undefined || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) continue;
    entries.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  for (const name of names) {
    const user = entries.get(name);
    if (user !== undefined && user.uid !== 0) return user;
  }
  return undefined;
}

export function findTorUser(passwd = '/etc/passwd'): SystemUser | undefined {
  try {
    return parsePasswd(readFileSync(passwd, 'utf8'));
  } catch {
    return undefined;
  }
}
