// The typed result of parsing a wg-quick file: the configuration (no secrets, stored in the database) and the
// secrets (stored apart, mode 0600). Schemas let the driver re-check what it reads back from the store.
import { z } from 'zod';
import { ObfuscationSchema } from '../obfuscation/schema.js';

const Base64Key = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'a base64 WireGuard key');
const Cidr = z.string().regex(/^[0-9A-Fa-f.:]+\/\d{1,3}$/, 'an address with prefix');
const Port = z.number().int().min(1).max(65_535);

export const WireGuardEndpointSchema = z.strictObject({
  /** An IP address (IPv6 without brackets) or a host name resolved at connect time. */
  host: z.string().min(1).max(253),
  port: Port,
  hostKind: z.enum(['ipv4', 'ipv6', 'name']),
});
export type WireGuardEndpoint = z.infer<typeof WireGuardEndpointSchema>;

export const WireGuardPeerSchema = z.strictObject({
  publicKey: Base64Key,
  /** The key itself is in the secrets, under presharedKeyName(publicKey). */
  hasPresharedKey: z.boolean(),
  endpoint: WireGuardEndpointSchema,
  allowedIps: z.array(Cidr).min(1),
  /** Seconds; absent when off. */
  persistentKeepalive: z.number().int().min(1).max(65_535).optional(),
});
export type WireGuardPeer = z.infer<typeof WireGuardPeerSchema>;

export const WireGuardInterfaceSchema = z.strictObject({
  /** Derived from the private key, so it can be shown and compared without the secret. */
  publicKey: Base64Key,
  addresses: z.array(Cidr).min(1),
  dnsServers: z.array(z.string()),
  dnsSearch: z.array(z.string()),
  mtu: z.number().int().min(576).max(65_535).optional(),
  listenPort: z.number().int().min(0).max(65_535).optional(),
  table: z.union([z.literal('off'), z.literal('auto'), z.number().int().min(0).max(0xffff_ffff)]).optional(),
  /** 0 means "off" (FwMark = off). */
  fwmark: z.number().int().min(0).max(0xffff_ffff).optional(),
});
export type WireGuardInterface = z.infer<typeof WireGuardInterfaceSchema>;

export const WireGuardConfigSchema = z.strictObject({
  interface: WireGuardInterfaceSchema,
  peers: z.array(WireGuardPeerSchema).min(1),
  /** A provider's [Obfuscation] sections (../obfuscation); their secrets are in the secrets record. */
  obfuscation: z.array(ObfuscationSchema).max(8).optional(),
});
export type WireGuardConfig = z.infer<typeof WireGuardConfigSchema>;

export const WireGuardSecretsSchema = z.strictObject({
  privateKey: Base64Key,
  /** Peer public key (base64) → that peer's preshared key (base64). */
  presharedKeys: z.record(Base64Key, Base64Key),
});
export type WireGuardSecrets = z.infer<typeof WireGuardSecretsSchema>;

export interface ParsedWireGuardConfig {
  config: WireGuardConfig;
  secrets: WireGuardSecrets;
}
