// Value syntax of wg-quick settings: addresses with prefixes, endpoints, ports and small integers.
// Each returns either the parsed value or a problem phrased for a person; callers add the line number.
import { isIP } from 'node:net';
import type { WireGuardEndpoint } from './types.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

/** Comma-separated lists; wg-quick tolerates spaces and a trailing comma. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** An IP without a zone index (`%eth0`): zones name local interfaces and mean nothing in an imported file. */
export function ipVersion(text: string): 4 | 6 | 0 {
  if (text.includes('%')) return 0;
  const version = isIP(text);
  return version === 4 || version === 6 ? version : 0;
}

/** `10.0.0.2/32`, `fc00::2/128`, or a bare address (wg-quick then uses /32 or /128). */
export function parseCidr(text: string): Parsed<string> {
  const slash = text.indexOf('/');
  const address = (slash < 0 ? text : text.slice(0, slash)).toLowerCase();
  const version = ipVersion(address);
  if (version === 0) return bad(`"${text}" is not an IP address (for example 10.64.0.2/32 or fc00::2/128)`);
  const max = version === 4 ? 32 : 128;
  if (slash < 0) return ok(`${address}/${max}`);
  const prefixText = text.slice(slash + 1);
  const prefix = /^(0|[1-9]\d{0,2})$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) {
    return bad(`"${text}" has an invalid prefix length: an IPv${version} prefix is a number from 0 to ${max}`);
  }
  return ok(`${address}/${prefix}`);
}

const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A DNS name as a resolver or search list accepts it; an all-numeric name must be a real IPv4 address. */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((label) => HOST_LABEL.test(label))) return false;
  return !labels.every((label) => /^\d+$/.test(label));
}

export function parsePort(text: string, allowZero: boolean): Parsed<number> {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  const min = allowZero ? 0 : 1;
  if (!(port >= min && port <= 65_535)) return bad(`"${text}" is not a port: use a number from ${min} to 65535`);
  return ok(port);
}

/** `host:port`, `1.2.3.4:port` or `[2001:db8::1]:port`; host names are resolved later, at connect time. */
export function parseEndpoint(text: string): Parsed<WireGuardEndpoint> {
  const example = 'for example 198.51.100.7:51820, [2001:db8::7]:51820 or vpn.example.com:51820';
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const match = /^\[([^\]]*)\]:(.*)$/.exec(text);
    if (match === null) return bad(`"${text}" is not an endpoint: write an IPv6 endpoint as [address]:port, ${example}`);
    host = match[1] ?? '';
    portText = match[2] ?? '';
    if (ipVersion(host) !== 6) return bad(`"${host}" in brackets is not an IPv6 address (${example})`);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return bad(`"${text}" has no port: add one, ${example}`);
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) {
      return bad(`"${text}" looks like an IPv6 address without brackets: write it as [address]:port (${example})`);
    }
    if (ipVersion(host) !== 4 && !isHostName(host)) {
      return bad(`"${host}" is neither an IP address nor a valid host name (${example})`);
    }
  }
  const port = parsePort(portText, false);
  if (!port.ok) return bad(`"${text}" has an invalid port: use a number from 1 to 65535 after the colon`);
  const version = ipVersion(host);
  const hostKind = version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : 'name';
  return ok({ host: version === 6 ? host.toLowerCase() : host, port: port.value, hostKind });
}

/** The endpoint as wg shows it: IPv6 in brackets. */
export function formatEndpoint(endpoint: WireGuardEndpoint): string {
  return endpoint.hostKind === 'ipv6' ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/** Decimal, or hex with 0x, as `wg` reads fwmarks (strtoul base 0, without the octal trap). */
export function parseUint32(text: string): Parsed<number> {
  const value = /^0x[0-9a-f]{1,8}$/i.test(text) ? Number.parseInt(text.slice(2), 16) : /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0 && value <= 0xffff_ffff)) return bad(`"${text}" is not a number from 0 to 4294967295`);
  return ok(value);
}

export function parseIntInRange(text: string, min: number, max: number): Parsed<number> {
  const value = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) return bad(`"${text}" is not a whole number from ${min} to ${max}`);
  return ok(value);
}
