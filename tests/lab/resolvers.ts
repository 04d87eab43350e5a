// The lab's two recursive resolvers, both dnsmasq, both logging every query: the ISP's (what the
// client's resolv.conf names: a query seen here with a tunnel up is a DNS leak) and a "public" one on
// the internet (what the VPN's DNS and the Tor exit use). Both send the leak zone straight to leakd, so
// leakd records which of them asked.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabAddresses } from './addresses.js';

export type ResolverName = 'isp' | 'public';

export interface ResolverQuery {
  type: string;
  name: string;
  from: string;
}

export const LEAK_ZONE = 'leak.lab';

export function dnsmasqConfig(which: ResolverName, a: LabAddresses, logFile: string): string {
  const listen = which === 'isp' ? a.ispResolver : a.publicResolver;
  // `server=.../IP@SOURCE` pins the source of upstream queries, so leakd sees the resolver's own address.
  const upstream =
    which === 'isp'
      ? [`server=/${LEAK_ZONE}/${a.leakdDns}@${listen}`, `server=${a.publicResolver}@${listen}`]
      : [
          `server=/${LEAK_ZONE}/${a.leakdDns}@${listen}`,
          // Names of the lab's own services, answered by the "internet's" DNS.
          'local=/lab/',
          `host-record=echo.lab,${a.echo},${a.echoV6}`,
          `host-record=iperf.lab,${a.iperf}`,
          `host-record=vpn.lab,${a.vpn},${a.vpnV6}`,
        ];
  return [
    'no-resolv',
    'no-hosts',
    'bind-interfaces',
    `listen-address=${listen}`,
    'port=53',
    // No cache: every client query shows in the log and reaches upstream, which is what leak tests count.
    'cache-size=0',
    'no-negcache',
    'log-queries',
    `log-facility=${logFile}`,
    'user=root',
    'group=root',
    ...upstream,
    '',
  ].join('\n');
}

export function writeDnsmasqConfig(dir: string, which: ResolverName, a: LabAddresses): { conf: string; log: string } {
  const log = join(dir, `dns-${which}.log`);
  const conf = join(dir, `dns-${which}.conf`);
  writeFileSync(conf, dnsmasqConfig(which, a, log));
  writeFileSync(log, '');
  return { conf, log };
}

/** `dnsmasq --keep-in-foreground` without a pid file (the default path would be shared with the host). */
export function dnsmasqArgv(conf: string): string[] {
  return ['dnsmasq', '--keep-in-foreground', `--conf-file=${conf}`, '--pid-file'];
}

/** Queries a resolver received from clients, parsed from its log. */
export function readResolverLog(logFile: string): ResolverQuery[] {
  if (!existsSync(logFile)) return [];
  const queries: ResolverQuery[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    const m = /query\[(\w+)\] (\S+) from (\S+)/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
      queries.push({ type: m[1], name: m[2].toLowerCase(), from: m[3] });
    }
  }
  return queries;
}
