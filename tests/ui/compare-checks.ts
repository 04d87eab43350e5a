// What the Compare page must show for a given database and the host's own comparison (read over the
// contract): in the first view, each network's card with the host's latest numbers, privacy rank and leak
// counts, and the scatter with one mark per network with a download, placed by its numbers; beyond it (the
// folded details) every measured cell of every network, the leak counts and the privacy rank, and the
// charts over time with every stored RTT and download, one line and one mark per point. Shared by the UI
// test and the lab acceptance test.
import { expect } from 'vitest';
import type { Comparison, ComparisonRow } from '../../app/contract/index.js';
import type { Measurement } from '../../app/domain/index.js';
import { latestByNetwork } from '../../app/measure/build-comparison.js';
import { formatBitsPerSecond, NOT_MEASURED } from '../../renderer/src/lib/format.js';
import { formatMeasuredMs as formatMs } from '../../renderer/src/pages/compare/compare-format.js';
import { formatMbps } from '../../renderer/src/pages/compare/glance-data.js';
import type { ComparePage } from './pages/compare-page.js';

const POLL = { timeout: 15_000, interval: 100 };

/** The leak counts as a person reads them in the table ("5 passed, 1 not tested"), from the host's numbers. */
function leaksCell(row: ComparisonRow): string {
  if (!row.leaks) return 'not tested';
  return [`${row.leaks.passed} passed`, ...(row.leaks.leaked > 0 ? [`${row.leaks.leaked} leaked`] : []), ...(row.leaks.notTested > 0 ? [`${row.leaks.notTested} not tested`] : [])].join(', ');
}

/** The same counts as the card's chip says them. */
function leaksChip(row: ComparisonRow): string {
  if (!row.leaks) return 'leak tests not run';
  if (row.leaks.leaked > 0) return `${row.leaks.leaked} leaked`;
  if (row.leaks.notTested > 0) return `${row.leaks.passed} passed, ${row.leaks.notTested} not tested`;
  return `all ${row.leaks.passed} passed`;
}

/** The first view: one card per network of the host's comparison, each with that network's own numbers. */
export async function expectGlancesMatchComparison(page: ComparePage, comparison: Comparison): Promise<void> {
  await page.overview.waitFor(POLL);
  for (const row of comparison.rows) {
    const card = page.glance(row.network);
    const m = row.measured;
    const text = (id: string): Promise<string | null> => card.getByTestId(id).textContent();
    await expect.poll(() => text('glance-download'), POLL).toBe(m.throughputBps === null ? NOT_MEASURED : formatMbps(m.throughputBps / 1e6));
    expect(await text('glance-rtt'), `${row.network} round trip`).toBe(m.rttMedianMs === null ? NOT_MEASURED : formatMs(m.rttMedianMs));
    if (row.network !== 'none') expect(await text('glance-connect'), `${row.network} connect`).toBe(m.connectTimeMs === null ? NOT_MEASURED : formatMs(m.connectTimeMs));
    const rank = row.privacyRank ?? null;
    expect(await text('glance-privacy'), `${row.network} privacy`).toMatch(new RegExp(`^Privacy ${rank === null ? '—' : `${rank} of 3`}`));
    expect(await text('glance-leaks'), `${row.network} leaks`).toBe(leaksChip(row));
  }
}

/** The folded details: every measured cell, the leak counts and the privacy rank of every network. */
export async function expectTableMatchesComparison(page: ComparePage, comparison: Comparison): Promise<void> {
  await page.openDetails();
  await page.table.waitFor(POLL);
  const levels = comparison.privacyScale?.levels ?? [];
  for (const row of comparison.rows) {
    const m = row.measured;
    const cell = (id: string): Promise<string | null> => page.measuredCell(id, row.network).textContent();
    const method = m.throughputBps !== null && m.throughputMethod ? ` (${m.throughputMethod})` : '';
    await expect.poll(() => cell('throughput'), POLL).toBe(`${formatBitsPerSecond(m.throughputBps)}${method}`);
    expect(await cell('rttMedian'), `${row.network} median`).toBe(formatMs(m.rttMedianMs));
    expect(await cell('rttP95'), `${row.network} p95`).toBe(formatMs(m.rttP95Ms));
    expect(await cell('connectTime'), `${row.network} connect`).toBe(formatMs(m.connectTimeMs));
    expect(await cell('bootstrapTime'), `${row.network} bootstrap`).toBe(formatMs(m.bootstrapTimeMs));
    expect(await page.table.getByTestId('measured-leaks').locator(`[data-network="${row.network}"]`).textContent(), `${row.network} leaks`).toBe(leaksCell(row));
    const rank = row.privacyRank ?? null;
    if (comparison.privacyScale) {
      expect(await page.table.getByTestId(`privacy-${row.network}`).textContent()).toBe(rank === null ? '—' : `${rank} — ${levels.find((l) => l.rank === rank)?.label ?? ''}`);
    }
  }
}

/** Where the scatter drew each network's mark (centre, page pixels), by its series id (the network). */
function markCentres(page: ComparePage): Promise<Record<string, { x: number; y: number; marks: number }>> {
  // The chart's drawing layer (the legend's little marks are svgs of their own).
  return page.privacyChart.locator('svg.MuiChartsSvgLayer-root').evaluate((svg) => {
    const out: Record<string, { x: number; y: number; marks: number }> = {};
    for (const series of svg.querySelectorAll('g.MuiScatterChart-series[data-series]')) {
      const marks = [...series.querySelectorAll('.MuiScatterChart-marker')];
      const box = marks[0]?.getBoundingClientRect();
      const id = series.getAttribute('data-series') ?? '';
      if (box) out[id] = { x: box.x + box.width / 2, y: box.y + box.height / 2, marks: marks.length };
    }
    return out;
  });
}

/** The scatter: one mark per network with a download; further right is faster, higher is more private. */
export async function expectScatterMatchesComparison(page: ComparePage, comparison: Comparison): Promise<void> {
  const measured = comparison.rows.filter((row) => row.measured.throughputBps !== null && row.privacyRank !== null && row.privacyRank !== undefined);
  const centres = await markCentres(page);
  expect(Object.keys(centres).sort()).toEqual(measured.map((row) => row.network).sort());
  for (const row of measured) expect(centres[row.network]?.marks, row.network).toBe(1);
  for (const a of measured) {
    for (const b of measured) {
      const [pa, pb] = [centres[a.network], centres[b.network]];
      if (!pa || !pb || a === b) continue;
      if ((a.measured.throughputBps ?? 0) > (b.measured.throughputBps ?? 0)) expect(pa.x, `${a.network} right of ${b.network}`).toBeGreaterThan(pb.x);
      if ((a.privacyRank ?? 0) > (b.privacyRank ?? 0)) expect(pa.y, `${a.network} above ${b.network}`).toBeLessThan(pb.y);
    }
  }
}

export async function expectPageMatchesDatabase(page: ComparePage, measurements: readonly Measurement[], comparison: Comparison): Promise<void> {
  await expectGlancesMatchComparison(page, comparison);
  await expectTableMatchesComparison(page, comparison);
  // The host's comparison is the latest record of each kind: the stored records say the same.
  for (const [network, kinds] of latestByNetwork(measurements)) {
    const row = comparison.rows.find((r) => r.network === (network ?? 'none'));
    if (kinds.throughput) expect(row?.measured.throughputBps, `${network} throughput`).toBe(kinds.throughput.value);
    if (kinds.rtt) expect(row?.measured.rttMedianMs, `${network} rtt`).toBe(kinds.rtt.value);
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
    // Drawn: one line per measured network, and on it one mark per stored measurement of that network.
    const networks = new Set(stored.map((m) => m.network ?? 'none'));
    expect(await chart.locator('svg path.MuiLineChart-line, svg .MuiLineElement-root').count()).toBe(networks.size);
    for (const network of networks) {
      const marks = await chart.locator(`svg .MuiLineChart-mark[data-series="${network}"], svg .MuiMarkElement-root[data-series="${network}"]`).count();
      expect(marks, `${kind} marks of ${network}`).toBe(stored.filter((m) => (m.network ?? 'none') === network).length);
    }
  }
  const withDownload = comparison.rows.filter((row) => row.measured.throughputBps !== null).length;
  expect(await page.chartValues(page.privacyChart)).toHaveLength(withDownload);
  if (withDownload > 0) await expectScatterMatchesComparison(page, comparison);
}
