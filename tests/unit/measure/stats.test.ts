import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from '../../../app/measure/stats.js';

describe('median and nearest-rank percentiles', () => {
  it('median: middle sample for odd counts, mean of the two middle ones for even counts, order does not matter', () => {
    expect(median([5])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 10, 10, 1000])).toBe(10);
  });

  it('p95 is always an observed sample (nearest rank)', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(twenty, 95)).toBe(19);
    expect(percentile(twenty, 100)).toBe(20);
    expect(percentile(twenty, 50)).toBe(10);
    expect(percentile([7], 95)).toBe(7);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 95)).toBe(10);
    expect(percentile(ten, 90)).toBe(9);
    // Shuffled input, one outlier: p95 of 100 samples ignores the worst five.
    const hundred = Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
    expect(percentile(hundred, 95)).toBe(94);
  });

  it('ignores non-finite values and refuses an empty set', () => {
    expect(median([1, Number.NaN, 3])).toBe(2);
    expect(() => median([])).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarize gives count, min, max, mean, median and p95 together', () => {
    expect(summarize([4, 2, 8, 6])).toEqual({ count: 4, min: 2, max: 8, mean: 5, median: 5, p95: 8 });
  });
});
