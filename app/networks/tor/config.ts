// A Tor profile's configuration as the store keeps it, and the way back from the store: every value is
// checked again on the way out (the database is a file too), through the same validators as an import.
import { z } from 'zod';
import { BurrowError } from '../../domain/errors.js';
import { parseBridgeLine, BridgeLineError, type BridgeLine } from './bridge-line.js';
import { canonicalOption, checkOption, OptionError, parseDirAuthority } from './profile-options.js';

export const TOR_MODES = ['proxy', 'system'] as const;
export type TorMode = (typeof TOR_MODES)[number];

export const TorProfileConfigSchema = z.strictObject({
  version: z.literal(1),
  /** proxy: tor as the user, a SOCKS port only. system: every program through Tor (netd, firewall). */
  mode: z.enum(TOR_MODES),
  /** The SOCKS port on 127.0.0.1; absent: Burrow's default. */
  socksPort: z.number().int().min(1024).max(65_535).optional(),
  useBridges: z.boolean(),
  /** Normalized bridge lines (without the `Bridge` keyword). */
  bridges: z.array(z.string().max(2048)).max(64),
  /** Normalized `DirAuthority` values of a private Tor network; empty for the public network. */
  dirAuthorities: z.array(z.string().max(512)).max(16),
  /** Allowlisted torrc options, canonical names. */
  options: z.record(z.string(), z.string().max(2048)),
});
export type TorProfileConfig = z.infer<typeof TorProfileConfigSchema>;

export interface CheckedTorConfig extends TorProfileConfig {
  parsedBridges: BridgeLine[];
}

/** The stored config back to its type, every bridge, authority and option validated again. */
export function torConfigFromRecord(record: Record<string, unknown>): CheckedTorConfig {
  const parsed = TorProfileConfigSchema.safeParse(record);
  const damaged = (where: string): never => {
    throw new BurrowError('invalid_profile', `The stored Tor profile is damaged (${where}); import it again.`);
  };
  if (!parsed.success) return damaged(parsed.error.issues.map((issue) => issue.path.map(String).join('.')).join(', '));
  const config = parsed.data;
  try {
    const parsedBridges = config.bridges.map((line) => parseBridgeLine(line));
    config.dirAuthorities.forEach((line) => parseDirAuthority(line));
    for (const [key, value] of Object.entries(config.options)) {
      if (canonicalOption(key) !== key) damaged(`option ${key.slice(0, 40)}`);
      checkOption(key, value);
    }
    if (config.useBridges && parsedBridges.length === 0) damaged('bridges');
    return { ...config, parsedBridges };
  } catch (error) {
    if (error instanceof BridgeLineError || error instanceof OptionError) return damaged(error.message);
    throw error;
  }
}

/** The transports this configuration needs a client program for. */
export function transportsOf(config: CheckedTorConfig): string[] {
  if (!config.useBridges) return [];
  return [...new Set(config.parsedBridges.map((bridge) => bridge.transport).filter((transport) => transport !== 'vanilla'))];
}
