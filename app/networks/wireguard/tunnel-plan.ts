// A stored WireGuard profile turned into what netd and the firewall need: the facts of the tunnel (server
// addresses, DNS, interface, mark), the wgUp request built on them (with the keys, for netd only), and the
// kill switch's policy. Pure, so the same profile always yields the same tunnel and the same rules.
import type { Settings } from '../../domain/index.js';
import { DEFAULT_WG_FWMARK, type WgUpRequest } from '../../contract/index.js';
import type { TunnelPolicy } from '../../firewall/index.js';
import type { WireGuardConfig, WireGuardSecrets } from './config/index.js';

/** Burrow's one WireGuard interface (netd manages only `burrow*` names). */
export const WG_INTERFACE = 'burrow0';
/** wg-quick's usual MTU for an IPv4 or IPv6 underlay; a profile's MTU wins. */
export const DEFAULT_MTU = 1420;
/**
 * Burrow keeps every tunnel alive with keep-alives when the profile sets none: the first one starts the
 * handshake as soon as the interface is up (so "connected" means a real handshake, not just a configured
 * interface), and they keep the handshake fresh, so an idle tunnel never looks like a dead one.
 */
export const DEFAULT_KEEPALIVE_S = 25;

const bareIp = (cidr: string): string => cidr.slice(0, cidr.indexOf('/'));

/** Everything about the tunnel that is not secret. */
export interface TunnelFacts {
  ifname: string;
  fwmark: number;
  /** One per peer, in the profile's order, host names replaced by their addresses. */
  endpoints: { ip: string; port: number }[];
  dns: { servers: string[]; search: string[] };
  ipv6InTunnel: boolean;
  addresses: string[];
}

export function tunnelFacts(config: WireGuardConfig, resolved: Record<string, string>, settings: Settings): TunnelFacts {
  const endpoints = config.peers.map((peer) => {
    const ip = peer.endpoint.hostKind === 'name' ? resolved[peer.endpoint.host] : peer.endpoint.host;
    if (ip === undefined) throw new Error(`endpoint ${peer.endpoint.host} was not resolved`);
    return { ip, port: peer.endpoint.port };
  });
  const servers = settings.dns.servers.length > 0 ? settings.dns.servers : config.interface.dnsServers;
  return {
    ifname: WG_INTERFACE,
    // A profile's own FwMark is ignored, as wg-quick ignores it when it sets up its own table: the firewall's
    // endpoint rule and the routing rules must agree on one mark.
    fwmark: DEFAULT_WG_FWMARK,
    endpoints,
    dns: { servers: servers.slice(0, 8), search: config.interface.dnsSearch.slice(0, 6) },
    ipv6InTunnel: config.peers.some((peer) => peer.allowedIps.some((cidr) => cidr.includes(':') && cidr.endsWith('/0'))),
    addresses: config.interface.addresses,
  };
}

export function wgUpRequest(config: WireGuardConfig, secrets: WireGuardSecrets, facts: TunnelFacts): WgUpRequest {
  return {
    ifname: facts.ifname,
    privateKey: secrets.privateKey,
    ...(config.interface.listenPort ? { listenPort: config.interface.listenPort } : {}),
    fwmark: facts.fwmark,
    mtu: Math.max(1280, config.interface.mtu ?? DEFAULT_MTU),
    addresses: facts.addresses,
    peers: config.peers.map((peer, index) => {
      const presharedKey = peer.hasPresharedKey ? secrets.presharedKeys[peer.publicKey] : undefined;
      return {
        publicKey: peer.publicKey,
        ...(presharedKey === undefined ? {} : { presharedKey }),
        endpoint: facts.endpoints[index] ?? { ip: peer.endpoint.host, port: peer.endpoint.port },
        allowedIps: peer.allowedIps,
        persistentKeepalive: peer.persistentKeepalive ?? DEFAULT_KEEPALIVE_S,
      };
    }),
  };
}

/** The kill switch for this tunnel; `connecting` lets only the handshake through, `connected` the tunnel. */
export function tunnelPolicy(facts: TunnelFacts, settings: Settings, phase: 'connecting' | 'connected'): TunnelPolicy {
  return {
    kind: 'tunnel',
    tunnelInterface: facts.ifname,
    endpoints: facts.endpoints.map((endpoint) => ({ ...endpoint, proto: 'udp' as const })),
    fwmark: facts.fwmark,
    dnsServers: facts.dns.servers,
    allowLan: settings.allowLan,
    ipv6InTunnel: facts.ipv6InTunnel,
    tunnelTraffic: phase === 'connected' ? 'all' : 'none',
    tunnelAddresses: facts.addresses.map(bareIp),
  };
}
