// A lab described for people and other programs (lab-cli, demo): addresses, endpoints, the bridge
// line, the DirAuthority lines, where the WireGuard .conf is. No private key: the .conf is a 0600 file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './lab.js';

export interface LabSummary {
  prefix: string;
  dir: string;
  namespaces: Lab['namespaces'];
  interfaces: Lab['interfaces'];
  addresses: Lab['addresses'];
  leakd: Lab['leakd'];
  wireguardConf: string | null;
  bridgeLine: string | null;
  dirAuthorities: string[];
}

/** Writes `<dir>/client.conf` (0600) and `<dir>/lab.json`; returns the summary. */
export function writeSummary(lab: Lab): LabSummary {
  let wireguardConf: string | null = null;
  if (lab.wireguard !== undefined) {
    wireguardConf = join(lab.dir, 'client.conf');
    writeFileSync(wireguardConf, lab.wireguard.clientConf, { mode: 0o600 });
  }
  const summary: LabSummary = {
    prefix: lab.prefix,
    dir: lab.dir,
    namespaces: lab.namespaces,
    interfaces: lab.interfaces,
    addresses: lab.addresses,
    leakd: lab.leakd,
    wireguardConf,
    bridgeLine: lab.tor?.bridgeLine ?? null,
    dirAuthorities: lab.tor?.dirAuthorityLines ?? [],
  };
  writeFileSync(join(lab.dir, 'lab.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

export function describeLab(s: LabSummary): string {
  const a = s.addresses;
  return [
    `lab ${s.prefix} is up (files in ${s.dir})`,
    `  client      ${a.client} / ${a.clientV6}   enter it: ip netns exec ${s.namespaces.client} bash`,
    `  ISP resolver ${a.ispResolver} (the client's resolv.conf), public resolver ${a.publicResolver}`,
    `  leakd       ${s.leakd.url}/json  ${s.leakd.url}/name  ${s.leakd.url}/dns/<name>  STUN ${s.leakd.stun}  zone ${s.leakd.zone}`,
    `  iperf3      ${a.iperf}:5201`,
    s.wireguardConf === null ? '  WireGuard   not started' : `  WireGuard   server ${a.vpn}:51820, client .conf: ${s.wireguardConf}`,
    s.bridgeLine === null ? '  Tor         not started' : `  Tor exit    ${a.tor.exit}\n  bridge line ${s.bridgeLine}`,
    ...s.dirAuthorities.map((line) => `  ${line}`),
    `  summary     ${s.dir}/lab.json`,
  ].join('\n');
}
