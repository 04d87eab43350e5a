// A provider's obfuscation settings inside a Burrow WireGuard profile: zero or more `[Obfuscation]`
// sections in the same file as `[Interface]` and `[Peer]` (wg-quick itself refuses unknown sections, so
// they are split off here before the WireGuard parser sees the text). Strict like the WireGuard parser:
// unknown types and keys are errors, and the secrets (Shadowsocks password, VLESS id) are kept apart from
// what may be shown or logged.
import { isIP } from 'node:net';
import { SHADOWSOCKS_METHODS, type ShadowsocksMethod } from '../../../contract/netd-obfs.js';

export type ObfuscationType = 'shadowsocks' | 'vless-ws-tls';

export interface ObfuscationServer {
  host: string;
  port: number;
}

export type Obfuscation =
  | { type: 'shadowsocks'; server: ObfuscationServer; method: ShadowsocksMethod }
  | { type: 'vless-ws-tls'; server: ObfuscationServer; path: string; serverName: string; caPem?: string | undefined };

/** Kept apart, index for index with `obfuscations`. */
export type ObfuscationSecret = { password: string } | { id: string };

export interface SplitProfile {
  /** The text without the [Obfuscation] sections (line count kept: blank lines stand in, so line numbers in WireGuard errors stay right). */
  wireguardText: string;
  obfuscations: Obfuscation[];
  secrets: ObfuscationSecret[];
}

export class ObfuscationError extends Error {
  readonly code = 'obfuscation-invalid';
  constructor(readonly line: number, sentence: string) {
    super(`line ${line}: ${sentence}`);
  }
}

export { SHADOWSOCKS_METHODS, type ShadowsocksMethod };

const KEYS: Record<ObfuscationType, readonly string[]> = {
  shadowsocks: ['type', 'server', 'method', 'password'],
  'vless-ws-tls': ['type', 'server', 'id', 'path', 'servername', 'ca'],
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function parseServer(value: string, line: number): ObfuscationServer {
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/i.exec(value);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  const hostOk = host !== undefined && (m?.[1] !== undefined ? isIP(host) === 6 : isIP(host) === 4 || HOST.test(host));
  if (!hostOk || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ObfuscationError(line, 'Server must be host:port, for example "Server = 198.51.100.7:443".');
  }
  return { host, port };
}

interface RawSection {
  line: number;
  values: Map<string, { value: string; line: number }>;
}

function build(section: RawSection): { obfuscation: Obfuscation; secret: ObfuscationSecret } {
  const get = (key: string): string | undefined => section.values.get(key)?.value;
  const lineOf = (key: string): number => section.values.get(key)?.line ?? section.line;
  const need = (key: string, name: string): string => {
    const value = get(key);
    if (value === undefined || value === '') throw new ObfuscationError(section.line, `this [Obfuscation] section has no ${name}.`);
    return value;
  };
  const type = need('type', 'Type (shadowsocks or vless-ws-tls)');
  if (type !== 'shadowsocks' && type !== 'vless-ws-tls') {
    throw new ObfuscationError(lineOf('type'), `Type must be shadowsocks or vless-ws-tls, not "${type.slice(0, 24)}".`);
  }
  for (const [key, { line }] of section.values) {
    if (!KEYS[type].includes(key)) throw new ObfuscationError(line, `${type} takes ${KEYS[type].join(', ')}; this key is not one of them.`);
  }
  const server = parseServer(need('server', 'Server'), lineOf('server'));
  if (type === 'shadowsocks') {
    const method = need('method', 'Method');
    if (!(SHADOWSOCKS_METHODS as readonly string[]).includes(method)) {
      throw new ObfuscationError(lineOf('method'), `Method must be one of ${SHADOWSOCKS_METHODS.join(', ')} (AEAD ciphers only; the stream ciphers are detectable).`);
    }
    const password = need('password', 'Password');
    return { obfuscation: { type, server, method: method as ShadowsocksMethod }, secret: { password } };
  }
  const id = need('id', 'Id (the VLESS user id)');
  if (!UUID.test(id)) throw new ObfuscationError(lineOf('id'), 'Id must be a UUID, as the provider gave it.');
  const path = get('path') ?? '/';
  if (!/^\/[A-Za-z0-9._~/-]{0,100}$/.test(path)) throw new ObfuscationError(lineOf('path'), 'Path must be a URL path such as /ws.');
  const serverName = get('servername') ?? server.host;
  if (!HOST.test(serverName)) throw new ObfuscationError(lineOf('servername'), 'ServerName must be a host name.');
  const ca = get('ca');
  let caPem: string | undefined;
  if (ca !== undefined) {
    caPem = Buffer.from(ca, 'base64').toString('utf8');
    if (!caPem.startsWith('-----BEGIN CERTIFICATE-----')) throw new ObfuscationError(lineOf('ca'), 'CA must be a base64-encoded PEM certificate.');
  }
  return { obfuscation: { type, server, path, serverName, caPem }, secret: { id } };
}

/** Splits `[Obfuscation]` sections off a profile's text and parses them. */
export function splitObfuscation(text: string): SplitProfile {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  const sections: RawSection[] = [];
  let current: RawSection | undefined;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.replace(/^\s*#.*$/, '').trim();
    const header = /^\[([A-Za-z]+)\]$/.exec(trimmed);
    if (header !== null) {
      current = header[1]?.toLowerCase() === 'obfuscation' ? { line, values: new Map() } : undefined;
      if (current !== undefined) sections.push(current);
    }
    if (current === undefined) {
      kept.push(raw);
      return;
    }
    kept.push('');
    if (header !== null || trimmed === '') return;
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(trimmed);
    if (kv === null) throw new ObfuscationError(line, 'expected "Key = value" in [Obfuscation].');
    const key = (kv[1] ?? '').toLowerCase();
    if (current.values.has(key)) throw new ObfuscationError(line, 'this key appears twice in one [Obfuscation] section.');
    current.values.set(key, { value: (kv[2] ?? '').trim(), line });
  });
  const built = sections.map(build);
  return { wireguardText: kept.join('\n'), obfuscations: built.map((b) => b.obfuscation), secrets: built.map((b) => b.secret) };
}

/** What a person may see of an obfuscation: never the password or id. */
export function describeObfuscation(o: Obfuscation): string {
  const server = `${o.server.host.includes(':') ? `[${o.server.host}]` : o.server.host}:${o.server.port}`;
  return o.type === 'shadowsocks' ? `Shadowsocks (${o.method}) via ${server}` : `VLESS over WebSocket+TLS (${o.serverName}${o.path}) via ${server}`;
}
