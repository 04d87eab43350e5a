// wg-quick `.conf` → typed configuration with the secrets kept apart. Strict where wg-quick is loose: unknown
// keys and sections are errors, and the four script hooks are refused because wg-quick runs them as root.
import { WG_LIMITS } from '../../../contract/netd.js';
import { ConfigErrors } from './errors.js';
import { decodeKey, isAllZero, publicKeyFromPrivate } from './keys.js';
import { splitSections, type Section, type Setting } from './lines.js';
import type { ParsedWireGuardConfig, WireGuardInterface, WireGuardPeer, WireGuardSecrets } from './types.js';
import { ipVersion, isHostName, parseCidr, parseEndpoint, parseIntInRange, parsePort, parseUint32, splitList, type Parsed } from './values.js';

/** Canonical spelling of every key, by lower-cased key, per section. */
const INTERFACE_KEYS: Record<string, string> = {
  privatekey: 'PrivateKey',
  address: 'Address',
  dns: 'DNS',
  mtu: 'MTU',
  listenport: 'ListenPort',
  table: 'Table',
  fwmark: 'FwMark',
  saveconfig: 'SaveConfig',
};
const PEER_KEYS: Record<string, string> = {
  publickey: 'PublicKey',
  presharedkey: 'PresharedKey',
  endpoint: 'Endpoint',
  allowedips: 'AllowedIPs',
  persistentkeepalive: 'PersistentKeepalive',
};
/** wg-quick accumulates these when repeated; every other key may appear once per section. */
const REPEATABLE = new Set(['address', 'dns', 'allowedips']);
const SCRIPT_KEYS: Record<string, string> = { preup: 'PreUp', postup: 'PostUp', predown: 'PreDown', postdown: 'PostDown' };
const ENDPOINT_EXAMPLE = 'Endpoint = 198.51.100.7:51820';

type Collected = Map<string, Setting[]>;

export interface ParseOptions {
  /** Shown in error evidence only. */
  fileName?: string;
}

export function parseWireGuardConfig(text: string, options: ParseOptions = {}): ParsedWireGuardConfig {
  const errors = new ConfigErrors(text, options.fileName);
  const sections = splitSections(text, errors);
  const interfaces = sections.filter((section) => section.name === 'Interface');
  const peerSections = sections.filter((section) => section.name === 'Peer');
  const first = interfaces[0];
  if (first === undefined) {
    return errors.fail(sections[0]?.line ?? 1, 'there is no [Interface] section. A WireGuard configuration starts with [Interface] (PrivateKey, Address) followed by a [Peer].');
  }
  const second = interfaces[1];
  if (second !== undefined) {
    errors.fail(second.line, `a second [Interface] section (the first is on line ${first.line}); a configuration has exactly one.`);
  }
  if (peerSections.length === 0) {
    errors.fail(lastLine(text), 'there is no [Peer] section. Add the [Peer] your provider gave you (PublicKey, Endpoint, AllowedIPs).');
  }
  const tooMany = peerSections[WG_LIMITS.peers];
  if (tooMany !== undefined) {
    errors.fail(tooMany.line, `more than ${WG_LIMITS.peers} [Peer] sections. Burrow's kill switch can allow at most ${WG_LIMITS.peers} servers for one tunnel; split the file into several profiles.`);
  }

  const { iface, privateKey } = parseInterface(first, errors);
  const secrets: WireGuardSecrets = { privateKey, presharedKeys: {} };
  const peers: WireGuardPeer[] = [];
  const seen = new Map<string, number>();
  for (const section of peerSections) {
    const { peer, presharedKey, keyLine } = parsePeer(section, errors);
    const earlier = seen.get(peer.publicKey);
    if (earlier !== undefined) {
      errors.fail(keyLine, `this PublicKey is already used by the [Peer] on line ${earlier}; each peer needs its own key.`);
    }
    if (peer.publicKey === iface.publicKey) {
      errors.fail(keyLine, 'this peer PublicKey is the public key of your own PrivateKey. Use the server\'s public key here.');
    }
    seen.set(peer.publicKey, section.line);
    if (presharedKey !== undefined) secrets.presharedKeys[peer.publicKey] = presharedKey;
    peers.push(peer);
  }
  return { config: { interface: iface, peers }, secrets };
}

function parseInterface(section: Section, errors: ConfigErrors): { iface: WireGuardInterface; privateKey: string } {
  const settings = collect(section, INTERFACE_KEYS, PEER_KEYS, errors);
  const privateKeySetting = required(settings, 'privatekey', section, errors, 'Add the PrivateKey line your provider gave you (or one from `wg genkey`).');
  const privateKeyCheck = decodeKey(privateKeySetting.value);
  if (!privateKeyCheck.ok) errors.fail(privateKeySetting.line, `PrivateKey is not a valid key: ${privateKeyCheck.problem}.`);
  if (isAllZero(privateKeyCheck.bytes)) errors.fail(privateKeySetting.line, 'PrivateKey is all zeros, which WireGuard treats as "no key". Use the key your provider gave you.');

  const addressSettings = settings.get('address') ?? [];
  if (addressSettings.length === 0) required(settings, 'address', section, errors, 'Add the tunnel address your provider gave you, for example Address = 10.64.0.2/32.');
  const addresses = listValues(addressSettings, 'Address', errors, parseCidr);
  atMost(addresses, WG_LIMITS.addresses, addressSettings, errors, (count) =>
    `Address lists ${count} addresses; Burrow's kill switch protects at most ${WG_LIMITS.addresses} tunnel addresses, so this tunnel could never be brought up safely. Keep the addresses your provider needs (usually one IPv4 and one IPv6).`,
  );
  const dnsServers: string[] = [];
  const dnsSearch: string[] = [];
  for (const setting of settings.get('dns') ?? []) {
    for (const item of splitList(setting.value)) {
      if (ipVersion(item) !== 0) dnsServers.push(item.toLowerCase());
      else if (isHostName(item)) dnsSearch.push(item);
      else errors.fail(setting.line, `DNS entry "${item}" is neither an IP address nor a search domain.`);
    }
  }

  const iface: WireGuardInterface = {
    publicKey: publicKeyFromPrivate(privateKeyCheck.bytes),
    addresses,
    dnsServers,
    dnsSearch,
  };
  const mtu = single(settings, 'mtu', 'MTU', errors, (text) => parseIntInRange(text, 576, 65_535));
  if (mtu !== undefined) {
    if (mtu.value < 1280 && addresses.some((address) => address.includes(':'))) {
      errors.fail(mtu.line, `MTU ${mtu.value} is too small for the IPv6 address in Address: IPv6 needs at least 1280.`);
    }
    iface.mtu = mtu.value;
  }
  const listenPort = single(settings, 'listenport', 'ListenPort', errors, (text) => parsePort(text, true));
  if (listenPort !== undefined) iface.listenPort = listenPort.value;
  const table = single(settings, 'table', 'Table', errors, parseTable);
  if (table !== undefined) iface.table = table.value;
  const fwmark = single(settings, 'fwmark', 'FwMark', errors, (text) => (text.toLowerCase() === 'off' ? { ok: true, value: 0 } : parseUint32(text)));
  if (fwmark !== undefined) iface.fwmark = fwmark.value;
  // SaveConfig asks wg-quick to write the running state back into the file; Burrow never writes imported
  // files, so the setting is checked for syntax and otherwise has no effect.
  single(settings, 'saveconfig', 'SaveConfig', errors, parseBoolean);
  return { iface, privateKey: privateKeySetting.value };
}

function parsePeer(section: Section, errors: ConfigErrors): { peer: WireGuardPeer; presharedKey: string | undefined; keyLine: number } {
  const settings = collect(section, PEER_KEYS, INTERFACE_KEYS, errors);
  const publicKey = required(settings, 'publickey', section, errors, "Add the server's PublicKey.");
  const publicCheck = decodeKey(publicKey.value);
  if (!publicCheck.ok) errors.fail(publicKey.line, `PublicKey is not a valid key: ${publicCheck.problem}.`);

  const endpointSetting = required(settings, 'endpoint', section, errors, `Burrow connects out to the server, so each peer needs its address and port, for example ${ENDPOINT_EXAMPLE}.`);
  const endpoint = parseEndpoint(endpointSetting.value);
  if (!endpoint.ok) errors.fail(endpointSetting.line, `Endpoint ${endpoint.problem}.`);

  const allowedSettings = settings.get('allowedips') ?? [];
  if (allowedSettings.length === 0) required(settings, 'allowedips', section, errors, 'Add the addresses to send through this peer, for example AllowedIPs = 0.0.0.0/0, ::/0 for everything.');
  const allowedIps = listValues(allowedSettings, 'AllowedIPs', errors, parseCidr);
  atMost(allowedIps, WG_LIMITS.allowedIpsPerPeer, allowedSettings, errors, (count) =>
    `AllowedIPs lists ${count} ranges; a peer can have at most ${WG_LIMITS.allowedIpsPerPeer}. Merge them into wider ranges (0.0.0.0/0, ::/0 for everything).`,
  );

  const peer: WireGuardPeer = { publicKey: publicKey.value, hasPresharedKey: false, endpoint: endpoint.value, allowedIps };
  const keepalive = single(settings, 'persistentkeepalive', 'PersistentKeepalive', errors, (text) =>
    text.toLowerCase() === 'off' ? { ok: true, value: 0 } : parseIntInRange(text, 0, 65_535),
  );
  if (keepalive !== undefined && keepalive.value > 0) peer.persistentKeepalive = keepalive.value;

  let presharedKey: string | undefined;
  const psk = single(settings, 'presharedkey', 'PresharedKey', errors, (text) => {
    const check = decodeKey(text);
    return check.ok ? { ok: true, value: text } : { ok: false, problem: `is not a valid key: ${check.problem}` };
  });
  if (psk !== undefined) {
    presharedKey = psk.value;
    peer.hasPresharedKey = true;
  }
  return { peer, presharedKey, keyLine: publicKey.line };
}

/** Group a section's settings by key, refusing scripts, unknown keys, keys of the other section and repeats. */
function collect(section: Section, allowed: Record<string, string>, other: Record<string, string>, errors: ConfigErrors): Collected {
  const result: Collected = new Map();
  for (const setting of section.settings) {
    const key = setting.key.toLowerCase();
    const script = SCRIPT_KEYS[key];
    if (script !== undefined) {
      errors.fail(setting.line, `${script} is refused: wg-quick would run this command as root, and Burrow never runs commands from an imported file. Remove the PreUp, PostUp, PreDown and PostDown lines and import the file again.`);
    }
    const canonical = allowed[key];
    if (canonical === undefined) {
      const elsewhere = other[key];
      const otherName = section.name === 'Interface' ? 'Peer' : 'Interface';
      if (elsewhere !== undefined) errors.fail(setting.line, `${elsewhere} belongs in the [${otherName}] section, not in [${section.name}].`);
      errors.fail(setting.line, `unknown setting "${setting.key}" in [${section.name}]. Allowed here: ${Object.values(allowed).join(', ')}.`);
    }
    const list = result.get(key) ?? [];
    const previous = list[0];
    if (previous !== undefined && !REPEATABLE.has(key)) {
      errors.fail(setting.line, `${canonical} is set twice in this [${section.name}] section (first on line ${previous.line}); keep one.`);
    }
    list.push(setting);
    result.set(key, list);
  }
  return result;
}

function required(settings: Collected, key: string, section: Section, errors: ConfigErrors, hint: string): Setting {
  const setting = settings.get(key)?.[0];
  if (setting !== undefined) return setting;
  const name = section.name === 'Interface' ? INTERFACE_KEYS[key] : PEER_KEYS[key];
  return errors.fail(section.line, `this [${section.name}] section has no ${name ?? key}. ${hint}`);
}

function single<T>(settings: Collected, key: string, name: string, errors: ConfigErrors, parse: (text: string) => Parsed<T>): { value: T; line: number } | undefined {
  const setting = settings.get(key)?.[0];
  if (setting === undefined) return undefined;
  const parsed = parse(setting.value);
  if (!parsed.ok) errors.fail(setting.line, `${name} ${parsed.problem}.`);
  return { value: parsed.value, line: setting.line };
}

function listValues(settings: Setting[], name: string, errors: ConfigErrors, parse: (text: string) => Parsed<string>): string[] {
  const values: string[] = [];
  for (const setting of settings) {
    const items = splitList(setting.value);
    if (items.length === 0) errors.fail(setting.line, `${name} is empty.`);
    for (const item of items) {
      const parsed = parse(item);
      if (!parsed.ok) errors.fail(setting.line, `${name} ${parsed.problem}.`);
      if (!values.includes(parsed.value)) values.push(parsed.value);
    }
  }
  return values;
}

/** Refuse at import what netd and the firewall could never apply (their limits are the same numbers). */
function atMost(values: string[], max: number, settings: Setting[], errors: ConfigErrors, message: (count: number) => string): void {
  if (values.length > max) errors.fail(settings.at(-1)?.line, message(values.length));
}

function parseTable(text: string): Parsed<'off' | 'auto' | number> {
  const lower = text.toLowerCase();
  if (lower === 'off' || lower === 'auto') return { ok: true, value: lower };
  const number = parseUint32(text);
  return number.ok ? number : { ok: false, problem: `"${text}" is not off, auto or a routing table number` };
}

function parseBoolean(text: string): Parsed<boolean> {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') return { ok: true, value: lower === 'true' };
  return { ok: false, problem: `"${text}" is not true or false` };
}

function lastLine(text: string): number {
  return Math.max(1, text.replace(/\r?\n$/, '').split(/\r?\n/).length);
}
