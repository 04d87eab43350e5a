// Fixed facts of the ruleset: the table's name, its counters, and the address ranges "allow LAN" opens.
// The LAN lists are Mullvad's (talpid-types ALLOWED_LAN_NETS and ALLOWED_LAN_MULTICAST_NETS): private and
// link-local ranges only, so a public subnet a DHCP server hands out is never treated as "the LAN".
import { BlockList, isIP } from 'node:net';

export const TABLE_FAMILY = 'inet';
export const TABLE_NAME = 'burrow';

/** Named counters leak tests read: packets the kill switch refused, per direction, and DNS separately. */
export const COUNTERS = {
  blockedOut: 'blocked_out',
  blockedIn: 'blocked_in',
  blockedForward: 'blocked_fwd',
  blockedDns: 'blocked_dns',
} as const;
export type CounterName = (typeof COUNTERS)[keyof typeof COUNTERS];

export const LAN_NETS_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] as const;
export const LAN_NETS_V6 = ['fe80::/10', 'fc00::/7'] as const;
/** Broadcast and multicast scopes that never leave the local network. */
export const LAN_MULTICAST_V4 = ['255.255.255.255/32', '224.0.0.0/24', '239.0.0.0/8'] as const;
export const LAN_MULTICAST_V6 = ['ff01::/16', 'ff02::/16', 'ff03::/16', 'ff04::/16', 'ff05::/16'] as const;

const lanList = new BlockList();
for (const net of [...LAN_NETS_V4, ...LAN_NETS_V6]) {
  const [address = '', prefix = ''] = net.split('/');
  lanList.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** True for an address in the private/link-local LAN ranges (not multicast). */
export function isLanAddress(ip: string): boolean {
  const version = isIP(ip);
  if (version === 0) return false;
  return lanList.check(ip, version === 6 ? 'ipv6' : 'ipv4');
}
