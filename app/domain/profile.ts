// A profile is what a person imports to reach one network: a WireGuard .conf, a Tor bridge set, ...
// The summary never carries secrets; those stay in the store's secrets file.
import { z } from 'zod';
import { NetworkKindSchema } from './network.js';

export const ProfileIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'profile ids are lower-case letters, digits and dashes');

export const ProfileNameSchema = z
  .string()
  .trim()
  .min(1, 'a profile needs a name')
  .max(64, 'profile names are at most 64 characters')
  .refine((name) => ![...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f), 'profile names cannot contain control characters');

export const ProfileSummarySchema = z.object({
  id: ProfileIdSchema,
  name: ProfileNameSchema,
  network: NetworkKindSchema,
  /** Non-secret facts shown to the person: endpoint, addresses, bridge count, ... */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
  createdAt: z.iso.datetime(),
});
export type ProfileSummary = z.infer<typeof ProfileSummarySchema>;

/** What a driver parses an imported file into: public facts plus the secrets kept apart. */
export interface ParsedProfile {
  network: z.infer<typeof NetworkKindSchema>;
  suggestedName: string;
  details: ProfileSummary['details'];
  /** The full configuration without secrets (stored in the database). */
  config: Record<string, unknown>;
  /** Private keys, passwords: stored in the 0600 secrets file, never sent to a front door. */
  secrets: Record<string, string>;
}
