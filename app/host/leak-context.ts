// What the host knows about the tunnel that is up, turned into the leak suite's LeakContext: where traffic
// should appear to come from, which resolvers may ask, whether IPv6 is carried, and (Tor in proxy mode)
// the SOCKS port the probes must go through.
import { isIP } from 'node:net';
import type { Settings, TunnelState } from '../domain/index.js';
import type { LeakBaseline, LeakContext } from '../leaks/index.js';
import { configFromRecord } from '../networks/wireguard/config/index.js';
import type { StoredProfile } from '../supervisor/driver.js';

export interface LeakRun {
  context: LeakContext;
  socks5?: { host: string; port: number };
}

/** "10.0.3.2:51820, [fd00::1]:51820" → ["10.0.3.2", "fd00::1"] */
export function hostsOf(endpoints: string | undefined): string[] {
  if (!endpoints) return [];
  return endpoints
    .split(',')
    .map((part) => part.trim().replace(/^\[([^\]]+)\](?::\d+)?$/, '$1').replace(/^([^:]+):\d+$/, '$1'))
    .filter((host) => isIP(host) !== 0);
}

function parseSocks(value: string | undefined): { host: string; port: number } | undefined {
  const match = value ? /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):(\d{1,5})$/.exec(value.trim()) : null;
  if (!match?.[1] || !match[2]) return undefined;
  return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

export function buildLeakRun(
  state: TunnelState,
  profile: StoredProfile | undefined,
  settings: Settings,
  baseline: LeakBaseline | undefined,
  webrtcCandidates: string[] | undefined,
): LeakRun {
  const base: LeakContext = {
    network: null,
    ...(baseline ? { baseline } : {}),
    ...(webrtcCandidates ? { webrtcCandidates } : {}),
  };
  if (state.state !== 'connected') return { context: base };
  const { details, target } = state;
  const context: LeakContext = { ...base, network: target.network };

  if (target.network === 'wireguard' && profile) {
    const config = configFromRecord(profile.config);
    const endpoints = hostsOf(details.endpoint);
    context.expectedExit = { addresses: details.exitIp ? [...new Set([details.exitIp, ...endpoints])] : endpoints, label: 'the VPN server' };
    context.tunnelDns = settings.dns.servers.length > 0 ? settings.dns.servers : config.interface.dnsServers;
    context.tunnelCarriesIpv6 = config.peers.some((peer) => peer.allowedIps.some((cidr) => cidr.endsWith('::/0')));
    context.tunnelAddresses = config.interface.addresses.map((cidr) => cidr.replace(/\/\d+$/, ''));
    if (details.interface) context.tunnelInterface = details.interface;
    if (endpoints[0]) context.tunnelEndpoint = endpoints[0];
    return { context };
  }

  if (target.network === 'tor') {
    // Nobody can list Tor exits' resolvers: DNS is judged against the baseline and the system's resolvers.
    context.expectedExit = { addresses: details.exitIp ? [details.exitIp] : [], label: 'the Tor exit relay' };
    context.tunnelCarriesIpv6 = false;
    const guard = hostsOf(details.endpoint)[0] ?? (details.endpoint && isIP(details.endpoint) ? details.endpoint : undefined);
    if (guard) context.tunnelEndpoint = guard;
    const socks5 = details.extra?.['Transparent ports'] ? undefined : parseSocks(details.extra?.['SOCKS proxy']);
    return socks5 ? { context, socks5 } : { context };
  }

  const exit = details.exitIp ? [details.exitIp] : [];
  context.expectedExit = { addresses: exit, label: `the ${target.network === 'nym' ? 'mixnet exit' : 'dVPN node'}` };
  return { context };
}
