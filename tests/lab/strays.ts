// "Stray packets": the one judge every capture-based leak assertion uses. A stray is any IP packet on the
// client's outside interface, in either direction, whatever its source address and family, that is not
// part of an allowed flow (the tunnel's packets to its endpoint, Tor's to its relays, …). Counting by flow
// and not by the client's own address matters: when a tunnel's routes vanish, established sockets keep
// sending with the tunnel's source address out of the NIC, and a filter on "from the client" misses them.
// The only packets forgiven are ICMPv6 neighbour discovery and multicast listener reports: the link
// itself working, never routed past the first router (the kill switch allows them, as Mullvad's does).
import type { Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { namespacePids, readCmdline } from './teardown.js';

/** One allowed flow: packets to `host` (and `port`, `proto` when given) and the answers from it. */
export interface Flow {
  host: string;
  port?: number;
  proto?: 'tcp' | 'udp';
}

// ICMPv6 types of the link itself: MLD query/report/done (130–132, 143), router and neighbour
// solicitation/advertisement and redirect (133–137).
const LINK_ICMPV6 = new Set([130, 131, 132, 133, 134, 135, 136, 137, 143]);

export function isLinkTraffic(p: Packet): boolean {
  return p.proto === 'icmpv6' && p.icmpType !== undefined && LINK_ICMPV6.has(p.icmpType);
}

export function inFlow(p: Packet, flow: Flow): boolean {
  if (flow.proto !== undefined && p.proto !== flow.proto) return false;
  const out = p.dst === flow.host && (flow.port === undefined || p.dstPort === flow.port);
  const back = p.src === flow.host && (flow.port === undefined || p.srcPort === flow.port);
  return out || back;
}

/** Every packet that is neither link traffic nor part of one of `allowed`. */
export function strays(packets: readonly Packet[], allowed: readonly Flow[]): Packet[] {
  return packets.filter((p) => !isLinkTraffic(p) && !allowed.some((flow) => inFlow(p, flow)));
}

/** A packet as a person reads it in a failure message. */
export function describePacket(p: Packet): string {
  const port = (n: number | undefined): string => (n === undefined ? '' : `:${n}`);
  return `${p.time.toFixed(3)} ${p.proto}${p.icmpType === undefined ? '' : `(${p.icmpType})`} ${p.src}${port(p.srcPort)} > ${p.dst}${port(p.dstPort)} len ${p.length}`;
}

/** Stray packets as lines, for `expect(strayLines(...)).toEqual([])`: the failure shows each one. */
export function strayLines(packets: readonly Packet[], allowed: readonly Flow[]): string[] {
  return strays(packets, allowed).map(describePacket);
}

/** The lab's WireGuard endpoint as a flow. */
export function wireguardFlow(lab: Lab): Flow {
  const [host = '', port = '0'] = (lab.wireguard?.endpoint ?? '').split(':');
  return { host, port: Number(port), proto: 'udp' };
}

/** The lab's Tor relays and bridge as flows. */
export function torFlows(lab: Lab): Flow[] {
  return [...(lab.tor?.relayAddresses ?? []), lab.addresses.bridge].map((host) => ({ host, proto: 'tcp' as const }));
}

/** netd's pid in the client namespace (`burrow netd …` runs netd.mjs in its own process), if one runs. */
export function netdPidIn(lab: Lab): number | undefined {
  return namespacePids(lab.namespaces.client).find((pid) => /burrow\.mjs netd\b|netd\.mjs/.test(readCmdline(pid)));
}

/**
 * For anti-tests: takes Burrow's nftables table out of the client namespace (what a broken or missing kill
 * switch looks like) and returns the function that puts exactly that table back. netd watches its table and
 * puts it back within about a second (tamper detection), so netd is held (SIGSTOP) while the table is out:
 * without that, whether the anti-test sees the leak would depend on how fast its traffic starts.
 */
export async function liftFirewall(lab: Lab): Promise<() => Promise<void>> {
  const saved = (await lab.exec('client', ['nft', 'list', 'table', 'inet', 'burrow'])).stdout;
  const netd = netdPidIn(lab);
  if (netd !== undefined) process.kill(netd, 'SIGSTOP');
  try {
    await lab.exec('client', ['nft', 'delete', 'table', 'inet', 'burrow']);
  } catch (error) {
    if (netd !== undefined) process.kill(netd, 'SIGCONT');
    throw error;
  }
  return async () => {
    try {
      // Declaring then deleting first makes the restore exact even if someone re-created the table meanwhile.
      await lab.exec('client', ['nft', '-f', '-'], { input: `table inet burrow {}\ndelete table inet burrow\n${saved}` });
    } finally {
      // Back exactly as netd applied it: its next check finds nothing to repair.
      if (netd !== undefined) process.kill(netd, 'SIGCONT');
    }
  };
}

/**
 * What the client's outside interface carries while Burrow's table is lifted (an anti-test's capture):
 * lifted, captured during `during`, and put back whatever happens.
 */
export async function capturedWithFirewallLifted(lab: Lab, during: () => Promise<unknown>): Promise<Packet[]> {
  const restore = await liftFirewall(lab);
  try {
    const watch = await lab.capture('client', lab.interfaces.client);
    await during();
    return await watch.stop();
  } finally {
    await restore();
  }
}
