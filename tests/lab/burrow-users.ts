// Burrow's own system users (app/contract/system-wide.ts) on the lab machine, as the package creates them:
// system-wide Tor, Nym and dVPN run under them, and netd exempts nothing else. Created once, idempotently
// (the package's useradd line: system, own group, no home made, no login); a parallel lab creating the same user at
// the same moment is fine, the second useradd fails and the user is there.
import { spawnSync } from 'node:child_process';
import { BURROW_USER_NAMES, createUserArgs, createUserCommand, type BurrowUserName } from '../../app/contract/system-wide.js';

const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };

/** The uid of `name`, or undefined. */
export function uidOf(name: string): number | undefined {
  const result = spawnSync('getent', ['passwd', name], { encoding: 'utf8', env: ENV });
  const uid = Number(result.stdout.split(':')[2]);
  return result.status === 0 && Number.isInteger(uid) ? uid : undefined;
}

/** Every Burrow user exists afterwards, or this throws naming the command that would create it. */
export function ensureBurrowUsers(): Record<BurrowUserName, number> {
  const uids = {} as Record<BurrowUserName, number>;
  for (const name of BURROW_USER_NAMES) {
    let uid = uidOf(name);
    if (uid === undefined) {
      const made = spawnSync('useradd', createUserArgs(name), { encoding: 'utf8', env: ENV });
      uid = uidOf(name);
      if (uid === undefined) throw new Error(`the lab needs Burrow's system user ${name} and could not create it (${made.stderr.trim() || `exit ${made.status}`}); run as root: ${createUserCommand(name)}`);
    }
    uids[name] = uid;
  }
  return uids;
}
