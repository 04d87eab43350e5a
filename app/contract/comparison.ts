// The Compare page's document: privacy facts with sources, and the latest numbers measured on this machine.
import { z } from 'zod';
import { NetworkKindSchema } from '../domain/index.js';

export const FactSchema = z.object({ text: z.string(), source: z.string().optional() });

export const ComparisonRowSchema = z.object({
  network: z.union([NetworkKindSchema, z.literal('none')]),
  label: z.string(),
  facts: z.record(z.string(), FactSchema),
  measured: z.object({
    connectTimeMs: z.number().nullable(),
    rttMedianMs: z.number().nullable(),
    rttP95Ms: z.number().nullable(),
    throughputBps: z.number().nullable(),
    bootstrapTimeMs: z.number().nullable(),
    measuredAt: z.iso.datetime().nullable(),
  }),
});
export type ComparisonRow = z.infer<typeof ComparisonRowSchema>;

export const ComparisonSchema = z.object({ rows: z.array(ComparisonRowSchema) });
export type Comparison = z.infer<typeof ComparisonSchema>;
