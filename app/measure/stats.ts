// The statistics every measurement reports. Percentiles use the nearest-rank method: the value reported
// is always one that was actually observed (the p95 of 20 samples is the 19th smallest), never an
// interpolation between two samples.

function sorted(values: readonly number[]): number[] {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) throw new RangeError('no samples to summarise');
  return [...finite].sort((a, b) => a - b);
}

/** Nearest-rank percentile, p in (0, 100]: the smallest sample with at least p% of samples at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const list = sorted(values);
  const rank = Math.ceil((p / 100) * list.length);
  return list[Math.min(list.length, Math.max(1, rank)) - 1] as number;
}

/** The middle sample, or the mean of the two middle samples for an even count. */
export function median(values: readonly number[]): number {
  const list = sorted(values);
  const mid = Math.floor(list.length / 2);
  return list.length % 2 === 1 ? (list[mid] as number) : ((list[mid - 1] as number) + (list[mid] as number)) / 2;
}

export interface Summary {
  count: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p95: number;
}

export function summarize(values: readonly number[]): Summary {
  const list = sorted(values);
  const mean = list.reduce((sum, value) => sum + value, 0) / list.length;
  return {
    count: list.length,
    min: list[0] as number,
    max: list[list.length - 1] as number,
    mean,
    median: median(list),
    p95: percentile(list, 95),
  };
}

/** Milliseconds rounded to 0.01 ms: enough for a network round trip, short in JSON. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
