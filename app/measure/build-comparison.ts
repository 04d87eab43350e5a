// buildComparison: the Compare table from the facts and the stored records. Pure: no clock, no store.
// Each row's numbers are the latest stored measurement of each kind for that network (`none` = measured
// with no tunnel); a kind never measured stays null — the page says "not measured", never a guess.
import type { Comparison, ComparisonRow, GetsThrough } from '../contract/index.js';
import type { LeakVerdict, Measurement, NetworkKind } from '../domain/index.js';
import type { ComparedNetwork, PrivacyFacts } from './facts.js';

type Kind = Measurement['kind'];

function networkOf(measurement: Pick<Measurement, 'network'>): ComparedNetwork {
  return measurement.network ?? 'none';
}

function newer(a: Measurement, b: Measurement): boolean {
  return a.measuredAt > b.measuredAt || (a.measuredAt === b.measuredAt && a.id > b.id);
}

/** The latest measurement per network and kind. */
export function latestByNetwork(measurements: readonly Measurement[]): Map<ComparedNetwork, Partial<Record<Kind, Measurement>>> {
  const latest = new Map<ComparedNetwork, Partial<Record<Kind, Measurement>>>();
  for (const measurement of measurements) {
    const network = networkOf(measurement);
    const kinds = latest.get(network) ?? {};
    const known = kinds[measurement.kind];
    if (!known || newer(measurement, known)) kinds[measurement.kind] = measurement;
    latest.set(network, kinds);
  }
  return latest;
}

function numberIn(conditions: Record<string, unknown>, key: string): number | null {
  const value = conditions[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringIn(conditions: Record<string, unknown> | undefined, key: string): string | null {
  const value = conditions?.[key];
  return typeof value === 'string' ? value : null;
}

function measuredOf(kinds: Partial<Record<Kind, Measurement>>): ComparisonRow['measured'] {
  const used = Object.values(kinds);
  const latest = used.reduce<Measurement | undefined>((best, m) => (!best || newer(m, best) ? m : best), undefined);
  return {
    connectTimeMs: kinds.connectTime?.value ?? null,
    rttMedianMs: kinds.rtt?.value ?? null,
    rttP95Ms: kinds.rtt ? numberIn(kinds.rtt.conditions, 'p95Ms') : null,
    throughputBps: kinds.throughput?.value ?? null,
    bootstrapTimeMs: kinds.bootstrapTime?.value ?? null,
    measuredAt: latest?.measuredAt ?? null,
    throughputMethod: stringIn(kinds.throughput?.conditions, 'method'),
    profileName: stringIn(latest?.conditions, 'profileName'),
  };
}

/** The latest verdict of each test for a network, counted. */
function leakSummary(verdicts: readonly LeakVerdict[], network: ComparedNetwork): ComparisonRow['leaks'] {
  const latest = new Map<string, LeakVerdict>();
  for (const verdict of verdicts) {
    if ((verdict.network ?? 'none') !== network) continue;
    const known = latest.get(verdict.test);
    if (!known || verdict.ranAt > known.ranAt) latest.set(verdict.test, verdict);
  }
  if (latest.size === 0) return null;
  const list = [...latest.values()];
  return {
    passed: list.filter((v) => v.verdict === 'passed').length,
    leaked: list.filter((v) => v.verdict === 'leaked').length,
    notTested: list.filter((v) => v.verdict === 'not_tested').length,
    ranAt: list.map((v) => v.ranAt).sort().at(-1) as string,
  };
}

function ratio(a: number, b: number): string {
  const r = a / b;
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`;
}

function ms(value: number): string {
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

function mbit(bps: number): string {
  const m = bps / 1e6;
  return m >= 100 ? `${Math.round(m)} Mbit/s` : `${m.toFixed(1)} Mbit/s`;
}

/** Plain sentences comparing the fastest and slowest measured networks. */
export function findings(rows: readonly ComparisonRow[]): string[] {
  const out: string[] = [];
  const fast = rows.filter((row) => row.measured.throughputBps !== null).sort((a, b) => (b.measured.throughputBps ?? 0) - (a.measured.throughputBps ?? 0));
  const top = fast[0];
  const bottom = fast.at(-1);
  if (top && bottom && top !== bottom && (bottom.measured.throughputBps ?? 0) > 0) {
    const methods = new Set(fast.map((row) => row.measured.throughputMethod ?? 'unknown'));
    out.push(
      `Download: ${top.label} was fastest (${mbit(top.measured.throughputBps ?? 0)}), ${ratio(top.measured.throughputBps ?? 0, bottom.measured.throughputBps ?? 1)} faster than ${bottom.label} (${mbit(bottom.measured.throughputBps ?? 0)})` +
        (methods.size > 1 ? ' — measured with different methods, so compare with care.' : '.'),
    );
  }
  const quick = rows.filter((row) => row.measured.rttMedianMs !== null).sort((a, b) => (a.measured.rttMedianMs ?? 0) - (b.measured.rttMedianMs ?? 0));
  const low = quick[0];
  const high = quick.at(-1);
  if (low && high && low !== high) {
    out.push(`Round trip: ${low.label} had the shortest (median ${ms(low.measured.rttMedianMs ?? 0)}), ${high.label} the longest (median ${ms(high.measured.rttMedianMs ?? 0)}).`);
  }
  return out;
}

export function buildComparison(
  facts: PrivacyFacts,
  measurements: readonly Measurement[],
  leaks: readonly LeakVerdict[] = [],
  getsThrough: Partial<Record<NetworkKind, GetsThrough>> = {},
): Comparison {
  const latest = latestByNetwork(measurements);
  const rows: ComparisonRow[] = facts.networks.map((entry) => ({
    network: entry.network,
    label: entry.label,
    facts: Object.fromEntries(facts.facts.map(({ key }) => [key, entry.cells[key] ?? { text: '—' }])),
    privacyRank: entry.privacyRank,
    measured: measuredOf(latest.get(entry.network) ?? {}),
    leaks: leakSummary(leaks, entry.network),
    ...(entry.network !== 'none' && getsThrough[entry.network] !== undefined ? { getsThrough: getsThrough[entry.network] } : {}),
  }));
  return { rows, factLabels: facts.facts, privacyScale: facts.privacyScale, findings: findings(rows) };
}
