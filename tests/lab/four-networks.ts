// The four networks side by side in one lab, all system-wide: WireGuard and Tor are the real programs, Nym
// and Mysterium the stand-ins (tests/lab/standins). What the switching tests share: the profiles, each
// network's own flows on the client's outside interface, and the judge of a switch between two of them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import type { Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { PROVIDER_PORT, startMystStandin, startNymStandin, type MystStandin, type NymStandin } from './standins/install.js';
import { describePacket, inFlow, strays, torFlows, wireguardFlow, type Flow } from './strays.js';

export type Network = 'wireguard' | 'tor' | 'nym' | 'dvpn';

/** The profile names `startFourNetworks` imports, per network. */
export const PROFILE: Record<Network, string> = { wireguard: 'wg', tor: 'tor', nym: 'mix', dvpn: 'dvpn' };

export interface FourNetworks {
  burrow: BurrowInLab;
  nym: NymStandin;
  myst: MystStandin;
  /** The flows a network's own traffic consists of, as seen on the client's outside interface. */
  flows(network: Network): Flow[];
  /** Whether a packet is part of the network's own flows. */
  belongs(network: Network, packet: Packet): boolean;
  /** The address the echo sees through each network. */
  exitIp(network: Network): string;
  /**
   * Every packet on the NIC outside the networks' flows (strays.ts), as lines. Packets *to* the client from
   * a network left earlier are not the client's doing: a Tor relay or the VPN server keeps retransmitting
   * to a client that left (the kill switch drops its RSTs), for minutes. Everything the client sends counts.
   */
  outside(packets: readonly Packet[], networks: readonly Network[], left?: readonly Network[]): string[];
  stop(): Promise<void>;
}

export async function startFourNetworks(lab: Lab, name: string): Promise<FourNetworks> {
  const [nym, myst] = await Promise.all([startNymStandin(lab), startMystStandin(lab)]);
  const burrow = await startBurrowInLab(lab, { name, env: { BURROW_NYM_SOCKS5_CLIENT: nym.client, BURROW_MYST: myst.myst } });
  const file = (fileName: string, lines: string[]): string => {
    const path = join(burrow.dir, fileName);
    writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
    return path;
  };
  const imports: [string, string][] = [
    [PROFILE.wireguard, burrow.confFile],
    [PROFILE.tor, file('tor.conf', ['[tor]', 'Mode system', ...(lab.tor?.dirAuthorityLines ?? []), 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67'])],
    [PROFILE.nym, file('mix.nym', ['[nym]', 'Mode = system', `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, `DnsServer = ${nym.dnsTcp}`, 'AveragePacketDelay = 5ms'])],
    [PROFILE.dvpn, file('node.dvpn', ['[dvpn]', 'Mode = system', 'Country = NL', `DnsServer = ${myst.dnsTcp}`])],
  ];
  for (const [profile, path] of imports) expect((await burrow.cli(['profile', 'import', path, '--name', profile])).code).toBe(0);

  const flows = (network: Network): Flow[] => {
    switch (network) {
      case 'wireguard':
        return [wireguardFlow(lab)];
      case 'tor':
        return torFlows(lab);
      case 'nym':
        return [{ host: nym.gateway.ip, port: nym.gateway.port }];
      case 'dvpn':
        return [{ host: lab.addresses.vpn, port: PROVIDER_PORT, proto: 'tcp' }];
    }
  };
  const belongs = (network: Network, p: Packet): boolean => flows(network).some((flow) => inFlow(p, flow));
  return {
    burrow,
    nym,
    myst,
    flows,
    belongs,
    exitIp: (network) => ({ wireguard: lab.addresses.vpn, tor: lab.addresses.tor.exit, nym: nym.exitIp, dvpn: lab.addresses.vpn })[network],
    outside: (packets, networks, left = []) =>
      strays(packets, networks.flatMap(flows))
        .filter((p) => !(p.dst === lab.addresses.client && left.some((network) => belongs(network, p))))
        .map(describePacket),
    async stop() {
      await burrow.stop();
      await Promise.all([nym.stop(), myst.stop()]);
    },
  };
}
