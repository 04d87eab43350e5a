// Who is on the other end of a connection to netd's socket, as SO_PEERCRED would say: Node has no API for
// it, so netd asks the kernel's socket diagnostics through `ss -xpn` (iproute2, beside `ip`): the line
// whose peer inode is this connection's own inode is the caller's socket, with the pid holding it; the
// caller's uid is that process's real uid in /proc/<pid>/status (the real one: a caller that connects and
// then execs a setuid program keeps its own real uid). Nothing is taken from the request.
// Under burrow-netd.service netd has no CAP_SYS_PTRACE, and without it `ss -p` cannot read another user's
// /proc/<pid>/fd, so it names no process for the caller's socket (the VM suite's system-wide Tor found
// this). A process can always read its own user's: netd then runs `ss` once as each user that has
// processes (uids from /proc/<pid>/status, readable by anyone) until one of them holds the peer socket.
// When it cannot be told (ss missing, the caller gone), the answer is undefined and commands that act on
// behalf of a uid refuse.
import { fstatSync, readdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Runner } from './exec.js';

export interface Peer {
  pid: number;
  uid: number;
}

/** `ss -xpnH` lines → the pid whose socket's peer is `inode`. Exported for its unit test. */
export function pidOfPeer(ssOutput: string, inode: number): number | undefined {
  for (const line of ssOutput.split('\n')) {
    const match = /\s(\d+)\s+\S+\s+(\d+)\s+users:\(\("[^"]*",pid=(\d+),/.exec(line);
    if (match === null) continue;
    const [, local, peer, pid] = match;
    if (Number(peer) === inode && Number(local) !== inode) return Number(pid);
  }
  return undefined;
}

/** The real uid or gid in a /proc/<pid>/status text: the first number of its Uid: or Gid: line. */
function realId(status: string, field: 'Uid' | 'Gid'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s`, 'm').exec(status);
  return match === null ? undefined : Number(match[1]);
}

/** The real uid in a /proc/<pid>/status text. */
export const realUid = (status: string): number | undefined => realId(status, 'Uid');

/** Every user (uid and a gid of it) with a process on this machine, root left out (ss as root ran first). */
export function usersWithProcesses(proc = '/proc'): { uid: number; gid: number }[] {
  const users = new Map<number, number>();
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`${proc}/${entry}/status`, 'utf8');
      const uid = realUid(status);
      const gid = realId(status, 'Gid');
      if (uid !== undefined && gid !== undefined && uid !== 0 && !users.has(uid)) users.set(uid, gid);
    } catch {
      // gone meanwhile
    }
  }
  return [...users].map(([uid, gid]) => ({ uid, gid }));
}

export async function peerOf(socket: Socket, run: Runner, users: () => { uid: number; gid: number }[] = usersWithProcesses): Promise<Peer | undefined> {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return undefined;
  try {
    const inode = fstatSync(fd).ino;
    const holder = async (as?: { uid: number; gid: number }): Promise<number | undefined> => {
      const listed = await run('ss', ['-xpnH'], { allowFailure: true, timeoutMs: 5000, ...(as === undefined ? {} : { as }) });
      return pidOfPeer(listed.stdout, inode);
    };
    let pid = await holder();
    let expected: number | undefined;
    for (const user of pid === undefined ? users() : []) {
      pid = await holder(user);
      if (pid !== undefined) {
        expected = user.uid;
        break;
      }
    }
    if (pid === undefined) return undefined;
    const uid = realUid(readFileSync(`/proc/${pid}/status`, 'utf8'));
    // Seen by `ss` run as a user, the process must be that user's.
    if (uid === undefined || (expected !== undefined && uid !== expected)) return undefined;
    return { pid, uid };
  } catch {
    return undefined;
  }
}
