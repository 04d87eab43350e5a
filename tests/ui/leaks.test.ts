// The Leak tests page in Chromium against a real `burrow host --web` and a real `burrow leakd`, all on
// loopback: "Run all" fills the cards with the host's verdicts (read back from the same host's database over
// the control socket, never hard-coded), WebRTC candidates are gathered by this Chromium window, and the
// history chart shows the run.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAK_TESTS, type LeakTestKind } from '../../app/domain/index.js';
import { startLeakd, type RunningLeakd } from './leaks-servers.js';
import { LeakTestsPage } from './pages/leak-tests-page.js';
import { collectErrors, launchChromium, screenshot } from './support/browser.js';
import { burrowCli, startHost, type RunningHost } from './support/host-process.js';
import { CHIP, hostVerdicts } from './support/host-verdicts.js';
import { createPrivateNetns, type PrivateNetns } from './support/netns.js';

const POLL = { timeout: 20_000, interval: 100 };
const RUN_ALL: LeakTestKind[] = LEAK_TESTS.filter((test) => test !== 'killSwitch');
function addressesIn(value: unknown): string[] {
  if (typeof value === 'string') return /^[0-9a-f.:]+$/i.test(value) && value.includes('.') !== value.includes(':') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(addressesIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(addressesIn);
  return [];
}

// The host's DNS test resolves random names through the system resolver: in the machine's own namespace
// that would send them out of this machine. So host, leakd and Chromium run in a private namespace with
// only loopback, whose resolv.conf names leakd. Namespaces need root.
describe.skipIf(process.getuid?.() !== 0)('Leak tests page against a real host and leakd, in a namespace with only loopback', () => {
  let netns: PrivateNetns | undefined;
  let leakd: RunningLeakd | undefined;
  let host: RunningHost | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let errors: string[] = [];

  beforeAll(async () => {
    netns = createPrivateNetns();
    leakd = await startLeakd(netns);
    host = await startHost({ netns });
    const set = await burrowCli(host, ['settings', 'set', `leakServer=${leakd.url}`]);
    expect(set.code).toBe(0);
    browser = await launchChromium([], netns.chromium);
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(host.url);
    await page.getByTestId('tunnel-state').waitFor(POLL);
  }, 60_000);

  afterAll(async () => {
    if (page) await screenshot(page, 'leaks-last').catch(() => undefined);
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await host?.stop();
    await leakd?.stop();
    netns?.destroy();
  });

  it('“Run all” fills every card with the host’s verdict, evidence and network; history shows the run', async () => {
    if (!page || !host || !leakd) throw new Error('not started');
    const view = new LeakTestsPage(page);
    await view.goto('Leak tests');
    expect(await view.leakServerField.inputValue()).toBe(leakd.url);
    for (const text of await view.verdicts.allTextContents()) expect(text).toBe('No result yet');
    await screenshot(page, 'leaks-before');

    await view.runAll.click();
    await view.progress.waitFor(POLL);
    // Finished means a verdict chip a person can read on every card that ran ("Running…" is not one).
    const chips: string[] = Object.values(CHIP);
    await expect.poll(async () => (await view.verdicts.allTextContents()).filter((t) => chips.includes(t)).length, POLL).toBe(RUN_ALL.length);
    await view.progress.waitFor({ state: 'detached', timeout: 20_000 });

    const stored = await hostVerdicts(host);
    for (const test of RUN_ALL) {
      const verdict = stored[test];
      if (!verdict) throw new Error(`the host stored no ${test} verdict`);
      expect(await view.verdict(test).textContent()).toBe(CHIP[verdict.verdict]);
      expect(await view.summary(test).textContent()).toBe(verdict.summary);
      // No tunnel on this machine: every card says so in its "ran" line.
      expect(verdict.network).toBeNull();
      expect(await view.card(test).getByTestId('leak-ran').textContent()).toContain('no tunnel');
      const shown = Object.keys(verdict.evidence).length > 0 ? ((await view.evidence(test).textContent()) ?? '') : '';
      for (const address of addressesIn(verdict.evidence)) expect(shown).toContain(address);
    }
    expect(await view.verdict('killSwitch').textContent()).toBe('No result yet');

    // No tunnel on this machine: the leak server sees loopback, and the host says so.
    const exit = stored.exitIp;
    expect(exit?.verdict).toBe('leaked');
    expect(addressesIn(exit?.evidence)).toContain('127.0.0.1');
    expect(await view.evidence('exitIp').textContent()).toContain('127.0.0.1');
    // This window gathered candidates (the host got a list, not "not gathered").
    expect(Array.isArray(stored.webrtc?.evidence['candidates'])).toBe(true);

    await screenshot(page, 'leaks-verdicts');
    await view.historyChart.waitFor(POLL);
    // What the chart draws: one run, a stacked bar whose parts are the host's own counts (passed, leaked,
    // not tested), each part as tall as its count; and the numbers table under it says the same.
    const counts = (['passed', 'leaked', 'not_tested'] as const).map((verdict) => RUN_ALL.filter((test) => stored[test]?.verdict === verdict).length);
    expect(await view.historyRuns.count()).toBe(1);
    expect((await view.historyRuns.first().locator('td').allTextContents()).slice(1)).toEqual(counts.map(String));
    const bySeries = { passed: counts[0] ?? 0, leaked: counts[1] ?? 0, notTested: counts[2] ?? 0 };
    // Each drawn part in tests (pixels over pixels per test, from the tallest part), once the bars have grown in.
    const drawn = async (): Promise<Record<string, number>> => {
      const heights = await view.historyBarHeights();
      const unit = Math.max(...Object.values(heights)) / Math.max(...Object.values(bySeries));
      return Object.fromEntries(Object.entries(heights).map(([series, px]) => [series, Math.round(px / unit)]));
    };
    await expect.poll(drawn, POLL).toEqual(Object.fromEntries(Object.entries(bySeries).filter(([, count]) => count > 0)));
    await view.history.scrollIntoViewIfNeeded();
    await view.history.screenshot({ path: (await screenshot(page, 'leaks-full')).replace('leaks-full', 'leaks-history') });
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  }, 90_000);
});
