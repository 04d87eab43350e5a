// What the Compare page's first view shows per network, computed from the host's records only: the latest
// number of each kind with the conditions it was measured under (when, how many samples, how long, which
// method), the privacy rank's label and the latest leak verdicts. Pure, so it is tested without a browser.
import type { Comparison, ComparisonRow } from '../../../../app/contract/index.js';
import type { Measurement } from '../../../../app/domain/index.js';

export interface GlanceNumber {
  value: number;
  /** "20 samples", "5 s, http": how this number was measured. */
  conditions: string;
  measuredAt: string;
}

export interface Glance {
  network: string;
  label: string;
  privacyRank: number | null;
  privacyLabel: string | null;
  downloadMbps: GlanceNumber | null;
  rttMs: GlanceNumber | null;
  connectMs: GlanceNumber | null;
  leaks: ComparisonRow['leaks'] | null;
}

function latest(measurements: readonly Measurement[], network: string, kind: Measurement['kind']): Measurement | undefined {
  let found: Measurement | undefined;
  for (const m of measurements) {
    if ((m.network ?? 'none') !== network || m.kind !== kind) continue;
    if (found === undefined || m.measuredAt > found.measuredAt || (m.measuredAt === found.measuredAt && m.id > found.id)) found = m;
  }
  return found;
}

const num = (conditions: Record<string, unknown>, key: string): number | undefined => {
  const value = conditions[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

function rttConditions(m: Measurement): string {
  const samples = num(m.conditions, 'samples');
  const p95 = num(m.conditions, 'p95Ms');
  return [samples === undefined ? undefined : `median of ${samples} round trips`, p95 === undefined ? undefined : `95th percentile ${p95 < 10 ? p95.toFixed(1) : Math.round(p95)} ms`]
    .filter(Boolean)
    .join(', ');
}

function downloadConditions(m: Measurement): string {
  const seconds = num(m.conditions, 'seconds');
  const method = typeof m.conditions.method === 'string' ? m.conditions.method : undefined;
  return [seconds === undefined ? undefined : `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s download`, method === undefined ? undefined : `by ${method}`]
    .filter(Boolean)
    .join(', ');
}

export function glanceRows(comparison: Comparison, measurements: readonly Measurement[]): Glance[] {
  const levels = comparison.privacyScale?.levels ?? [];
  return comparison.rows.map((row) => {
    const network = row.network;
    const rtt = latest(measurements, network, 'rtt');
    const download = latest(measurements, network, 'throughput');
    const connect = latest(measurements, network, 'connectTime');
    // The comparison's own numbers win (they are what the host calls latest); the stored records add the conditions.
    const pick = (value: number | null, m: Measurement | undefined, conditions: (m: Measurement) => string, scale = 1): GlanceNumber | null =>
      value === null ? null : { value: value / scale, conditions: m ? conditions(m) : '', measuredAt: m?.measuredAt ?? row.measured.measuredAt ?? '' };
    const rank = row.privacyRank ?? null;
    return {
      network,
      label: row.label,
      privacyRank: rank,
      privacyLabel: rank === null ? null : (levels.find((l) => l.rank === rank)?.label ?? null),
      downloadMbps: pick(row.measured.throughputBps, download, downloadConditions, 1e6),
      rttMs: pick(row.measured.rttMedianMs, rtt, rttConditions),
      connectMs: pick(row.measured.connectTimeMs, connect, () => 'connect button to first byte through the tunnel'),
      leaks: row.leaks ?? null,
    };
  });
}

/** "12.3 Mbit/s", "950 Mbit/s", "1.2 Gbit/s": a download in the unit a person reads. */
export function formatMbps(mbps: number): string {
  if (mbps >= 1000) return `${(mbps / 1000).toFixed(1)} Gbit/s`;
  if (mbps >= 100) return `${Math.round(mbps)} Mbit/s`;
  if (mbps >= 1) return `${mbps.toFixed(1)} Mbit/s`;
  return `${Math.round(mbps * 1000)} kbit/s`;
}

/** The leak verdicts as one word and a colour: what a person looks for first. */
export function leakVerdict(leaks: Glance['leaks']): { text: string; tone: 'success' | 'error' | 'warning' | 'default' } {
  if (!leaks) return { text: 'leak tests not run', tone: 'default' };
  if (leaks.leaked > 0) return { text: `${leaks.leaked} leaked`, tone: 'error' };
  if (leaks.notTested > 0) return { text: `${leaks.passed} passed, ${leaks.notTested} not tested`, tone: 'warning' };
  return { text: `all ${leaks.passed} passed`, tone: 'success' };
}
