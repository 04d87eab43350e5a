// The one tunnel state for every network, in Mullvad's terms. The host owns it; everything else renders it.
import { z } from 'zod';
import { ErrorInfoSchema } from './errors.js';
import { NetworkKindSchema } from './network.js';
import { ProfileIdSchema } from './profile.js';

export const TargetSchema = z.object({
  profileId: ProfileIdSchema,
  profileName: z.string(),
  network: NetworkKindSchema,
});
export type Target = z.infer<typeof TargetSchema>;

export const ProgressSchema = z.object({
  /** 0..100 where the network reports it (Tor bootstrap), otherwise absent. */
  percent: z.number().min(0).max(100).optional(),
  phase: z.string(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const ConnectionDetailsSchema = z.object({
  exitIp: z.string().optional(),
  endpoint: z.string().optional(),
  interface: z.string().optional(),
  /** Network-specific facts (circuit, handshake age, gateway) shown as label/value pairs. */
  extra: z.record(z.string(), z.string()).optional(),
});
export type ConnectionDetails = z.infer<typeof ConnectionDetailsSchema>;

export const AFTER_DISCONNECT = ['nothing', 'block', 'reconnect'] as const;
export type AfterDisconnect = (typeof AFTER_DISCONNECT)[number];

export const TunnelStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('disconnected'), lockedDown: z.boolean() }),
  z.object({
    state: z.literal('connecting'),
    target: TargetSchema,
    attempt: z.number().int().min(1),
    progress: ProgressSchema.optional(),
    since: z.iso.datetime(),
    /** True while the kill switch blocks everything but the tunnel being built. */
    blocking: z.boolean().optional(),
  }),
  z.object({
    state: z.literal('connected'),
    target: TargetSchema,
    since: z.iso.datetime(),
    details: ConnectionDetailsSchema,
  }),
  z.object({
    state: z.literal('disconnecting'),
    target: TargetSchema,
    then: z.enum(AFTER_DISCONNECT),
    /** With then=reconnect: where to go next (a switch of network or profile). */
    next: TargetSchema.optional(),
    /** With then=block: why the tunnel is being torn down. */
    cause: ErrorInfoSchema.optional(),
    /** True while the kill switch blocks everything (always so when switching networks with it on). */
    blocking: z.boolean().optional(),
  }),
  z.object({
    state: z.literal('error'),
    cause: ErrorInfoSchema,
    /** True while the firewall blocks everything: the kill switch holds. */
    blocking: z.boolean(),
    target: TargetSchema.optional(),
  }),
]);
export type TunnelState = z.infer<typeof TunnelStateSchema>;
export type TunnelStateName = TunnelState['state'];
