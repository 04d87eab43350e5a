// Rule fragments every blocking mode shares: loopback, DHCP, the NDP IPv6 needs to stay on the link, the
// DNS block and the LAN exception. Inputs are validated before they get here (policy.ts).
import { isIP } from 'node:net';
import { COUNTERS, LAN_MULTICAST_V4, LAN_MULTICAST_V6, LAN_NETS_V4, LAN_NETS_V6 } from './ranges.js';

export const REJECT = 'reject with icmpx type admin-prohibited';
const set = (items: readonly string[]): string => (items.length === 1 ? (items[0] ?? '') : `{ ${items.join(', ')} }`);

/** `ip` or `ip6`, for a validated address. */
export function family(ip: string): 'ip' | 'ip6' {
  return isIP(ip) === 6 ? 'ip6' : 'ip';
}

export function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

export const loopbackOut = (): string[] => ['oifname "lo" accept'];
export const loopbackIn = (): string[] => ['iifname "lo" accept'];

/**
 * DHCPv4 requests to the broadcast address (how leases start and rebind) and unicast renewals to private
 * addresses (where DHCP servers live); DHCPv6 and NDP as Mullvad allows them, link-local only.
 */
export function linkOut(): string[] {
  return [
    `udp sport 68 udp dport 67 ip daddr ${set(['255.255.255.255', ...LAN_NETS_V4])} accept`,
    'ip6 saddr fe80::/10 udp sport 546 udp dport 547 ip6 daddr { ff02::1:2, ff05::1:3 } accept',
    'icmpv6 type nd-router-solicit ip6 daddr ff02::2 accept',
    'icmpv6 type nd-neighbor-solicit ip6 daddr { ff02::1:ff00:0/104, fe80::/10 } accept',
    'icmpv6 type nd-neighbor-advert ip6 daddr fe80::/10 accept',
    // MLDv2 reports to the link's routers: without them an MLD-snooping switch stops delivering the
    // solicited-node multicast NDP depends on. Link-scoped, and they carry no application data.
    'icmpv6 type mld2-listener-report ip6 daddr ff02::16 accept',
  ];
}

export function linkIn(): string[] {
  return [
    'udp sport 67 udp dport 68 accept',
    'ip6 saddr fe80::/10 udp sport 547 ip6 daddr fe80::/10 udp dport 546 accept',
    'icmpv6 type { nd-router-advert, nd-neighbor-solicit, nd-redirect } ip6 saddr fe80::/10 accept',
    'icmpv6 type nd-neighbor-advert accept',
  ];
}

/** Port 53 anywhere not explicitly allowed before this rule: the one place DNS could leak. */
export function blockDns(): string[] {
  return [`meta l4proto { tcp, udp } th dport 53 counter name "${COUNTERS.blockedDns}" ${REJECT}`];
}

export function dnsTo(ip: string, viaInterface?: string): string {
  const via = viaInterface === undefined ? '' : `oifname "${viaInterface}" `;
  return `${via}${family(ip)} daddr ${ip} meta l4proto { tcp, udp } th dport 53 accept`;
}

/**
 * DNS over TLS (853) to the LAN is DNS all the same: "allow LAN" must not mean "ask the router's resolver"
 * (issue 12 item 10). Placed right before the LAN exception, so DoT through a tunnel is unaffected.
 */
function lanDotBlock(): string {
  return `meta l4proto { tcp, udp } th dport 853 counter name "${COUNTERS.blockedDns}" ${REJECT}`;
}

export function lanOut(): string[] {
  return [
    lanDotBlock(),
    `ip daddr ${set([...LAN_NETS_V4, ...LAN_MULTICAST_V4])} accept`,
    `ip6 daddr ${set([...LAN_NETS_V6, ...LAN_MULTICAST_V6])} accept`,
  ];
}

export function lanIn(): string[] {
  return [`ip saddr ${set(LAN_NETS_V4)} accept`, `ip6 saddr ${set(LAN_NETS_V6)} accept`];
}

/**
 * LAN to LAN only (issue 12 item 4): a container or VM on a private bridge may talk to the LAN, never
 * through it to the internet. Matching the source alone let Docker/libvirt guests out in blocking states.
 */
export function lanForward(): string[] {
  return [
    lanDotBlock(),
    `ip saddr ${set(LAN_NETS_V4)} ip daddr ${set([...LAN_NETS_V4, ...LAN_MULTICAST_V4])} accept`,
    `ip6 saddr ${set(LAN_NETS_V6)} ip6 daddr ${set([...LAN_NETS_V6, ...LAN_MULTICAST_V6])} accept`,
  ];
}

/** For nat chains: LAN destinations leave as they are instead of being redirected into a proxy. */
export function lanReturn(): string[] {
  return [`ip daddr ${set([...LAN_NETS_V4, ...LAN_MULTICAST_V4])} return`];
}

export const rejectOut = (): string[] => [`counter name "${COUNTERS.blockedOut}" ${REJECT}`];
export const dropIn = (): string[] => [`counter name "${COUNTERS.blockedIn}" drop`];
export const rejectForward = (): string[] => [`counter name "${COUNTERS.blockedForward}" ${REJECT}`];
