// The lab's wiring: namespaces, veth pairs created directly between two lab namespaces (never the
// host's), addresses, routes and forwarding. `inet` has no default route: a lab packet has nowhere to
// go but the lab.
import { mkdirSync, writeFileSync } from 'node:fs';
import { LAB_NAMESPACES, TOR_NODES, type LabAddresses, type LabInterfaces, type LabNamespace } from './addresses.js';
import { nsArgv, run } from './process.js';

export interface TopologyContext {
  namespaces: Record<LabNamespace, string>;
  interfaces: LabInterfaces;
  addresses: LabAddresses;
  /** Per-namespace directories bind-mounted over /run/wireguard. */
  wgDirs: Record<LabNamespace, string>;
}

/** Which resolver each namespace's /etc/resolv.conf names (the client's is the ISP's: the classic leak). */
function resolverOf(ns: LabNamespace, a: LabAddresses): string {
  return ns === 'client' || ns === 'isp' ? a.ispResolver : a.publicResolver;
}

async function ipBatch(ns: string | undefined, lines: string[]): Promise<void> {
  const args = ns === undefined ? ['-batch', '-'] : ['-n', ns, '-batch', '-'];
  await run('ip', args, { input: `${lines.join('\n')}\n` });
}

async function sysctl(ctx: TopologyContext, ns: LabNamespace, settings: string[]): Promise<void> {
  await run('ip', nsArgv(ctx.namespaces[ns], ctx.wgDirs[ns], ['sysctl', '-q', '-w', ...settings]));
}

/** Creates the namespaces and their resolv.conf files; returns the /etc/netns paths to remove later. */
export async function createNamespaces(ctx: TopologyContext): Promise<string[]> {
  const extra: string[] = [];
  // The bind-mount target must exist; an empty /run/wireguard is what wireguard-tools would create anyway.
  mkdirSync('/run/wireguard', { recursive: true, mode: 0o700 });
  for (const ns of LAB_NAMESPACES) {
    const name = ctx.namespaces[ns];
    // resolv.conf first: `ip netns exec` into a namespace without one would let a DNS change made
    // inside it rewrite the host's own /etc/resolv.conf.
    mkdirSync(`/etc/netns/${name}`, { recursive: true });
    writeFileSync(`/etc/netns/${name}/resolv.conf`, `nameserver ${resolverOf(ns, ctx.addresses)}\n`);
    extra.push(`/etc/netns/${name}`);
    mkdirSync(ctx.wgDirs[ns], { recursive: true, mode: 0o700 });
    await run('ip', ['netns', 'add', name]);
  }
  return extra;
}

export async function wire(ctx: TopologyContext): Promise<void> {
  const { namespaces: n, interfaces: i, addresses: a } = ctx;
  const pair = (left: LabNamespace, leftIf: string, right: LabNamespace, rightIf: string): string =>
    `link add ${leftIf} netns ${n[left]} type veth peer name ${rightIf} netns ${n[right]}`;
  // Before any interface exists, so new interfaces inherit it: no duplicate address detection (an IPv6
  // address, link-local ones included, would be unusable for a second or two). Forwarding where packets
  // cross; src_valid_mark so a wg-quick-style fwmark setup passes rp_filter.
  const noDad = ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'];
  await Promise.all([
    sysctl(ctx, 'client', ['net.ipv4.conf.all.src_valid_mark=1', ...noDad]),
    ...(['isp', 'inet', 'vpn'] as const).map((ns) =>
      sysctl(ctx, ns, ['net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1', ...noDad]),
    ),
    ...(['tor', 'bridge'] as const).map((ns) => sysctl(ctx, ns, noDad)),
  ]);
  await ipBatch(undefined, [
    pair('client', i.client, 'isp', i.ispLan),
    pair('isp', i.ispWan, 'inet', i.inetIsp),
    pair('inet', i.inetVpn, 'vpn', i.vpn),
    pair('inet', i.inetTor, 'tor', i.tor),
    pair('inet', i.inetBridge, 'bridge', i.bridge),
  ]);
  const up = (dev: string): string => `link set ${dev} up`;
  // nodad: an IPv6 address is usable at once instead of after duplicate detection (about 2 s).
  const v6 = (addr: string, dev: string): string => `addr add ${addr}/64 dev ${dev} nodad`;
  const torHosts = TOR_NODES.map((node) => `addr add ${a.tor[node]}/24 dev ${i.tor}`);
  await Promise.all([
    ipBatch(n.client, [
      up('lo'),
      `addr add ${a.client}/24 dev ${i.client}`,
      v6(a.clientV6, i.client),
      up(i.client),
      `route add default via ${a.ispLan}`,
      `route add ::/0 via ${a.ispLanV6}`,
    ]),
    ipBatch(n.isp, [
      up('lo'),
      `addr add ${a.ispLan}/24 dev ${i.ispLan}`,
      v6(a.ispLanV6, i.ispLan),
      `addr add ${a.ispWan}/24 dev ${i.ispWan}`,
      v6(a.ispWanV6, i.ispWan),
      up(i.ispLan),
      up(i.ispWan),
      // The ISP's own traffic (its resolver's upstream queries) leaves from its LAN address, so the
      // internet sees "the ISP resolver" as the address the client knows it by.
      `route add default via ${a.inetIsp} src ${a.ispLan}`,
      `route add ::/0 via ${a.inetIspV6}`,
    ]),
    ipBatch(n.inet, [
      up('lo'),
      `addr add ${a.echo}/32 dev lo`,
      `addr add ${a.echoV6}/128 dev lo nodad`,
      `addr add ${a.publicResolver}/32 dev lo`,
      `addr add ${a.leakdDns}/32 dev lo`,
      `addr add ${a.leakdDnsV6}/128 dev lo nodad`,
      `addr add ${a.inetIsp}/24 dev ${i.inetIsp}`,
      v6(a.inetIspV6, i.inetIsp),
      `addr add ${a.vpnInet}/24 dev ${i.inetVpn}`,
      v6(a.vpnInetV6, i.inetVpn),
      `addr add ${a.torInet}/24 dev ${i.inetTor}`,
      `addr add ${a.bridgeInet}/24 dev ${i.inetBridge}`,
      up(i.inetIsp),
      up(i.inetVpn),
      up(i.inetTor),
      up(i.inetBridge),
      // The ISP routes its customers without NAT: the internet sees the client's own address.
      `route add ${a.client.replace(/\.\d+$/, '.0')}/24 via ${a.ispWan}`,
      `route add ${a.clientV6.replace(/::\d+$/, '::')}/64 via ${a.ispWanV6}`,
    ]),
    ipBatch(n.vpn, [
      up('lo'),
      `addr add ${a.vpn}/24 dev ${i.vpn}`,
      v6(a.vpnV6, i.vpn),
      up(i.vpn),
      `route add default via ${a.vpnInet}`,
      `route add ::/0 via ${a.vpnInetV6}`,
    ]),
    ipBatch(n.tor, [
      up('lo'),
      ...torHosts,
      up(i.tor),
      // The exit resolves names for its users from the namespace's preferred source: make that the
      // exit's address, so the resolver's log names the exit (tor ignores OutboundBindAddress for DNS).
      `route add default via ${a.torInet} src ${a.tor.exit}`,
    ]),
    ipBatch(n.bridge, [up('lo'), `addr add ${a.bridge}/24 dev ${i.bridge}`, up(i.bridge), `route add default via ${a.bridgeInet}`]),
  ]);
}
