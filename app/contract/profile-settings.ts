// Changing an imported profile's own settings through the contract (the node picker's choice, the Nym
// mixing settings), and what the Nym settings cost: stated from upstream's parameters, measured when Burrow
// has measured the profile. Only these fields can change; everything else needs a new import.
import { z } from 'zod';

const ProviderId = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a provider identity: 0x and 40 hex digits');
const Country = z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as NL');

export const UpdateProfileRequestSchema = z
  .object({
    /** A profile's id or name. */
    profile: z.string().min(1).max(64),
    /** dVPN: the chosen node (null: the best quality within the limits again) and the country filter (null: any). */
    dvpn: z.object({ node: ProviderId.nullable().optional(), country: Country.nullable().optional() }).strict().optional(),
    /** Nym: the mean delay per mix hop and cover traffic on/off. */
    nym: z
      .object({
        averagePacketDelayMs: z.number().min(0, 'the delay is 0 ms or more').max(1000, 'the delay is at most 1000 ms per hop').optional(),
        coverTraffic: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((request) => (request.dvpn === undefined) !== (request.nym === undefined), 'name the changes of one network: dvpn or nym');

export const NymSettingsRequestSchema = z.object({ profile: z.string().min(1).max(64) }).strict();

export const NymSettingsSchema = z.object({
  profileId: z.string(),
  averagePacketDelayMs: z.number(),
  coverTraffic: z.boolean(),
  /** From upstream's parameters (nym-socks5-client 1.1.76): what these settings should cost. */
  stated: z.object({
    addedRoundTripMs: z.number(),
    coverPacketsPerSecond: z.number(),
    /** Each way, 0 when cover traffic is off. */
    coverKibPerSecond: z.number(),
    summary: z.string(),
  }),
  /** What Burrow measured through this profile (null: never measured). The settings then are not recorded. */
  measured: z
    .object({
      rttMs: z.number().nullable(),
      /** The same measurement without a tunnel, for the added delay; null when there is none. */
      baselineRttMs: z.number().nullable(),
      throughputMbps: z.number().nullable(),
      measuredAt: z.string(),
    })
    .nullable(),
});
export type NymSettings = z.infer<typeof NymSettingsSchema>;
