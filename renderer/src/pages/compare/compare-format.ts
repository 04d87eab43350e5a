// Numbers on the Compare page: round trips in a lab or on a LAN are well under a millisecond, so times
// below 10 ms keep one decimal (the shared formatter rounds them to whole milliseconds).
import { formatMs } from '../../lib/format.js';

export function formatMeasuredMs(value: number | null | undefined): string {
  if (value === null || value === undefined || value >= 10) return formatMs(value);
  return `${value.toFixed(1)} ms`;
}

/** A log axis when the values span more than 20×, so a slow network is not flattened against a fast one. */
export function axisScale(values: readonly number[]): 'log' | 'linear' {
  const positive = values.filter((v) => v > 0);
  if (positive.length < 2) return 'linear';
  return Math.max(...positive) / Math.min(...positive) > 20 ? 'log' : 'linear';
}
