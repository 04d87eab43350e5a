// The dVPN (Mysterium) part of the contract: the node picker's data (the identity's registration and
// balance, shown honestly: an unregistered identity cannot connect, and the nodes on offer with country,
// price and quality), the identity alone, its free registration, and the import of a person's own identity.
import { z } from 'zod';
import { ProfileSummarySchema } from '../domain/index.js';

const Amount = z.number().nonnegative().nullable();
/** A dVPN profile's id or name. */
const ProfileRef = z.string().min(1).max(64);
/** A keystore file (myst's `keystore/UTC--…`, Ethereum's v3 JSON) is well under 4 KiB; 64 KiB is plenty. */
export const MAX_KEYSTORE_BYTES = 64 * 1024;

export const DvpnNodesRequestSchema = z
  .object({
    profile: ProfileRef,
    /** ISO country code, or "any" for every country; absent: the profile's Country, else every country. */
    country: z.union([z.literal('any'), z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as NL, or "any"')]).optional(),
  })
  .strict();

export const DvpnIdentitySchema = z.object({
  id: z.string(),
  /** Mysterium's words: Registered, Unregistered, InProgress, RegistrationError, Unknown. */
  registrationStatus: z.string(),
  balanceMyst: Amount,
  /** myst's PUT /connection takes Registered and InProgress only. */
  mayConnect: z.boolean(),
  /** Where the identity comes from: the profile names one (imported or set), or myst's own default. */
  source: z.enum(['profile', 'default']),
  /** What to do next, in a sentence (register, top up, nothing). */
  hint: z.string(),
});
export type DvpnIdentity = z.infer<typeof DvpnIdentitySchema>;

export const DvpnNodesSchema = z.object({
  identity: DvpnIdentitySchema,
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

export const DvpnIdentityRequestSchema = z.object({ profile: ProfileRef }).strict();

export const RegisterDvpnRequestSchema = z
  .object({
    profile: ProfileRef,
    /** Wait up to this long for Registered after sending (progress is pushed meanwhile); default 0: answer once sent. */
    waitSeconds: z.number().int().min(0).max(600).optional(),
  })
  .strict();

export const RegisterDvpnResultSchema = z.object({
  /** sent: asked for now; in-progress: asked before, still pending; registered: done (now or before). */
  outcome: z.enum(['sent', 'in-progress', 'registered']),
  identity: DvpnIdentitySchema,
});
export type RegisterDvpnResult = z.infer<typeof RegisterDvpnResultSchema>;

export const ImportDvpnIdentityRequestSchema = z
  .object({
    profile: ProfileRef,
    /** The keystore file's text (JSON with address and crypto), as myst or any Ethereum wallet writes it. */
    keystore: z.string().min(2).max(MAX_KEYSTORE_BYTES, 'a keystore file is at most 64 KiB'),
    /** The passphrase the keystore file is encrypted with; used once, never stored or logged. */
    passphrase: z.string().min(1, 'the keystore file\'s passphrase is needed').max(1024),
  })
  .strict();

export const ImportDvpnIdentityResultSchema = z.object({ identity: DvpnIdentitySchema, profile: ProfileSummarySchema });

/** Pushed while a registration runs (the CLI prints them, the picker shows them). */
export const DvpnRegistrationProgressSchema = z.object({
  profileId: z.string(),
  phase: z.enum(['starting', 'checking', 'sending', 'waiting', 'done', 'failed']),
  message: z.string().max(1024),
  registrationStatus: z.string().optional(),
});
export type DvpnRegistrationProgress = z.infer<typeof DvpnRegistrationProgressSchema>;
