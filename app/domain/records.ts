// Records the host keeps and shows: connection history, leak verdicts, measurements, log lines.
import { z } from 'zod';
import { NetworkKindSchema } from './network.js';

export const HistoryEntrySchema = z.object({
  id: z.number().int(),
  network: NetworkKindSchema,
  profileId: z.string(),
  profileName: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  outcome: z.enum(['connected', 'failed', 'cancelled', 'active']),
  error: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const LEAK_TESTS = ['exitIp', 'dns', 'ipv6', 'webrtc', 'outOfTunnel', 'killSwitch'] as const;
export const LeakTestKindSchema = z.enum(LEAK_TESTS);
export type LeakTestKind = z.infer<typeof LeakTestKindSchema>;

export const LeakVerdictSchema = z.object({
  test: LeakTestKindSchema,
  verdict: z.enum(['passed', 'leaked', 'not_tested']),
  /** One sentence a person understands: what this result means for them. */
  summary: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  network: NetworkKindSchema.nullable(),
  ranAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
});
export type LeakVerdict = z.infer<typeof LeakVerdictSchema>;

export const MEASUREMENT_KINDS = ['connectTime', 'rtt', 'throughput', 'bootstrapTime'] as const;
export const MeasurementSchema = z.object({
  id: z.number().int(),
  network: NetworkKindSchema.nullable(),
  profileId: z.string().nullable(),
  kind: z.enum(MEASUREMENT_KINDS),
  /** Milliseconds for times, bits per second for throughput. */
  value: z.number(),
  unit: z.enum(['ms', 'bit/s']),
  /** Conditions: target, sample count, p95, ... */
  conditions: z.record(z.string(), z.unknown()),
  measuredAt: z.iso.datetime(),
});
export type Measurement = z.infer<typeof MeasurementSchema>;

export const LogEntrySchema = z.object({
  at: z.iso.datetime(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  source: z.string().max(64),
  message: z.string().max(4096),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;
