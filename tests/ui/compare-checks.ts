// What the Compare page must show for a given database: the latest number of each kind per network in the
// table (formatted as the page formats it), every stored RTT and download in the charts over time, and
// one line per measured network. Shared by the UI test and the lab acceptance test.
import { expect } from 'vitest';
import type { Comparison } from '../../app/contract/index.js';
import type { Measurement } from '../../app/domain/index.js';
import { latestByNetwork } from '../../app/measure/build-comparison.js';
import { formatBitsPerSecond } from '../../renderer/src/lib/format.js';
import { formatMeasuredMs as formatMs } from '../../renderer/src/pages/compare/compare-format.js';
import type { ComparePage } from './pages/compare-page.js';

const POLL = { timeout: 15_000, interval: 100 };

export async function expectPageMatchesDatabase(page: ComparePage, measurements: readonly Measurement[], comparison: Comparison): Promise<void> {
  await page.table.waitFor(POLL);
  const latest = latestByNetwork(measurements);
  for (const [network, kinds] of latest) {
    if (kinds.throughput) {
      const method = typeof kinds.throughput.conditions.method === 'string' ? ` (${kinds.throughput.conditions.method})` : '';
      await expect.poll(() => page.measuredCell('throughput', network).textContent(), POLL).toBe(`${formatBitsPerSecond(kinds.throughput.value)}${method}`);
    }
    if (kinds.rtt) expect(await page.measuredCell('rttMedian', network).textContent()).toBe(formatMs(kinds.rtt.value));
    if (kinds.connectTime) expect(await page.measuredCell('connectTime', network).textContent()).toBe(formatMs(kinds.connectTime.value));
    if (kinds.bootstrapTime) expect(await page.measuredCell('bootstrapTime', network).textContent()).toBe(formatMs(kinds.bootstrapTime.value));
  }
  const label = (network: string | null): string => comparison.rows.find((row) => row.network === (network ?? 'none'))?.label ?? String(network);
  for (const [kind, chart, unit, scale] of [
    ['rtt', page.rttChart, 'ms', 1],
    ['throughput', page.throughputChart, 'Mbit/s', 1e6],
  ] as const) {
    const stored = measurements.filter((m) => m.kind === kind);
    const listed = await page.chartValues(chart);
    expect(listed).toHaveLength(stored.length);
    for (const m of stored) {
      const value = kind === 'throughput' ? Math.round((m.value / scale) * 100) / 100 : m.value;
      expect(listed.some((row) => row.startsWith(`${label(m.network)} | `) && row.endsWith(` | ${value} ${unit}`)), `${kind} ${m.id} ${value}`).toBe(true);
    }
    // One drawn line per measured network.
    const networks = new Set(stored.map((m) => m.network));
    expect(await chart.locator('svg path.MuiLineChart-line, svg .MuiLineElement-root').count()).toBe(networks.size);
  }
  const withDownload = [...latest.values()].filter((kinds) => kinds.throughput !== undefined).length;
  expect(await page.chartValues(page.privacyChart)).toHaveLength(withDownload);
}
