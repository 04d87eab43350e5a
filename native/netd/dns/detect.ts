// Which of the cases this machine is: systemd-resolved when resolved runs and is the one glibc ends up
// asking (resolv.conf is its stub or its resolv.conf, or nsswitch's hosts line names `resolve`);
// NetworkManager when it writes the servers into resolv.conf itself (network-manager.ts); a plain file
// otherwise (dhclient, resolvconf, a hand-written file, the lab's namespaces). Decided at each set, not once
// at start: resolved or NetworkManager may be started or stopped meanwhile.
import { readFileSync, realpathSync } from 'node:fs';
import type { Runner } from '../exec.js';
import { networkManagerWrites } from './network-manager.js';

export type DnsCase = 'systemd-resolved' | 'network-manager' | 'static-file';

const RESOLVED_FILES = ['/run/systemd/resolve/stub-resolv.conf', '/run/systemd/resolve/resolv.conf', '/usr/lib/systemd/resolv.conf', '/lib/systemd/resolv.conf'];

export function pointsAtResolved(resolvConf: string): boolean {
  try {
    return RESOLVED_FILES.includes(realpathSync(resolvConf));
  } catch {
    return false;
  }
}

export function nsswitchUsesResolve(nsswitch = '/etc/nsswitch.conf'): boolean {
  try {
    const hosts = readFileSync(nsswitch, 'utf8').split('\n').find((line) => /^hosts:/.test(line));
    return hosts !== undefined && /\bresolve\b/.test(hosts);
  } catch {
    return false;
  }
}

export async function resolvedRunning(run: Runner): Promise<boolean> {
  const ping = await run('busctl', ['--system', 'call', 'org.freedesktop.resolve1', '/org/freedesktop/resolve1', 'org.freedesktop.DBus.Peer', 'Ping'], {
    allowFailure: true,
    timeoutMs: 3000,
  }).catch(() => ({ code: 1 }));
  return ping.code === 0;
}

export async function detectCase(resolvConf: string, run: Runner, nsswitch?: string): Promise<DnsCase> {
  if ((pointsAtResolved(resolvConf) || nsswitchUsesResolve(nsswitch)) && (await resolvedRunning(run))) return 'systemd-resolved';
  return (await networkManagerWrites(resolvConf, run)) ? 'network-manager' : 'static-file';
}
