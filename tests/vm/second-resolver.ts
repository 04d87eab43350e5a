// The ISP's other resolver, on the guest's LAN gateway, for the "DHCP change of the ISP's DNS" steps: like
// the lab's own ISP resolver it logs every query and sends the leak zone to leakd from its own address (so
// leakd says which resolver asked). Started after prepareBurrowJob has given the tap its address; the lab
// stops it with everything else.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResolverLog, type ResolverQuery } from '../lab/resolvers.js';
import type { Lab } from '../lab/index.js';

export interface SecondResolver {
  address: string;
  queries(): ResolverQuery[];
}

/** Its address (the job's SECOND_RESOLVER), known before it starts. */
export const secondIspResolverAddress = (lab: Lab): string => `10.${lab.octet}.6.1`;

export function startSecondIspResolver(lab: Lab): SecondResolver {
  const address = secondIspResolverAddress(lab);
  const log = join(lab.dir, 'dns-isp-second.log');
  const conf = join(lab.dir, 'dns-isp-second.conf');
  writeFileSync(log, '');
  writeFileSync(conf, [
    'no-resolv', 'no-hosts', 'bind-interfaces', `listen-address=${address}`, 'port=53', 'cache-size=0', 'no-negcache',
    'log-queries', `log-facility=${log}`, 'user=root', 'group=root',
    `server=/leak.lab/${lab.addresses.leakdDns}@${address}`, `server=${lab.addresses.publicResolver}@${address}`, '',
  ].join('\n'));
  lab.spawn('isp', ['dnsmasq', '--keep-in-foreground', `--conf-file=${conf}`, '--pid-file'], { name: 'dns-isp-second' });
  return { address, queries: () => readResolverLog(log) };
}
