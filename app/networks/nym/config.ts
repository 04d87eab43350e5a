// A Nym profile's configuration as the store keeps it, checked again on the way out (the database is a
// file too), and what its mixing settings cost in latency and bandwidth.
import { isIP } from 'node:net';
import { z } from 'zod';
import { BurrowError } from '../../domain/errors.js';
import { PROXY_MODES } from '../helper/proxy-network.js';

/** A Nym address: identity key . encryption key @ gateway identity key, all base58. */
export const RECIPIENT = /^[1-9A-HJ-NP-Za-km-z]{32,44}\.[1-9A-HJ-NP-Za-km-z]{32,44}@[1-9A-HJ-NP-Za-km-z]{32,44}$/;
export const BASE58_KEY = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

export const DEFAULT_SOCKS_PORT = 1080;
/** Burrow's default per-hop mean; the issue's figure and the published ~15 ms per mix hop. */
export const DEFAULT_PACKET_DELAY_MS = 15;
/**
 * The real client's two streams (nym-socks5-client 1.1.76, client-core config-types): the main Poisson
 * stream sends a packet every 20 ms on average — real data when there is some, cover when idle — and the
 * loop cover stream one every 200 ms. `--no-cover` turns off both.
 */
export const MESSAGE_STREAM_MEAN_MS = 20;
export const LOOP_COVER_MEAN_MS = 200;
export const MIX_HOPS = 3;
const PACKET_BYTES = 2048;

export const NymProfileConfigSchema = z.strictObject({
  version: z.literal(1),
  mode: z.enum(PROXY_MODES),
  /** The exit: a network requester's Nym address. */
  provider: z.string().regex(RECIPIENT),
  /** The entry gateway's identity key; absent: the client picks one at init. */
  gateway: z.string().regex(BASE58_KEY).optional(),
  socksPort: z.number().int().min(1024).max(65_535),
  /** Mean delay per mix hop in ms (Sphinx delays are drawn by the sender from this). */
  averagePacketDelayMs: z.number().min(0).max(1000),
  coverTraffic: z.boolean(),
  /** nym-api endpoints the client fetches topology from (also what the kill switch lets it reach). */
  nymApis: z.array(z.url({ protocol: /^https?$/ })).max(4),
  /** System-wide mode: the resolver asked over TCP through the exit. */
  dnsServer: z.string().refine((ip) => isIP(ip) !== 0, 'an IP address').optional(),
});
export type NymProfileConfig = z.infer<typeof NymProfileConfigSchema>;

export function nymConfigFromRecord(record: Record<string, unknown>): NymProfileConfig {
  const parsed = NymProfileConfigSchema.safeParse(record);
  if (!parsed.success) {
    const where = parsed.error.issues.map((issue) => issue.path.map(String).join('.') || '(config)').join(', ');
    throw new BurrowError('invalid_profile', `The stored Nym profile is damaged (${where}); import it again.`);
  }
  return parsed.data;
}

export interface MixingCost {
  /** Expected extra delay one way: three hops, each an exponential draw with the configured mean. */
  oneWayMs: number;
  roundTripMs: number;
  /** Cover traffic (main Poisson stream when idle + loop stream), each way, in bytes per second (0 when off). */
  coverBytesPerSecond: number;
  summary: string;
}

/** What the mixing settings cost, in the terms the Compare page and the details show. */
export function mixingCost(config: Pick<NymProfileConfig, 'averagePacketDelayMs' | 'coverTraffic'>): MixingCost {
  const oneWayMs = MIX_HOPS * config.averagePacketDelayMs;
  const roundTripMs = 2 * oneWayMs;
  const packetsPerSecond = 1000 / MESSAGE_STREAM_MEAN_MS + 1000 / LOOP_COVER_MEAN_MS;
  const coverBytesPerSecond = config.coverTraffic ? Math.round(packetsPerSecond * PACKET_BYTES) : 0;
  const cover = config.coverTraffic
    ? `, cover traffic about ${Math.round(packetsPerSecond)} packets/s, about ${Math.round(coverBytesPerSecond / 1024)} KiB/s each way (about ${Math.round((2 * coverBytesPerSecond * 3600) / 1024 ** 3 * 10) / 10} GiB an hour, idle or not)`
    : ', no cover traffic (the client sends only when you do: easier to observe)';
  return {
    oneWayMs,
    roundTripMs,
    coverBytesPerSecond,
    summary: `${config.averagePacketDelayMs} ms mean per mix hop × ${MIX_HOPS} hops: about +${roundTripMs} ms per round trip${cover}`,
  };
}
