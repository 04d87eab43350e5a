// The Compare page in Chromium against a real host whose database holds measurements: the table and the
// charts show exactly the stored numbers; with a fresh database it says nothing was measured. (The lab
// test tests/lab/compare-measure-all.test.ts does the same with numbers measured through real tunnels.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measurement } from '../../app/domain/index.js';
import { openStore } from '../../app/store/index.js';
import { expectPageMatchesDatabase } from './compare-checks.js';
import type { CompareHost } from './compare-host.js';
import { openCompareInChromium, type CompareInChromium } from './support/compare-in-chromium.js';
import { ComparePage } from './pages/compare-page.js';
import { screenshot, SCREENSHOT_DIR } from './support/browser.js';

const POLL = { timeout: 10_000, interval: 100 };

function seed(dataDir: string): Measurement[] {
  const store = openStore(dataDir);
  const at = (minute: number, second = 0): string => new Date(Date.UTC(2026, 0, 1, 10, minute, second)).toISOString();
  const add = (network: 'wireguard' | 'tor' | null, kind: Measurement['kind'], value: number, measuredAt: string, conditions: Record<string, unknown> = {}): void => {
    store.results.addMeasurement({ network, profileId: network, kind, value, unit: kind === 'throughput' ? 'bit/s' : 'ms', conditions, measuredAt });
  };
  add(null, 'rtt', 0.42, at(0), { p95Ms: 0.61 });
  add(null, 'throughput', 9_870_000_000, at(0, 10), { method: 'http' });
  add('wireguard', 'connectTime', 412, at(1));
  add('wireguard', 'rtt', 1.37, at(1, 1), { p95Ms: 2.2 });
  add('wireguard', 'throughput', 228_500_000, at(1, 5), { method: 'http' });
  add('tor', 'connectTime', 3210, at(2));
  add('tor', 'bootstrapTime', 2877, at(2));
  add('tor', 'rtt', 24.6, at(2, 1), { p95Ms: 31 });
  add('tor', 'throughput', 17_250_000, at(2, 6), { method: 'http' });
  add('wireguard', 'rtt', 1.52, at(3, 1), { p95Ms: 2.9 });
  add('wireguard', 'throughput', 241_000_000, at(3, 5), { method: 'http' });
  const stored = store.results.measurements(1000);
  store.close();
  return stored;
}

describe('Compare page against a real host', () => {
  let dir: string;
  let ui: CompareInChromium | undefined;
  let compare: CompareHost | undefined;
  let page: Page | undefined;
  let errors: string[] = [];
  let stored: Measurement[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'burrow-ui-compare-'));
    stored = seed(join(dir, 'data'));
    ui = await openCompareInChromium(join(dir, 'data'), dir);
    ({ compare, page, errors } = ui);
  });

  afterAll(async () => {
    await ui?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('the cards, the folded table and all three charts show the host’s numbers, nothing else', async () => {
    if (!page || !compare) throw new Error('not started');
    const view = new ComparePage(page);
    await view.goto('Compare');
    const comparison = await compare.handlers.getComparison({});
    await expectPageMatchesDatabase(view, stored, comparison);
    expect(await view.measuredCell('throughput', 'wireguard').textContent()).toBe('241 Mbit/s (http)');
    expect(await view.measuredCell('rttP95', 'tor').textContent()).toBe('31 ms');
    expect(await view.measuredCell('throughput', 'nym').textContent()).toBe('not measured');
    expect(await view.findings.textContent()).toContain('Download: No tunnel was fastest');
    expect(await view.chartValues(view.privacyChart)).toEqual(['No tunnel | 9870 Mbit/s | privacy 0', 'WireGuard VPN | 241 Mbit/s | privacy 1', 'Tor | 17.25 Mbit/s | privacy 2']);
    // (The scatter's marks, one per network with a download and placed by its numbers: expectPageMatchesDatabase.)
    await view.table.scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-measured-light');
    await view.rttChart.locator('xpath=..').screenshot({ path: join(SCREENSHOT_DIR, 'compare-charts-light.png') });
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('“Measure all” without a leak server shows the host’s refusal word for word', async () => {
    if (!page || !compare) throw new Error('not started');
    const view = new ComparePage(page);
    let expected = '';
    try {
      await compare.handlers.measureAll({});
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(expected).toMatch(/leak server|no profile/i);
    await view.measureAll.click();
    await expect.poll(() => page?.getByTestId('measure-error').textContent(), POLL).toBe(expected);
  });
});
