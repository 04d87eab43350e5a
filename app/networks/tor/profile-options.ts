// The torrc options a Tor profile may carry: an allowlist, each with its own value check, and the
// `DirAuthority` line of a private Tor network. Anything else is refused: a profile is data from a file
// someone sent, and a torrc line can run programs (ClientTransportPlugin exec), write files or open ports.
import { isIPv4, isIPv6 } from 'node:net';

export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

type Check = (value: string) => string;

const bool: Check = (value) => {
  if (value !== '0' && value !== '1') throw new OptionError('takes 0 or 1.');
  return value;
};

const boolOrAuto: Check = (value) => {
  if (!['0', '1', 'auto'].includes(value)) throw new OptionError('takes 0, 1 or auto.');
  return value;
};

const integer =
  (min: number, max: number): Check =>
  (value) => {
    if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) throw new OptionError(`takes a whole number from ${min} to ${max}.`);
    return String(Number(value));
  };

/** A fraction 0–0.95 (what tor accepts for PathsNeededToBuildCircuits) or -1 for tor's own choice. */
const fraction: Check = (value) => {
  if (value === '-1') return value;
  if (!/^(0(\.\d{1,3})?|\.\d{1,3})$/.test(value) || Number(value) > 0.95) throw new OptionError('takes a fraction from 0 to 0.95, or -1.');
  return value;
};

/** Relay fingerprints ($HEX), nicknames, {country codes} or IPv4 ranges, separated by commas. */
const nodeList: Check = (value) => {
  const items = value.split(',').map((item) => item.trim());
  if (items.length > 64) throw new OptionError('takes at most 64 relays or countries.');
  for (const item of items) {
    const ok =
      /^\$?[0-9A-Fa-f]{40}$/.test(item) ||
      /^[A-Za-z0-9]{1,19}$/.test(item) ||
      /^\{[A-Za-z?]{2}\}$/.test(item) ||
      /^(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?$/.test(item);
    if (!ok) throw new OptionError(`takes fingerprints, nicknames, {country codes} or IPv4 ranges separated by commas; "${item.slice(0, 40)}" is none of those.`);
  }
  return items.join(',');
};

/** ReachableAddresses: `[accept|reject] address[:port]` entries, e.g. `*:80,*:443` for a strict firewall. */
const addressPolicy: Check = (value) => {
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    if (!/^(?:(?:accept|reject)6? )?(?:\*[46]?|(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?|\[[0-9A-Fa-f:]+\](?:\/\d{1,3})?)(?::(?:\*|\d{1,5}(?:-\d{1,5})?))?$/.test(item)) {
      throw new OptionError(`takes entries such as *:443 or accept 10.0.0.0/8:*, separated by commas; "${item.slice(0, 40)}" is not one.`);
    }
  }
  return items.join(',');
};

/** Options allowed in a profile, by their canonical torrc names (matched case-insensitively, as tor does). */
export const ALLOWED_OPTIONS: Readonly<Record<string, Check>> = {
  TestingTorNetwork: bool,
  PathsNeededToBuildCircuits: fraction,
  ClientUseIPv4: bool,
  ClientUseIPv6: bool,
  ClientPreferIPv6ORPort: boolOrAuto,
  ReachableAddresses: addressPolicy,
  EntryNodes: nodeList,
  MiddleNodes: nodeList,
  ExitNodes: nodeList,
  ExcludeNodes: nodeList,
  ExcludeExitNodes: nodeList,
  StrictNodes: bool,
  NumEntryGuards: integer(1, 10),
  ConnectionPadding: boolOrAuto,
  ReducedConnectionPadding: bool,
  CircuitBuildTimeout: integer(10, 600),
  LearnCircuitBuildTimeout: bool,
};

export function canonicalOption(key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.keys(ALLOWED_OPTIONS).find((name) => name.toLowerCase() === lower);
}

/** Checks one allowlisted option's value; returns the value as it will be written. */
export function checkOption(name: string, value: string): string {
  const check = ALLOWED_OPTIONS[name];
  if (check === undefined) throw new OptionError('is not an option a Tor profile may set.');
  return check(value.trim());
}

const DIR_FLAGS = /^(?:no-v2|v3ident=[0-9A-Fa-f]{40}|orport=\d{1,5}|ipv6=\[[0-9A-Fa-f:]+\]:\d{1,5}|bridge|hs|no-hs|weight=\d{1,6})$/;

/**
 * A `DirAuthority` value: `[nickname] [flags] IPv4:dirport fingerprint` (the fingerprint may be written in
 * groups of four, as tor's own list does). Returns the normalized value.
 */
export function parseDirAuthority(value: string): string {
  const tokens = value.trim().split(/\s+/).filter((token) => token.length > 0);
  const addressAt = tokens.findIndex((token) => /^[^=[]+:\d{1,5}$/.test(token));
  if (addressAt < 0) throw new OptionError('needs the authority\'s IPv4:dirport, e.g. "DirAuthority auth1 orport=9001 no-v2 v3ident=HEX 10.0.4.11:9030 FINGERPRINT".');
  const head = tokens.slice(0, addressAt);
  const [host, portText] = (tokens[addressAt] ?? '').split(':');
  if (!isIPv4(host ?? '')) throw new OptionError(`"${(host ?? '').slice(0, 40)}" is not an IPv4 address.`);
  const port = Number(portText);
  if (port < 1 || port > 65_535) throw new OptionError(`the directory port ${portText} is out of range (1–65535).`);
  const fingerprint = tokens.slice(addressAt + 1).join('');
  if (!/^[0-9A-Fa-f]{40}$/.test(fingerprint)) throw new OptionError('needs the authority\'s fingerprint (40 hexadecimal digits) after its address.');
  let nickname: string | undefined;
  const flags: string[] = [];
  head.forEach((token, index) => {
    if (index === 0 && /^[A-Za-z0-9]{1,19}$/.test(token) && !DIR_FLAGS.test(token)) nickname = token;
    else if (DIR_FLAGS.test(token)) {
      if (token.startsWith('ipv6=') && !isIPv6(token.slice(6, token.lastIndexOf(']')))) throw new OptionError(`"${token.slice(0, 60)}" is not an IPv6 address.`);
      flags.push(token.startsWith('v3ident=') ? `v3ident=${token.slice(8).toUpperCase()}` : token);
    } else throw new OptionError(`"${token.slice(0, 40)}" is not a nickname or a flag tor knows (orport=, v3ident=, no-v2, ipv6=, bridge, hs, no-hs, weight=).`);
  });
  if (!flags.some((flag) => flag.startsWith('v3ident=')) && !flags.includes('bridge')) {
    throw new OptionError('needs v3ident= (the authority\'s v3 identity) unless it is a bridge authority.');
  }
  return [...(nickname === undefined ? [] : [nickname]), ...flags, `${host}:${port}`, fingerprint.toUpperCase()].join(' ');
}
