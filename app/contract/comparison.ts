// The Compare page's document: privacy facts with sources, and the latest numbers measured on this machine.
import { z } from 'zod';
import { MEASUREMENT_KINDS, MeasurementSchema, NetworkKindSchema, ProfileIdSchema, TunnelStateSchema } from '../domain/index.js';

export const FactSchema = z.object({ text: z.string(), source: z.string().optional() });

/** Measured on the network the person is on now (Smart connect's attempts): does this network get out here? */
export const GetsThroughSchema = z.object({
  verdict: z.enum(['yes', 'no', 'untested']),
  /** What a person reads: "Yes, with WireGuard over Shadowsocks (WireGuard blocked)". */
  text: z.string(),
  /** When the outcome shown was measured. */
  at: z.iso.datetime().nullable(),
});
export type GetsThrough = z.infer<typeof GetsThroughSchema>;

export const ComparisonRowSchema = z.object({
  network: z.union([NetworkKindSchema, z.literal('none')]),
  label: z.string(),
  facts: z.record(z.string(), FactSchema),
  /** Where the network sits on the comparison's privacy scale (0 = least protection). */
  privacyRank: z.number().int().min(0).max(10).nullable().optional(),
  measured: z.object({
    connectTimeMs: z.number().nullable(),
    rttMedianMs: z.number().nullable(),
    rttP95Ms: z.number().nullable(),
    throughputBps: z.number().nullable(),
    bootstrapTimeMs: z.number().nullable(),
    measuredAt: z.iso.datetime().nullable(),
    /** How the throughput was measured (`iperf3` or `http`), so numbers of different methods are not mixed up. */
    throughputMethod: z.string().nullable().optional(),
    /** The profile the latest numbers were measured with. */
    profileName: z.string().nullable().optional(),
  }),
  /** The latest leak verdicts for this network, counted. */
  leaks: z
    .object({ passed: z.number().int(), leaked: z.number().int(), notTested: z.number().int(), ranAt: z.iso.datetime() })
    .nullable()
    .optional(),
  getsThrough: GetsThroughSchema.optional(),
});
export type ComparisonRow = z.infer<typeof ComparisonRowSchema>;

export const ComparisonSchema = z.object({
  rows: z.array(ComparisonRowSchema),
  /** The facts' keys in display order, with their labels. */
  factLabels: z.array(z.object({ key: z.string(), label: z.string() })).optional(),
  /** What privacyRank means: the question, and one label per rank. */
  privacyScale: z.object({ question: z.string(), levels: z.array(z.object({ rank: z.number().int(), label: z.string() })) }).optional(),
  /** Sentences comparing the measured numbers ("WireGuard VPN downloaded 9.1× faster than Tor."). */
  findings: z.array(z.string()).optional(),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

// "Measure all": the request's knobs, the answer, and the progress event pushed while it runs.
export const MEASURE_PHASES = ['baseline', 'connecting', 'connectTime', 'bootstrapTime', 'rtt', 'throughput', 'leaks', 'returning', 'done', 'cancelled'] as const;

export const MeasureAllRequestSchema = z
  .object({
    /** Profile ids, in order; default every profile. */
    profiles: z.array(ProfileIdSchema).min(1).max(32).optional(),
    kinds: z.array(z.enum(MEASUREMENT_KINDS)).min(1).optional(),
    /** Round trips per network (default 20). */
    samples: z.number().int().min(3).max(200).optional(),
    /** Seconds of download per network (default 5). */
    throughputSeconds: z.number().int().min(1).max(60).optional(),
    /** `auto`: iperf3 when a server is given and usable, else an HTTP download from the leak server. */
    method: z.enum(['auto', 'http', 'iperf3']).optional(),
    /** iperf3 server as host:port. */
    iperf3: z.string().min(1).max(300).optional(),
    /** Also measure with no tunnel, first (only when disconnected and not locked down). */
    baseline: z.boolean().optional(),
    /** Also run the leak tests on each network (their verdicts are stored as usual). */
    leaks: z.boolean().optional(),
  })
  .strict();

export const MeasureProblemSchema = z.object({
  profileId: z.string().nullable(),
  network: NetworkKindSchema.nullable(),
  kind: z.union([z.enum(MEASUREMENT_KINDS), z.literal('connect'), z.literal('leaks')]),
  message: z.string(),
});

export const MeasureAllResultSchema = z.object({
  runId: z.string(),
  measurements: z.array(MeasurementSchema),
  skipped: z.array(z.object({ profileId: z.string(), network: NetworkKindSchema, reason: z.string() })),
  problems: z.array(MeasureProblemSchema),
  cancelled: z.boolean(),
  /** With `leaks`: the leak verdicts per profile, counted. */
  leaks: z
    .array(z.object({ profileId: z.string(), network: NetworkKindSchema, passed: z.number().int(), leaked: z.number().int(), notTested: z.number().int() }))
    .optional(),
  returnedTo: TunnelStateSchema,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
});
export type MeasureAllResultInfo = z.infer<typeof MeasureAllResultSchema>;

export const MeasureProgressSchema = z.object({
  runId: z.string(),
  step: z.number().int().min(0),
  of: z.number().int().min(0),
  profileId: z.string().nullable(),
  profileName: z.string().nullable(),
  network: NetworkKindSchema.nullable(),
  phase: z.enum(MEASURE_PHASES),
  percent: z.number().min(0).max(100).optional(),
  message: z.string(),
});
export type MeasureProgressInfo = z.infer<typeof MeasureProgressSchema>;
