// A wg-quick file as a Burrow profile: the domain's ParsedProfile (public details, config, secrets apart),
// and the way back from the store's flat secrets record to typed secrets.
import { BurrowError } from '../../../domain/errors.js';
import type { ParsedProfile } from '../../../domain/profile.js';
import { describeObfuscation, ObfuscationError, splitObfuscation, type SplitProfile } from '../obfuscation/parse.js';
import { obfuscationSecretName } from '../obfuscation/schema.js';
import { parseWireGuardConfig } from './parse.js';
import { WireGuardConfigSchema, WireGuardSecretsSchema, type WireGuardConfig, type WireGuardSecrets } from './types.js';
import { formatEndpoint } from './values.js';

const PRIVATE_KEY = 'privateKey';
const PRESHARED_PREFIX = 'presharedKey:';

/** The secrets record's name for one peer's preshared key. */
export function presharedKeyName(peerPublicKey: string): string {
  return `${PRESHARED_PREFIX}${peerPublicKey}`;
}

/** Parse an imported `.conf`; throws BurrowError('invalid_profile', "Line N: …", { line }). */
export function parseWireGuardProfile(text: string, fileName?: string): ParsedProfile {
  let split: SplitProfile;
  try {
    split = splitObfuscation(text);
  } catch (error) {
    if (error instanceof ObfuscationError) throw new BurrowError('invalid_profile', `Line ${error.message.slice(5)}`, { line: error.line });
    throw error;
  }
  const { config, secrets } = parseWireGuardConfig(split.wireguardText, fileName === undefined ? {} : { fileName });
  const withObfuscation: WireGuardConfig = split.obfuscations.length > 0 ? { ...config, obfuscation: split.obfuscations } : config;
  const record = secretsToRecord(secrets);
  split.secrets.forEach((secret, index) => (record[obfuscationSecretName(index)] = 'password' in secret ? secret.password : secret.id));
  const details = summarize(withObfuscation);
  if (split.obfuscations.length > 0) details.obfuscation = split.obfuscations.map(describeObfuscation);
  return {
    network: 'wireguard',
    suggestedName: suggestName(fileName, config),
    details,
    config: { ...withObfuscation },
    secrets: record,
  };
}

/** What a person sees about the profile: everything needed to recognise it, no secret. */
export function summarize(config: WireGuardConfig): ParsedProfile['details'] {
  const [firstPeer] = config.peers;
  const allowed = [...new Set(config.peers.flatMap((peer) => peer.allowedIps))];
  const details: ParsedProfile['details'] = {
    endpoint: firstPeer === undefined ? '' : formatEndpoint(firstPeer.endpoint),
    addresses: config.interface.addresses,
    dns: config.interface.dnsServers,
    allowedIps: allowed,
    publicKey: config.interface.publicKey,
    peerPublicKey: firstPeer?.publicKey ?? '',
    peers: config.peers.length,
    presharedKey: config.peers.some((peer) => peer.hasPresharedKey),
    // Both full-tunnel forms; the firewall and the leak tests need to know whether IPv6 rides the tunnel.
    ipv6InTunnel: allowed.some((cidr) => cidr.includes(':') && cidr.endsWith('/0')),
  };
  if (config.peers.length > 1) details.endpoints = config.peers.map((peer) => formatEndpoint(peer.endpoint));
  if (config.interface.dnsSearch.length > 0) details.dnsSearch = config.interface.dnsSearch;
  if (config.interface.mtu !== undefined) details.mtu = config.interface.mtu;
  return details;
}

export function secretsToRecord(secrets: WireGuardSecrets): Record<string, string> {
  const record: Record<string, string> = { [PRIVATE_KEY]: secrets.privateKey };
  for (const [peer, key] of Object.entries(secrets.presharedKeys)) record[presharedKeyName(peer)] = key;
  return record;
}

/** The store's flat record back to typed secrets; refuses anything it does not recognise. */
export function secretsFromRecord(record: Record<string, string>): WireGuardSecrets {
  const presharedKeys: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name.startsWith(PRESHARED_PREFIX)) presharedKeys[name.slice(PRESHARED_PREFIX.length)] = value;
    // An obfuscation's password or id: read by the transport helper's plan, not part of WireGuard's own secrets.
    else if (/^obfuscation:\d$/.test(name)) continue;
    else if (name !== PRIVATE_KEY) throw new BurrowError('invalid_profile', `The stored WireGuard secrets hold an unexpected entry "${name.slice(0, 32)}"; import the profile again.`);
  }
  const parsed = WireGuardSecretsSchema.safeParse({ privateKey: record[PRIVATE_KEY], presharedKeys });
  // zod's issues would quote the offending value, which is a key: report only where it was.
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.map(String).map(hideKeys).join('.')).join(', ');
    throw new BurrowError('invalid_profile', `The stored WireGuard secrets are damaged (${where}); import the profile again.`);
  }
  return parsed.data;
}

/** The stored config back to its type (it crossed a database). */
export function configFromRecord(record: Record<string, unknown>): WireGuardConfig {
  const parsed = WireGuardConfigSchema.safeParse(record);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.map(String).join('.')).join(', ');
    throw new BurrowError('invalid_profile', `The stored WireGuard configuration is damaged (${where}); import the profile again.`);
  }
  return parsed.data;
}

function hideKeys(segment: string): string {
  return segment.length >= 32 ? '[peer]' : segment;
}

// eslint-disable-next-line no-control-regex -- profile names must not carry control characters
const CONTROL = /[\u0000-\u001f\u007f]/g;

function suggestName(fileName: string | undefined, config: WireGuardConfig): string {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  const fromFile = base.replace(/\.conf$/i, '').replace(CONTROL, ' ').trim().slice(0, 64).trim();
  if (fromFile !== '') return fromFile;
  const host = config.peers[0]?.endpoint.host;
  return host === undefined ? 'WireGuard' : `WireGuard ${host}`.slice(0, 64);
}
