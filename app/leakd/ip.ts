// Address helpers shared by leakd's servers: normalising what sockets report, turning text into the
// bytes STUN needs, and the key rate limits count by. No DNS, no lookups: only literal addresses.
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 'IPv4' | 'IPv6';

/** A dual-stack socket reports IPv4 callers as `::ffff:a.b.c.d`; people (and leak tests) expect `a.b.c.d`. */
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] !== undefined) return mapped[1];
  // A link-local address may carry its zone (`fe80::1%eth0`): the zone is local detail, not identity.
  const zone = ip.indexOf('%');
  const bare = zone >= 0 ? ip.slice(0, zone) : ip;
  return isIPv6(bare) ? canonicalIpv6(bare) : bare;
}

/** RFC 5952 text (lower case, longest zero run compressed), so two spellings of one address compare equal. */
export function canonicalIpv6(ip: string): string {
  // The WHATWG URL parser already implements RFC 5952 serialisation.
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

export function ipFamily(ip: string): IpFamily | undefined {
  if (isIPv4(ip)) return 'IPv4';
  if (isIPv6(ip)) return 'IPv6';
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 tails included). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1] !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = tail[1].split('.').map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16));
}

/** Network-order bytes of a literal address; throws on anything that is not one. */
export function ipToBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!isIPv6(ip)) throw new Error(`not an IP address: ${ip}`);
  const out = Buffer.alloc(16);
  ipv6Groups(ip).forEach((group, i) => out.writeUInt16BE(group, i * 2));
  return out;
}

/**
 * The key rate limits count by. One IPv6 host usually owns a whole /64, so counting single IPv6 addresses
 * would let one caller multiply its budget by 2^64.
 */
export function rateKey(ip: string): string {
  const clean = normaliseIp(ip);
  if (!isIPv6(clean)) return clean;
  return `${ipv6Groups(clean).slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

export interface HostPort {
  host: string;
  port: number;
}

/** `10.0.80.80:80`, `[fd00::1]:53`: a literal address and a port, as the command line takes them. */
export function parseHostPort(text: string): HostPort {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  const host = match?.[1];
  const port = Number(match?.[2]);
  if (host === undefined || ipFamily(host) === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`expected ADDRESS:PORT or [IPv6]:PORT with a literal address, got "${text}"`);
  }
  return { host, port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}
