// The dVPN node picker's data in the contract: the identity's registration and balance (shown honestly:
// an unregistered identity cannot connect) and the nodes on offer with country, price and quality.
import { z } from 'zod';

const Amount = z.number().nonnegative().nullable();

export const DvpnNodesRequestSchema = z
  .object({
    /** A dVPN profile's id or name. */
    profile: z.string().min(1).max(64),
    /** ISO country code; absent: the profile's Country, else every country. */
    country: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as NL').optional(),
  })
  .strict();

export const DvpnNodesSchema = z.object({
  identity: z.object({
    id: z.string(),
    /** Mysterium's words: Registered, Unregistered, InProgress, RegistrationError, Unknown. */
    registrationStatus: z.string(),
    balanceMyst: Amount,
  }),
  nodes: z.array(
    z.object({
      providerId: z.string(),
      country: z.string(),
      city: z.string(),
      ipType: z.string(),
      /** MYST. */
      pricePerGib: Amount,
      pricePerHour: Amount,
      /** Mysterium's quality score, 0–3, higher is better. */
      quality: z.number().nullable(),
      latencyMs: z.number().nullable(),
      bandwidthMbps: z.number().nullable(),
    }),
  ),
});
export type DvpnNodes = z.infer<typeof DvpnNodesSchema>;
