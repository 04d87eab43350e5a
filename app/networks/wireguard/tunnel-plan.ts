// A stored WireGuard profile turned into what netd and the firewall need: the facts of the tunnel (server
// addresses, DNS, interface, mark), the wgUp request built on them (with the keys, for netd only), and the
// kill switch's policy. Pure, so the same profile always yields the same tunnel and the same rules.
import { isIP } from 'node:net';
import type { Settings } from '../../domain/index.js';
import { BurrowError } from '../../domain/errors.js';
import { BURROW_WG_FWMARK, OBFS_HELPER_USER, OBFS_LOCAL_PORT, type WgUpRequest } from '../../contract/index.js';
import type { TunnelPolicy } from '../../firewall/index.js';
import type { WireGuardConfig, WireGuardSecrets } from './config/index.js';
import { lookupUser } from '../helper/user.js';
import { transportProtocol } from './obfuscation/helpers.js';
import type { Obfuscation } from './obfuscation/parse.js';

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
const isIpLiteral = (host: string): boolean => isIP(host) !== 0;

/** WireGuard over an obfuscating transport: what the helper relays to, and the one way out it is allowed. */
export interface TransportFacts {
  obfuscation: Obfuscation;
  /** The transport server's address (a name in the profile is resolved like an endpoint). */
  serverIp: string;
  proto: 'udp' | 'tcp';
  /** The WireGuard server the helper relays to: the profile's own endpoint. */
  target: { ip: string; port: number };
  /** Burrow's helper account; undefined when this machine has none (then nothing is let out). */
  uid: number | undefined;
  /** How a person is told: "WireGuard over Shadowsocks". */
  label: string;
}

export const TRANSPORT_LABELS: Record<Obfuscation['type'], string> = {
  shadowsocks: 'WireGuard over Shadowsocks',
  'vless-ws-tls': 'WireGuard over TLS (VLESS)',
};

/** The uid of Burrow's transport helper account here (netd runs the helper under it), or undefined. */
export const obfsHelperUid = (): number | undefined => lookupUser(OBFS_HELPER_USER)?.uid;

/** Everything about the tunnel that is not secret. */
export interface TunnelFacts {
  ifname: string;
  fwmark: number;
  /** One per peer, in the profile's order, host names replaced by their addresses: what WireGuard sends to (the helper's port with a transport). */
  endpoints: { ip: string; port: number }[];
  transport?: TransportFacts;
  dns: { servers: string[]; search: string[] };
  ipv6InTunnel: boolean;
  addresses: string[];
}

/**
 * `helperUid` is Burrow's transport helper account (looked up by the caller); a profile with `[Obfuscation]`
 * sections is carried over its first one, which needs a single peer (one helper relays to one server).
 */
export function tunnelFacts(config: WireGuardConfig, resolved: Record<string, string>, settings: Settings, helperUid?: number): TunnelFacts {
  const addressOf = (host: string): string => {
    const ip = isIpLiteral(host) ? host : resolved[host];
    if (ip === undefined) throw new Error(`${host} was not resolved`);
    return ip;
  };
  const real = config.peers.map((peer) => ({ ip: addressOf(peer.endpoint.host), port: peer.endpoint.port }));
  const obfuscation = config.obfuscation?.[0];
  let transport: TransportFacts | undefined;
  if (obfuscation !== undefined) {
    const [target] = real;
    if (target === undefined || real.length !== 1) {
      throw new BurrowError('invalid_profile', `An obfuscated WireGuard profile needs exactly one [Peer] (this one has ${real.length}): one transport helper relays to one server.`);
    }
    transport = {
      obfuscation, serverIp: addressOf(obfuscation.server.host), proto: transportProtocol(obfuscation), target, uid: helperUid, label: TRANSPORT_LABELS[obfuscation.type],
    };
  }
  const servers = settings.dns.servers.length > 0 ? settings.dns.servers : config.interface.dnsServers;
  return {
    ifname: WG_INTERFACE,
    // A profile's own FwMark is ignored, as wg-quick ignores it when it sets up its own table: the firewall's
    // endpoint rule and the routing rules must agree on one mark.
    fwmark: BURROW_WG_FWMARK,
    endpoints: transport === undefined ? real : [{ ip: '127.0.0.1', port: OBFS_LOCAL_PORT }],
    ...(transport === undefined ? {} : { transport }),
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
  const t = facts.transport;
  if (t !== undefined && t.uid === undefined) {
    throw new BurrowError('network_unavailable', `${t.label} needs Burrow's helper account ${OBFS_HELPER_USER} on this machine; without it nothing may reach the transport server.`);
  }
  return {
    ...(t?.uid === undefined ? {} : { transport: { uid: t.uid, ip: t.serverIp, port: t.obfuscation.server.port, proto: t.proto } }),
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
