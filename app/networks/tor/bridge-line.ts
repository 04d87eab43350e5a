// Bridge lines as people paste them (from bridges.torproject.org, Tor Browser, a friend): validated token by
// token before any of it can reach a torrc, each problem said in a sentence that names the part that is
// wrong. Only the transports Burrow can run are accepted.
import { isIPv4, isIPv6 } from 'node:net';

export const TRANSPORTS = ['obfs4', 'snowflake', 'webtunnel'] as const;
export type PluggableTransport = (typeof TRANSPORTS)[number];
export type BridgeTransport = PluggableTransport | 'vanilla';

export interface BridgeLine {
  transport: BridgeTransport;
  /** IP:port as tor wants it (IPv6 in brackets). */
  address: string;
  /** 40 upper-case hex digits, when given. */
  fingerprint: string | undefined;
  /** key=value arguments in their original order. */
  params: ReadonlyArray<readonly [string, string]>;
  /** The normalized line, without the `Bridge` keyword: what goes after `Bridge ` in a torrc. */
  text: string;
}

/** A bridge line problem; the profile parser adds the line number. */
export class BridgeLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeLineError';
  }
}

interface TransportRules {
  /** Arguments the line must carry. */
  required: readonly string[];
  /** Every argument the transport understands (required ones included). */
  allowed: readonly string[];
  fingerprintRequired: boolean;
}

const RULES: Record<PluggableTransport, TransportRules> = {
  obfs4: { required: ['cert', 'iat-mode'], allowed: ['cert', 'iat-mode'], fingerprintRequired: true },
  snowflake: {
    required: ['url'],
    allowed: ['url', 'front', 'fronts', 'ice', 'utls-imitate', 'utls-nosni', 'fingerprint', 'ampcache', 'sqsqueue', 'sqscreds', 'max'],
    fingerprintRequired: true,
  },
  webtunnel: { required: ['url'], allowed: ['url', 'ver', 'servername', 'utls'], fingerprintRequired: true },
};

const FINGERPRINT = /^[0-9A-Fa-f]{40}$/;
/** obfs4's cert: 52 bytes (node id + public key) in unpadded base64 = 70 characters. */
const OBFS4_CERT = /^[A-Za-z0-9+/]{70}$/;
/** Printable ASCII without space, quote, backslash or '#': nothing a torrc would read differently. */
const SAFE_VALUE = /^[\x21\x24-\x5b\x5d-\x7e]+$/;
const PARAM_KEY = /^[a-z][a-z0-9_-]{0,31}$/;

function isTransport(word: string): word is PluggableTransport {
  return (TRANSPORTS as readonly string[]).includes(word);
}

/** `IP:port` or `[IPv6]:port`; the error says which part is wrong. */
export function parseAddress(token: string): string {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(token);
  if (match === null) {
    throw new BridgeLineError(`"${shorten(token)}" is not an address: a bridge is given as IP:port (IPv6 as [address]:port).`);
  }
  const [, v6, v4, portText] = match;
  const port = Number(portText);
  if (port < 1 || port > 65_535) throw new BridgeLineError(`the port ${portText} is out of range (1–65535).`);
  if (v6 !== undefined) {
    if (!isIPv6(v6) || v6.includes('%')) throw new BridgeLineError(`"${shorten(v6)}" is not an IPv6 address.`);
    return `[${v6}]:${port}`;
  }
  if (!isIPv4(v4 ?? '')) {
    const what = /[a-z]/i.test(v4 ?? '') ? 'a host name; bridges are given by IP address' : 'not an IPv4 address';
    throw new BridgeLineError(`"${shorten(v4 ?? '')}" is ${what}.`);
  }
  return `${v4}:${port}`;
}

function checkFingerprint(token: string, what: string): string {
  if (FINGERPRINT.test(token)) return token.toUpperCase();
  const hex = /^[0-9A-Fa-f]+$/.test(token);
  throw new BridgeLineError(
    hex
      ? `${what} must be 40 hexadecimal digits, not ${token.length}.`
      : `${what} must be 40 hexadecimal digits; "${shorten(token)}" is not.`,
  );
}

function checkParam(transport: PluggableTransport, key: string, value: string): void {
  if (key === 'cert' && !OBFS4_CERT.test(value)) {
    throw new BridgeLineError(`cert= must be the bridge's 70-character obfs4 certificate (base64); this one has ${value.length} characters or others than base64.`);
  }
  if (key === 'iat-mode' && !/^[012]$/.test(value)) throw new BridgeLineError(`iat-mode= must be 0, 1 or 2, not "${shorten(value)}".`);
  if (key === 'fingerprint') checkFingerprint(value, 'fingerprint=');
  if (key === 'url') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new BridgeLineError(`url= must be a URL, not "${shorten(value)}".`);
    }
    if (url.protocol !== 'https:' && !(transport === 'webtunnel' && url.protocol === 'http:')) {
      throw new BridgeLineError(`url= must be an https:// address for ${transport}.`);
    }
  }
  if (key === 'ice') {
    for (const server of value.split(',')) {
      if (!/^stuns?:[A-Za-z0-9.:[\]-]+$/.test(server)) throw new BridgeLineError(`ice= takes stun: servers separated by commas; "${shorten(server)}" is not one.`);
    }
  }
}

/**
 * Parses one bridge line: `[Bridge] [transport] IP:port [fingerprint] [key=value …]`. Throws BridgeLineError
 * with a sentence naming what is wrong (never the whole line, which may be a private bridge).
 */
export function parseBridgeLine(input: string): BridgeLine {
  const tokens = input.trim().split(/\s+/).filter((token) => token.length > 0);
  if (tokens[0]?.toLowerCase() === 'bridge') tokens.shift();
  const first = tokens.shift();
  if (first === undefined) throw new BridgeLineError('the bridge line is empty.');
  let transport: BridgeTransport;
  let addressToken: string | undefined;
  if (isTransport(first)) {
    transport = first;
    addressToken = tokens.shift();
    if (addressToken === undefined) throw new BridgeLineError(`an ${first} bridge line needs the bridge's IP:port after "${first}".`);
  } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(first) && !first.includes(':')) {
    throw new BridgeLineError(
      `"${shorten(first)}" is not a transport Burrow can use: it knows ${TRANSPORTS.join(', ')} and plain bridges (IP:port fingerprint).`,
    );
  } else {
    transport = 'vanilla';
    addressToken = first;
  }
  const address = parseAddress(addressToken);

  let fingerprint: string | undefined;
  if (tokens[0] !== undefined && !tokens[0].includes('=')) fingerprint = checkFingerprint(tokens.shift() ?? '', 'the fingerprint');

  const params: Array<[string, string]> = [];
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0) throw new BridgeLineError(`"${shorten(token)}" is neither a fingerprint (which comes right after the address) nor key=value.`);
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (transport === 'vanilla') throw new BridgeLineError(`a plain bridge takes no arguments such as ${shorten(key)}=; name its transport (e.g. obfs4) first.`);
    if (!PARAM_KEY.test(key) || !RULES[transport].allowed.includes(key)) {
      throw new BridgeLineError(`${transport} does not take ${shorten(key)}=; it takes ${RULES[transport].allowed.map((k) => `${k}=`).join(', ')}.`);
    }
    if (params.some(([seen]) => seen === key)) throw new BridgeLineError(`${key}= is given twice.`);
    if (value.length === 0 || value.length > 1024 || !SAFE_VALUE.test(value)) {
      throw new BridgeLineError(`${key}= needs a value without spaces, quotes, backslashes or '#' (at most 1024 characters).`);
    }
    checkParam(transport, key, value);
    params.push([key, value]);
  }

  if (transport !== 'vanilla') {
    const rules = RULES[transport];
    if (rules.fingerprintRequired && fingerprint === undefined) {
      throw new BridgeLineError(`an ${transport} bridge line needs the bridge's fingerprint (40 hexadecimal digits) after the address.`);
    }
    const missing = rules.required.filter((key) => !params.some(([seen]) => seen === key));
    if (missing.length > 0) throw new BridgeLineError(`an ${transport} bridge line needs ${missing.map((k) => `${k}=`).join(' and ')}.`);
  }

  const words = [...(transport === 'vanilla' ? [] : [transport]), address, ...(fingerprint === undefined ? [] : [fingerprint]), ...params.map(([k, v]) => `${k}=${v}`)];
  return { transport, address, fingerprint, params, text: words.join(' ') };
}

/** Whether a line of a profile is a bare bridge line (no `Bridge` keyword), as bridges.torproject.org gives them. */
export function looksLikeBareBridge(line: string): boolean {
  const first = line.trim().split(/\s+/)[0] ?? '';
  return isTransport(first) || /^(?:\d{1,3}\.){3}\d{1,3}:\d+$/.test(first) || /^\[[0-9A-Fa-f:.]+\]:\d+$/.test(first);
}

/** Error messages quote at most this much of what the person wrote. */
function shorten(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are shown as '?', never echoed raw
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 37)}...` : clean;
}
