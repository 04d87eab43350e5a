// Reachability probe and Smart connect over the contract (issue 16): request and response schemas.
import { z } from 'zod';

export const PROBE_OUTCOMES = ['reachable', 'blocked', 'unreachable', 'untested'] as const;

export const ProbeVerdictSchema = z.object({
  /** Profile id the verdict is about. */
  profile: z.string(),
  /** wireguard, wireguard-shadowsocks, wireguard-vless, tor, tor-obfs4, ... */
  transport: z.string(),
  target: z.string(),
  outcome: z.enum(PROBE_OUTCOMES),
  /** One sentence a person can act on. */
  sentence: z.string(),
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type ProbeVerdict = z.infer<typeof ProbeVerdictSchema>;
export type ProbeOutcome = ProbeVerdict['outcome'];

export const ProbeRequestSchema = z.object({
  /** Only this profile (id or name); absent: every profile. */
  profile: z.string().min(1).max(64).optional(),
}).strict();

export const ProbeResultSchema = z.object({ verdicts: z.array(ProbeVerdictSchema) });

export const SMART_GOALS = ['fastest', 'anonymous'] as const;

export const SmartConnectRequestSchema = z.object({
  /** fastest private path (default), or most anonymous (never a single-hop VPN). */
  goal: z.enum(SMART_GOALS).optional(),
}).strict();

export const SmartStepSchema = z.object({
  rung: z.string(),
  index: z.number().int(),
  of: z.number().int(),
  status: z.enum(['trying', 'through', 'blocked']),
  sentence: z.string(),
  ms: z.number().optional(),
});

export const SmartConnectResultSchema = z.object({
  goal: z.enum(SMART_GOALS),
  /** The rung that got through, absent when none did. */
  rung: z.string().optional(),
  profile: z.string().optional(),
  /** Where the walk started: what worked last time on this network, or the ladder's top. */
  startedAt: z.string().optional(),
  /** Rungs of the ladder the person has no profile for (said, not hidden). */
  missing: z.array(z.string()),
  /** Rungs the person has only proxy-mode profiles for: not walked, since proxy mode lifts the kill switch. */
  proxyOnly: z.array(z.string()).optional(),
  steps: z.array(SmartStepSchema),
  sentence: z.string(),
});
export type SmartConnectResult = z.infer<typeof SmartConnectResultSchema>;
