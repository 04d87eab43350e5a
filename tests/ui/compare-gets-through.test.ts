// Compare's "gets through here?" in Chromium against a real host: what Smart connect measured on the
// network this machine is on (its memory file, as the walk writes it) is what a person reads on each
// network's card and in the table; a network never tried here says so, and another network's outcomes
// never show.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentNetwork, networkKey } from '../../app/smart/index.js';
import { openCompareInChromium, type CompareInChromium } from './support/compare-in-chromium.js';
import { ComparePage } from './pages/compare-page.js';

const POLL = { timeout: 10_000, interval: 100 };
const at = (minute: number): string => new Date(Date.UTC(2026, 11, 2, 6, minute)).toISOString();

describe('Compare: gets through here? (Smart connect’s outcomes on this network)', () => {
  let dir: string;
  let ui: CompareInChromium | undefined;
  let page: Page | undefined;
  let errors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'burrow-ui-gets-through-'));
    const key = networkKey(currentNetwork());
    // The host reads the network it is on itself: without a default route there is nothing to key on and
    // this test could not show anything, so it says so instead of passing.
    if (key === undefined) throw new Error('this machine has no default route: Smart connect keeps no memory here');
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'smart-connect.json'), JSON.stringify({
      [key]: {
        fastest: { rung: 'wireguard-shadowsocks', at: at(2) },
        rungs: {
          wireguard: { through: false, at: at(1) },
          'wireguard-shadowsocks': { through: true, at: at(2) },
          tor: { through: false, at: at(3) },
        },
      },
      // Another network (a café): its outcomes must not show here.
      'lan:10.99.0.0/24': { rungs: { nym: { through: true, at: at(4) } } },
    }), { mode: 0o600 });
    ui = await openCompareInChromium(dataDir, dir);
    ({ page, errors } = ui);
  });

  afterAll(async () => {
    await ui?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('each card says whether its network got out here, with which way and what was blocked', async () => {
    if (!page) throw new Error('not started');
    const view = new ComparePage(page);
    await view.goto('Compare');
    const line = (network: string) => view.glance(network).getByTestId('glance-gets-through');
    await expect.poll(() => line('wireguard').textContent(), POLL).toBe('Yes, with WireGuard over Shadowsocks (WireGuard blocked)');
    expect(await line('tor').textContent()).toBe('No: Tor blocked');
    expect(await line('nym').textContent()).toBe('Not tried on this network');
    expect(await line('dvpn').textContent()).toBe('Not on Smart connect’s ladder');
    // The no-tunnel card has no such line: it is not a way out.
    expect(await line('none').count()).toBe(0);
    // When, as the page's own locale writes the date.
    const when = await page.evaluate((iso) => new Date(iso).toLocaleString(), at(2));
    expect(await view.glance('wireguard').textContent()).toContain(`Smart connect, ${when}`);
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('the table has the same row, one cell per network', async () => {
    if (!page) throw new Error('not started');
    const view = new ComparePage(page);
    await view.openDetails();
    await view.table.waitFor(POLL);
    const when = await page.evaluate((iso) => new Date(iso).toLocaleString(), at(2));
    expect(await view.measuredCell('getsThrough', 'wireguard').textContent()).toBe(`Yes, with WireGuard over Shadowsocks (WireGuard blocked) (${when})`);
    expect(await view.measuredCell('getsThrough', 'nym').textContent()).toBe('Not tried on this network');
    expect(await view.measuredCell('getsThrough', 'none').textContent()).toBe('—');
  });
});
