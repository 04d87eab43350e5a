// The kill switch for tunnels (Mullvad's published model, and the rules that passed 11 of 11 checks in
// shared/LAB.md): blocking, and a WireGuard tunnel connecting or connected.
import { filterChain, ALL_COUNTERS, type TableModel } from './model.js';
import { COUNTERS } from './ranges.js';
import type { BlockPolicy, FirewallEndpoint, TunnelPolicy } from './policy.js';
import {
  blockDns,
  dnsTo,
  dropIn,
  family,
  hex32,
  lanForward,
  lanIn,
  lanOut,
  linkIn,
  linkOut,
  loopbackIn,
  loopbackOut,
  rejectForward,
  rejectOut,
} from './rules-common.js';

export function blockTable(policy: BlockPolicy): TableModel {
  const lan = policy.allowLan;
  return {
    counters: ALL_COUNTERS,
    chains: [
      // DNS is refused before the LAN exception, so "allow LAN" never means "ask the router's resolver".
      filterChain('output', [...loopbackOut(), ...linkOut(), ...blockDns(), ...(lan ? lanOut() : []), ...rejectOut()]),
      filterChain('input', [...loopbackIn(), ...linkIn(), ...(lan ? lanIn() : []), ...dropIn()]),
      filterChain('forward', [...blockDns(), ...(lan ? lanForward() : []), ...rejectForward()]),
    ],
  };
}

export function tunnelTable(policy: TunnelPolicy): TableModel {
  const tun = policy.tunnelInterface;
  const carry = (policy.tunnelTraffic ?? 'all') === 'all';
  // Without IPv6 in the tunnel, IPv6 would have nowhere to go but around it: only IPv4 enters the tunnel.
  const onlyV4 = policy.ipv6InTunnel ? '' : ' meta nfproto ipv4';
  const lan = policy.allowLan;

  const output = [
    ...loopbackOut(),
    // Before the DNS block, so a server listening on port 53 still works.
    ...policy.endpoints.map((endpoint) => endpointOut(endpoint, policy.fwmark)),
    ...(policy.transport === undefined ? [] : [transportOut(policy.transport)]),
    ...linkOut(),
    ...(carry ? policy.dnsServers.map((ip) => dnsTo(ip, tun)) : []),
    ...(lan ? (policy.lanDnsServers ?? []).map((ip) => dnsTo(ip)) : []),
    ...blockDns(),
    ...(carry ? [`oifname "${tun}"${onlyV4} accept`] : []),
    ...(lan ? lanOut() : []),
    ...rejectOut(),
  ];

  const input = [
    ...loopbackIn(),
    ...policy.endpoints.map(endpointIn),
    ...(policy.transport === undefined ? [] : [endpointIn({ ip: policy.transport.ip, port: policy.transport.port, proto: policy.transport.proto })]),
    ...(carry ? [`iifname "${tun}"${onlyV4} accept`] : []),
    // CVE-2019-14899: someone on the LAN probing the tunnel address through the physical interface. After
    // the tunnel's own accept, so only packets that did not come through the tunnel are dropped.
    ...(policy.tunnelAddresses ?? []).map((ip) => `${family(ip)} daddr ${ip} counter name "${COUNTERS.blockedIn}" drop`),
    ...linkIn(),
    ...(lan ? lanIn() : []),
    ...dropIn(),
  ];

  const forward = [
    ...(carry ? policy.dnsServers.map((ip) => dnsTo(ip, tun)) : []),
    ...blockDns(),
    ...(carry ? [`oifname "${tun}"${onlyV4} accept`, `iifname "${tun}" ct state established,related accept`] : []),
    ...(lan ? lanForward() : []),
    ...rejectForward(),
  ];

  return { counters: ALL_COUNTERS, chains: [filterChain('output', output), filterChain('input', input), filterChain('forward', forward)] };
}

/** Only the tunnel's own socket carries the mark, so no other program can reach the server around the tunnel. */
function endpointOut(endpoint: FirewallEndpoint, fwmark: number): string {
  return `meta mark ${hex32(fwmark)} ${family(endpoint.ip)} daddr ${endpoint.ip} ${endpoint.proto} dport ${endpoint.port} accept`;
}

/** The transport helper's one way out: its own uid, to the transport server's address, protocol and port. */
function transportOut(t: NonNullable<TunnelPolicy['transport']>): string {
  return `meta skuid ${t.uid} ${family(t.ip)} daddr ${t.ip} ${t.proto} dport ${t.port} accept`;
}

function endpointIn(endpoint: FirewallEndpoint): string {
  return `${family(endpoint.ip)} saddr ${endpoint.ip} ${endpoint.proto} sport ${endpoint.port} ct state established accept`;
}
