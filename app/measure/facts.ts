// The privacy facts per network (resources/compare/privacy-facts.json), checked when loaded: a cell
// without text, a source that is not an https link, or a network missing fails here, not on the page.
import { z } from 'zod';
import { NETWORK_KINDS } from '../domain/index.js';
import raw from '../../resources/compare/privacy-facts.json' with { type: 'json' };

const CellSchema = z.object({ text: z.string().min(1).max(400), source: z.url({ protocol: /^https$/ }).optional() }).strict();

const NetworkFactsSchema = z
  .object({ label: z.string().min(1).max(64), privacyRank: z.number().int().min(0) })
  .catchall(z.unknown());

export const PrivacyFactsSchema = z
  .object({
    about: z.string(),
    facts: z.array(z.object({ key: z.string().min(1), label: z.string().min(1) })).min(1),
    privacyScale: z.object({ question: z.string(), levels: z.array(z.object({ rank: z.number().int().min(0), label: z.string() })).min(2) }),
    networks: z.record(z.string(), NetworkFactsSchema),
  })
  .superRefine((value, ctx) => {
    const ranks = new Set(value.privacyScale.levels.map((level) => level.rank));
    for (const network of ['none', ...NETWORK_KINDS]) {
      const entry = value.networks[network];
      if (!entry) {
        ctx.addIssue({ code: 'custom', message: `no facts for ${network}` });
        continue;
      }
      if (!ranks.has(entry.privacyRank)) ctx.addIssue({ code: 'custom', message: `${network}: privacyRank ${entry.privacyRank} is not on the scale` });
      for (const { key } of value.facts) {
        const cell = CellSchema.safeParse(entry[key]);
        if (!cell.success) ctx.addIssue({ code: 'custom', message: `${network}.${key}: ${cell.error.issues[0]?.message ?? 'invalid'}` });
      }
    }
  });

export type FactCell = z.infer<typeof CellSchema>;
export type ComparedNetwork = 'none' | (typeof NETWORK_KINDS)[number];

export interface NetworkFacts {
  label: string;
  privacyRank: number;
  cells: Record<string, FactCell>;
}

export interface PrivacyFacts {
  facts: Array<{ key: string; label: string }>;
  privacyScale: { question: string; levels: Array<{ rank: number; label: string }> };
  /** In display order: no tunnel first, then the networks. */
  networks: Array<{ network: ComparedNetwork } & NetworkFacts>;
}

export function parsePrivacyFacts(input: unknown): PrivacyFacts {
  const parsed = PrivacyFactsSchema.parse(input);
  const order: ComparedNetwork[] = ['none', ...NETWORK_KINDS];
  return {
    facts: parsed.facts,
    privacyScale: parsed.privacyScale,
    networks: order.map((network) => {
      const entry = parsed.networks[network] as z.infer<typeof NetworkFactsSchema>;
      const cells: Record<string, FactCell> = {};
      for (const { key } of parsed.facts) cells[key] = CellSchema.parse(entry[key]);
      return { network, label: entry.label, privacyRank: entry.privacyRank, cells };
    }),
  };
}

let loaded: PrivacyFacts | undefined;

/** The facts shipped with Burrow (bundled into the build, so no file is read at run time). */
export function privacyFacts(): PrivacyFacts {
  loaded ??= parsePrivacyFacts(raw);
  return loaded;
}
