// The cross-platform UAPI `set=1` request (wireguard.com/xplatform) that configures a userspace interface
// in one go: keys as lower-case hex, endpoints as IP:port or [IPv6]:port, terminated by a blank line.
// netd writes it to the interface's socket; it is never logged, since it carries the private key.
import { BurrowError } from '../../../domain/errors.js';
import { keyToHex, publicKeyFromPrivate } from './keys.js';
import type { WireGuardConfig, WireGuardEndpoint, WireGuardSecrets } from './types.js';
import { ipVersion } from './values.js';

export interface UapiOptions {
  /** Host name → IP for endpoints given by name: the UAPI takes addresses only. */
  resolvedEndpoints?: Record<string, string>;
  /** Overrides the file's FwMark, as wg-quick does when it sets up its own routing table. */
  fwmark?: number;
}

export function toUapiConfig(config: WireGuardConfig, secrets: WireGuardSecrets, options: UapiOptions = {}): string {
  const privateHex = keyToHex(secrets.privateKey);
  // A secrets file paired with the wrong profile would configure a tunnel no server accepts; say so here.
  if (publicKeyFromPrivate(Buffer.from(privateHex, 'hex')) !== config.interface.publicKey) {
    throw new BurrowError('invalid_profile', 'The stored private key does not belong to this profile; import the profile again.');
  }
  const lines = ['set=1', `private_key=${privateHex}`];
  if (config.interface.listenPort !== undefined) lines.push(`listen_port=${config.interface.listenPort}`);
  const fwmark = options.fwmark ?? config.interface.fwmark;
  if (fwmark !== undefined) {
    if (!Number.isInteger(fwmark) || fwmark < 0 || fwmark > 0xffff_ffff) throw new RangeError('fwmark is a 32-bit unsigned integer');
    lines.push(`fwmark=${fwmark}`);
  }
  lines.push('replace_peers=true');

  for (const peer of config.peers) {
    lines.push(`public_key=${keyToHex(peer.publicKey)}`);
    if (peer.hasPresharedKey) {
      const psk = secrets.presharedKeys[peer.publicKey];
      if (psk === undefined) {
        throw new BurrowError('invalid_profile', 'A peer\'s preshared key is missing from the stored secrets; import the profile again.');
      }
      lines.push(`preshared_key=${keyToHex(psk)}`);
    }
    lines.push(`endpoint=${uapiEndpoint(peer.endpoint, options.resolvedEndpoints ?? {})}`);
    if (peer.persistentKeepalive !== undefined) lines.push(`persistent_keepalive_interval=${peer.persistentKeepalive}`);
    lines.push('replace_allowed_ips=true');
    for (const cidr of peer.allowedIps) lines.push(`allowed_ip=${cidr}`);
  }
  // The request ends with an empty line.
  return `${lines.join('\n')}\n\n`;
}

function uapiEndpoint(endpoint: WireGuardEndpoint, resolved: Record<string, string>): string {
  let ip = endpoint.host;
  if (endpoint.hostKind === 'name') {
    const address = resolved[endpoint.host];
    if (address === undefined || ipVersion(address) === 0) {
      throw new BurrowError('invalid_request', `The endpoint host ${endpoint.host} has to be resolved to an IP address before the tunnel is configured.`);
    }
    ip = address;
  }
  return ipVersion(ip) === 6 ? `[${ip}]:${endpoint.port}` : `${ip}:${endpoint.port}`;
}
