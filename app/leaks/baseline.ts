// The no-tunnel baseline: what sites and resolvers saw when no tunnel was up. The host keeps leak verdicts in
// the store; the newest no-tunnel exit-IP and DNS verdicts are the baseline the next run with a tunnel is
// judged against ("is this still your own address?").
import type { LeakVerdict } from '../domain/index.js';
import type { LeakBaseline } from './types.js';

const ipOf = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The newest baseline in `verdicts` (any order); undefined when no run without a tunnel saw anything. */
export function baselineFromVerdicts(verdicts: readonly LeakVerdict[]): LeakBaseline | undefined {
  const newestFirst = [...verdicts].filter((v) => v.network === null).sort((a, b) => b.ranAt.localeCompare(a.ranAt));
  const exit = newestFirst.find((v) => v.test === 'exitIp' && (ipOf(v.evidence.v4) ?? ipOf(v.evidence.v6)) !== undefined);
  const dns = newestFirst.find((v) => v.test === 'dns' && Array.isArray(v.evidence.resolvers) && v.evidence.resolvers.length > 0);
  if (exit === undefined && dns === undefined) return undefined;
  const baseline: LeakBaseline = {};
  const v4 = ipOf(exit?.evidence.v4);
  const v6 = ipOf(exit?.evidence.v6);
  if (v4 !== undefined) baseline.v4 = v4;
  if (v6 !== undefined) baseline.v6 = v6;
  if (dns !== undefined) {
    baseline.resolvers = (dns.evidence.resolvers as unknown[])
      .map((r) => (typeof r === 'object' && r !== null ? ipOf((r as { ip?: unknown }).ip) : undefined))
      .filter((ip): ip is string => ip !== undefined);
  }
  const newest = [exit?.ranAt, dns?.ranAt].filter((t): t is string => t !== undefined).sort().pop();
  if (newest !== undefined) baseline.measuredAt = newest;
  return baseline;
}
