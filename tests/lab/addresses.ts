// The lab's address plan. Every run gets its own second octet (10.<octet>.x.y, fd6c:<octet>:x::y), so
// two labs never share an address, and the same roles always sit at the same host numbers, so a person
// reading a log can tell who is who.

export const LAB_NAMESPACES = ['client', 'isp', 'inet', 'vpn', 'tor', 'bridge'] as const;
export type LabNamespace = (typeof LAB_NAMESPACES)[number];

export const TOR_NODES = ['auth1', 'auth2', 'auth3', 'middle1', 'middle2', 'exit'] as const;
export type TorNode = (typeof TOR_NODES)[number];

export interface LabAddresses {
  /** The user's machine, as the ISP and the internet see it without a tunnel. */
  client: string;
  clientV6: string;
  /** The ISP router on the client's side; also the ISP resolver the client's resolv.conf names. */
  ispLan: string;
  ispLanV6: string;
  ispResolver: string;
  ispWan: string;
  ispWanV6: string;
  /** inet's end of the ISP link (the next hop for the ISP). */
  inetIsp: string;
  inetIspV6: string;
  /** A "public" resolver on the internet (what a VPN provider's DNS would be); logs who asked. */
  publicResolver: string;
  /** leakd: HTTP echo (port 80) and STUN (3478) on `echo`, authoritative DNS on `leakdDns`. */
  echo: string;
  echoV6: string;
  leakdDns: string;
  leakdDnsV6: string;
  /** iperf3 server (port 5201). */
  iperf: string;
  /** WireGuard server: its address on the internet, and the tunnel's two ends. */
  vpn: string;
  vpnV6: string;
  vpnInet: string;
  vpnInetV6: string;
  vpnTunnelServer: string;
  vpnTunnelServerV6: string;
  vpnTunnelClient: string;
  vpnTunnelClientV6: string;
  /** One address per Tor node; the exit's is what a destination sees through Tor. */
  tor: Record<TorNode, string>;
  torInet: string;
  bridge: string;
  bridgeInet: string;
}

export function planAddresses(octet: number): LabAddresses {
  if (!Number.isInteger(octet) || octet < 1 || octet > 254) throw new Error(`lab octet out of range: ${octet}`);
  const v4 = (c: number, d: number): string => `10.${octet}.${c}.${d}`;
  const v6 = (group: number, host: number): string => `fd6c:${octet.toString(16)}:${group}::${host}`;
  return {
    client: v4(1, 2),
    clientV6: v6(1, 2),
    ispLan: v4(1, 1),
    ispLanV6: v6(1, 1),
    ispResolver: v4(1, 1),
    ispWan: v4(2, 2),
    ispWanV6: v6(2, 2),
    inetIsp: v4(2, 1),
    inetIspV6: v6(2, 1),
    publicResolver: v4(53, 53),
    echo: v4(80, 80),
    echoV6: v6(80, 80),
    leakdDns: v4(53, 54),
    leakdDnsV6: v6(53, 54),
    iperf: v4(80, 80),
    vpn: v4(3, 2),
    vpnV6: v6(3, 2),
    vpnInet: v4(3, 1),
    vpnInetV6: v6(3, 1),
    vpnTunnelServer: v4(100, 1),
    vpnTunnelServerV6: v6(100, 1),
    vpnTunnelClient: v4(100, 2),
    vpnTunnelClientV6: v6(100, 2),
    tor: {
      auth1: v4(4, 11),
      auth2: v4(4, 12),
      auth3: v4(4, 13),
      middle1: v4(4, 14),
      middle2: v4(4, 15),
      exit: v4(4, 16),
    },
    torInet: v4(4, 1),
    bridge: v4(5, 2),
    bridgeInet: v4(5, 1),
  };
}

/** Interface names: short (≤ 15 chars) and prefixed, so a stray one is traceable to its run. */
export interface LabInterfaces {
  /** client → isp */
  client: string;
  /** isp → client */
  ispLan: string;
  /** isp → inet */
  ispWan: string;
  /** inet → isp */
  inetIsp: string;
  inetVpn: string;
  vpn: string;
  /** The WireGuard server's tunnel interface in `vpn`. */
  vpnTunnel: string;
  inetTor: string;
  tor: string;
  inetBridge: string;
  bridge: string;
}

export function planInterfaces(prefix: string): LabInterfaces {
  const name = (suffix: string): string => {
    const n = `${prefix}${suffix}`;
    if (n.length > 15) throw new Error(`interface name too long: ${n}`);
    return n;
  };
  return {
    client: name('ci'),
    ispLan: name('ic'),
    ispWan: name('in'),
    inetIsp: name('ni'),
    inetVpn: name('nv'),
    vpn: name('vn'),
    vpnTunnel: name('wg'),
    inetTor: name('nt'),
    tor: name('tn'),
    inetBridge: name('nb'),
    bridge: name('bn'),
  };
}

export function namespaceNames(prefix: string): Record<LabNamespace, string> {
  return Object.fromEntries(LAB_NAMESPACES.map((ns) => [ns, `${prefix}-${ns}`])) as Record<LabNamespace, string>;
}

/** Run prefixes look like `bl3f2a`: what cleanup recognises as a lab's leftovers. */
export const PREFIX_PATTERN = /^bl[0-9a-f]{4}$/;
export const NAMESPACE_PATTERN = /^(bl[0-9a-f]{4})-[a-z]+$/;
