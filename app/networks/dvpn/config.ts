// A dVPN (Mysterium) profile's configuration as the store keeps it, checked again on the way out. The
// TequilAPI password and the identity's passphrase are secrets, kept apart by the store.
import { isIP } from 'node:net';
import { z } from 'zod';
import { BurrowError } from '../../domain/errors.js';
import { PROXY_MODES } from '../helper/proxy-network.js';

export const DEFAULT_TEQUILAPI_PORT = 44050;
export const DEFAULT_PROXY_PORT = 10000;
/** myst's defaults; a person who changed them puts theirs in the profile (kept as secrets). */
export const DEFAULT_TEQUILAPI_USER = 'myst';
export const DEFAULT_TEQUILAPI_PASSWORD = 'mystberry';

export const PROVIDER_ID = /^0x[0-9a-fA-F]{40}$/;
export const COUNTRY = /^[A-Z]{2}$/;

export const DvpnProfileConfigSchema = z.strictObject({
  version: z.literal(1),
  /** Only Mysterium is driven today; the field leaves room for Sentinel or Orchid. */
  provider: z.literal('mysterium'),
  mode: z.enum(PROXY_MODES),
  tequilapiPort: z.number().int().min(1024).max(65_535),
  /** myst's HTTP CONNECT proxy port (proxy mode's `connect_options.proxy_port`). */
  proxyPort: z.number().int().min(1024).max(65_535),
  /** Node picker filter (ISO country code) and a chosen node; without a node the best quality wins. */
  country: z.string().regex(COUNTRY).optional(),
  node: z.string().regex(PROVIDER_ID).optional(),
  /** The person's own identity (imported or already in myst's keystore); absent: myst's default or a new one. */
  identity: z.string().regex(PROVIDER_ID).optional(),
  /** Upper limits in MYST; nodes above them are not chosen. */
  maxPricePerGib: z.number().min(0).max(1000).optional(),
  maxPricePerHour: z.number().min(0).max(1000).optional(),
  /** System-wide mode: the resolver asked over TCP through the node. */
  dnsServer: z.string().refine((ip) => isIP(ip) !== 0, 'an IP address').optional(),
});
export type DvpnProfileConfig = z.infer<typeof DvpnProfileConfigSchema>;

export interface DvpnSecrets {
  tequilapiPassword: string;
  identityPassphrase: string;
}

export function dvpnConfigFromRecord(record: Record<string, unknown>): DvpnProfileConfig {
  const parsed = DvpnProfileConfigSchema.safeParse(record);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.map(String).join('.') || '(config)').join(', ');
    throw new BurrowError('invalid_profile', `The stored dVPN profile is damaged (${where}); import it again.`);
  }
  if (parsed.data.tequilapiPort === parsed.data.proxyPort) throw new BurrowError('invalid_profile', 'The stored dVPN profile uses one port for TequilAPI and the proxy; import it again.');
  return parsed.data;
}

export function dvpnSecrets(secrets: Record<string, string>): DvpnSecrets {
  return {
    tequilapiPassword: secrets.tequilapiPassword ?? DEFAULT_TEQUILAPI_PASSWORD,
    identityPassphrase: secrets.identityPassphrase ?? '',
  };
}
