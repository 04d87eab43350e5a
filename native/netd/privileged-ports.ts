// The redirect ports (app/contract/system-wide.ts) are safe only while only root can bind them: below
// net.ipv4.ip_unprivileged_port_start, 1024 unless someone lowered it (rootless containers often set 0).
// netd checks that before it starts system-wide tor or the redirect, and refuses otherwise: on a port any
// user may bind, whoever binds it first receives every other user's redirected TCP and DNS.
import { readFileSync } from 'node:fs';
import { SYSTEM_PORTS } from '../../app/contract/index.js';
import { BurrowError } from '../../app/domain/index.js';

const SYSCTL = '/proc/sys/net/ipv4/ip_unprivileged_port_start';

/** Throws (conflict) when a user other than root could bind one of `ports` in this network namespace. */
export function checkPrivilegedPorts(ports: readonly number[] = Object.values(SYSTEM_PORTS), read: () => string = () => readFileSync(SYSCTL, 'utf8')): void {
  let start: number;
  try {
    start = Number(read().trim());
  } catch {
    // No such sysctl (kernels before 4.11): every port below 1024 is privileged.
    start = 1024;
  }
  if (!Number.isInteger(start)) start = 0;
  const open = ports.filter((port) => port >= start);
  if (open.length > 0) {
    throw new BurrowError(
      'conflict',
      `net.ipv4.ip_unprivileged_port_start is ${start} here, so any user could bind port ${open.join(', ')} first and receive other programs' redirected traffic; system-wide mode needs it above ${Math.max(...ports)} (the default is 1024).`,
      { sysctl: start },
    );
  }
}
