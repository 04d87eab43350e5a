// What the Compare charts plot, computed from the host's records only: every point is a stored
// measurement (or, for the scatter, a row's latest number and its privacy rank). Pure, so it is tested
// without a browser.
import type { ComparisonRow } from '../../../../app/contract/index.js';
import type { Measurement } from '../../../../app/domain/index.js';

export type SeriesKind = 'rtt' | 'throughput';

export interface TimePoint {
  network: string;
  label: string;
  at: Date;
  /** Milliseconds for rtt (the median), Mbit/s for throughput. */
  value: number;
  measurementId: number;
}

export interface TimeSeries {
  /** Every time any network was measured, oldest first: the shared x axis. */
  times: Date[];
  series: Array<{ id: string; label: string; data: Array<number | null> }>;
  points: TimePoint[];
}

/** The row label of a measurement's network (`null` network: measured with no tunnel). */
export function labelFor(network: string | null, rows: readonly ComparisonRow[]): string {
  const key = network ?? 'none';
  return rows.find((row) => row.network === key)?.label ?? key;
}

export function toChartValue(kind: SeriesKind, value: number): number {
  return kind === 'throughput' ? Math.round((value / 1e6) * 100) / 100 : value;
}

export function timeSeries(measurements: readonly Measurement[], kind: SeriesKind, rows: readonly ComparisonRow[]): TimeSeries {
  const points: TimePoint[] = measurements
    .filter((m) => m.kind === kind && Number.isFinite(m.value))
    .map((m) => ({
      network: m.network ?? 'none',
      label: labelFor(m.network, rows),
      at: new Date(m.measuredAt),
      value: toChartValue(kind, m.value),
      measurementId: m.id,
    }))
    .filter((p) => !Number.isNaN(p.at.getTime()))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.measurementId - b.measurementId);
  const times = [...new Set(points.map((p) => p.at.getTime()))].map((t) => new Date(t));
  const index = new Map(times.map((t, i) => [t.getTime(), i]));
  const networks = [...new Set(points.map((p) => p.network))];
  const series = networks.map((network) => {
    const data: Array<number | null> = times.map(() => null);
    for (const p of points) if (p.network === network) data[index.get(p.at.getTime()) ?? 0] = p.value;
    return { id: network, label: labelFor(network === 'none' ? null : network, rows), data };
  });
  return { times, series, points };
}

export interface ScatterPoint {
  id: string;
  label: string;
  /** Mbit/s (latest throughput). */
  x: number;
  /** Privacy rank. */
  y: number;
}

/** One point per network with both a measured download and a privacy rank. */
export function scatterPoints(rows: readonly ComparisonRow[]): ScatterPoint[] {
  return rows.flatMap((row) =>
    row.measured.throughputBps !== null && row.privacyRank !== null && row.privacyRank !== undefined
      ? [{ id: row.network, label: row.label, x: toChartValue('throughput', row.measured.throughputBps), y: row.privacyRank }]
      : [],
  );
}
