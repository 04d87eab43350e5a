// STAND-IN support: the description of the stand-in mixnet that the stand-in client reads in place of the
// topology the real client fetches from nym-api (NYM_STANDIN_NETWORK names the file), and the little
// config.toml reader/writer the client uses for its config file.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface StandinGateway {
  /** Identity key (base58), what `--gateway` takes. */
  id: string;
  /** The client listener, as init reports it (`ws://ip:port`). */
  listener: string;
}

export interface StandinExit {
  /** The network requester's Nym address, what `--provider` takes: identity.encryption@gateway. */
  address: string;
  /** Host names (exact or `*.suffix`), IPv4 addresses, or `*` for anything. */
  allow: string[];
}

export interface StandinNetwork {
  version: 1;
  clientVersion: string;
  gateways: StandinGateway[];
  exits: StandinExit[];
  /** The source address the exit dials from (what a destination sees). */
  exitIp: string;
  /** Test switch: the client's SOCKS listener fails to bind, as when the port is taken. */
  failBind?: boolean;
}

export function readNetwork(path = process.env.NYM_STANDIN_NETWORK): StandinNetwork {
  if (path === undefined || path === '') throw new Error('NYM_STANDIN_NETWORK is not set: the stand-in does not know its lab mixnet');
  return JSON.parse(readFileSync(path, 'utf8')) as StandinNetwork;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A random base58 string of a 32-byte key's usual length. */
export function base58Key(): string {
  return [...randomBytes(44)].map((byte) => BASE58[byte % 58]).join('');
}

export const RECIPIENT = /^([1-9A-HJ-NP-Za-km-z]{32,44})\.([1-9A-HJ-NP-Za-km-z]{32,44})@([1-9A-HJ-NP-Za-km-z]{32,44})$/;

export function listenerAddress(listener: string): { host: string; port: number } {
  const url = new URL(listener);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'wss:' ? 443 : 80)) };
}

export function allowed(exit: StandinExit, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return exit.allow.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === '*') return true;
    if (p.startsWith('*.')) return name.endsWith(p.slice(1)) || name === p.slice(2);
    return name === p;
  });
}

/** `[section]` and `key = value` lines; values keep TOML's quotes stripped, arrays stay text. */
export function readToml(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header !== null) {
      section = (header[1] ?? '').trim();
      out[section] ??= {};
      continue;
    }
    const kv = /^([A-Za-z0-9_.]+)\s*=\s*(.*)$/.exec(line);
    if (kv === null) continue;
    const value = (kv[2] ?? '').trim().replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
    (out[section] ??= {})[kv[1] ?? ''] = value;
  }
  return out;
}
