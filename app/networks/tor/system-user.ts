// The user system-wide tor runs as, whose uid the firewall's tor-system policy exempts: Burrow's own
// `burrow-tor` (app/contract/system-wide.ts), never the distribution's `debian-tor`, which also runs
// tor@default. Looked up in /etc/passwd; never root. Missing: undefined, and the policy blocks.
import { readFileSync } from 'node:fs';
import { BURROW_USERS } from '../../contract/system-wide.js';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

export function parsePasswd(text: string, name: string = BURROW_USERS.tor): SystemUser | undefined {
  for (const line of text.split('\n')) {
    const [entry, , uid, gid] = line.split(':');
    if (entry !== name || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '')) continue;
    return Number(uid) === 0 ? undefined : { name, uid: Number(uid), gid: Number(gid) };
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
