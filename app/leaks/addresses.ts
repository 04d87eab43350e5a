// Addresses as the leak tests compare them: one canonical spelling per address (an IPv6 address has many),
// and the machine's own addresses outside the tunnel — the ones no site, resolver or WebRTC peer may see.
import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** Lower-case, compressed IPv6; IPv4-mapped IPv6 becomes IPv4; anything that is not an IP is returned trimmed. */
export function canonicalIp(raw: string): string {
  let ip = raw.trim().replace(/^\[|\]$/g, '');
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  // The WHATWG URL parser serialises IPv6 in the RFC 5952 form.
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

export function sameIp(a: string, b: string): boolean {
  return canonicalIp(a) === canonicalIp(b);
}

export function ipSet(list: readonly (string | undefined)[]): Set<string> {
  return new Set(list.filter((ip): ip is string => ip !== undefined && ip !== '').map(canonicalIp));
}

export function ipFamilyOf(ip: string): 'IPv4' | 'IPv6' | undefined {
  const v = isIP(canonicalIp(ip));
  return v === 4 ? 'IPv4' : v === 6 ? 'IPv6' : undefined;
}

/** Private, link-local and unique-local ranges: addresses that name a place on someone's LAN. */
export function isPrivateAddress(raw: string): boolean {
  const ip = canonicalIp(raw);
  const v = isIP(ip);
  if (v === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (v === 6) return /^f[cd][0-9a-f]{2}:/.test(ip) || /^fe[89ab][0-9a-f]:/.test(ip);
  return false;
}

export function isLinkLocal(raw: string): boolean {
  const ip = canonicalIp(raw);
  return /^fe[89ab][0-9a-f]:/.test(ip) || ip.startsWith('169.254.');
}

export interface LocalAddresses {
  /** Addresses on interfaces other than loopback and the tunnel's. */
  v4: string[];
  v6: string[];
  /** An IPv6 address this machine could reach the internet from (not loopback, not link-local). */
  hasIpv6: boolean;
}

export interface LocalAddressFilter {
  tunnelInterface?: string | undefined;
  tunnelAddresses?: readonly string[] | undefined;
}

/** Pure: the machine's own addresses from an os.networkInterfaces() snapshot, the tunnel's left out. */
export function ownAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, filter: LocalAddressFilter = {}): LocalAddresses {
  const tunnel = ipSet(filter.tunnelAddresses ?? []);
  const v4: string[] = [];
  const v6: string[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    if (name === filter.tunnelInterface) continue;
    for (const info of infos ?? []) {
      const ip = canonicalIp(info.address);
      if (info.internal || tunnel.has(ip)) continue;
      (info.family === 'IPv6' ? v6 : v4).push(ip);
    }
  }
  return { v4, v6, hasIpv6: v6.some((ip) => !isLinkLocal(ip)) };
}

export function localAddresses(filter: LocalAddressFilter = {}): LocalAddresses {
  return ownAddresses(networkInterfaces(), filter);
}
