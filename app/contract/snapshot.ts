// What a front door needs at start: the whole picture in one document, then events keep it current.
import { z } from 'zod';
import { NetworkKindSchema, ProfileSummarySchema, SettingsSchema, TunnelStateSchema } from '../domain/index.js';

export const HelperVersionSchema = z.object({
  name: z.string(),
  found: z.boolean(),
  path: z.string().optional(),
  version: z.string().optional(),
});
export type HelperVersion = z.infer<typeof HelperVersionSchema>;

export const NetworkAvailabilitySchema = z.object({
  network: NetworkKindSchema,
  label: z.string(),
  /** Whether this build can connect to it at all (driver present and helpers found). */
  available: z.boolean(),
  /** Why not, in a sentence, when unavailable. */
  reason: z.string().optional(),
  /** Set when this network runs against a lab stand-in (the demo), not the real network: what that means, in a sentence. */
  standIn: z.string().optional(),
});
export type NetworkAvailability = z.infer<typeof NetworkAvailabilitySchema>;

export const SnapshotSchema = z.object({
  state: TunnelStateSchema,
  settings: SettingsSchema,
  profiles: z.array(ProfileSummarySchema),
  networks: z.array(NetworkAvailabilitySchema),
  versions: z.object({ burrow: z.string(), helpers: z.array(HelperVersionSchema) }),
  /** Things the person must know now: a database that was moved aside, netd missing, ... */
  notices: z.array(z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string() })),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
