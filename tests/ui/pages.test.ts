// Every page against a real host: what is not built says so plainly, host errors are shown verbatim, the
// logs are the host's, and each page is photographed in both themes for a person to look at.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../app/contract/index.js';
import { LEAK_TESTS, type LeakTestKind } from '../../app/domain/index.js';
import { expectGlancesMatchComparison, expectTableMatchesComparison } from './compare-checks.js';
import type { PageName } from './pages/app-shell.js';
import { AppShell } from './pages/app-shell.js';
import { ComparePage } from './pages/compare-page.js';
import { LeakTestsPage } from './pages/leak-tests-page.js';
import { LogsPage } from './pages/logs-page.js';
import { ProfilesPage } from './pages/profiles-page.js';
import { collectErrors, launchChromium, screenshot } from './support/browser.js';
import { burrowCli, startHost, type RunningHost } from './support/host-process.js';
import { CHIP, hostVerdicts } from './support/host-verdicts.js';

const POLL = { timeout: 10_000, interval: 100 };
const RUN_ALL: LeakTestKind[] = LEAK_TESTS.filter((test) => test !== 'killSwitch');
const BAD_PROFILE = '[Interface]\nPrivateKey = not-a-key\nAddress = 10.0.0.2/32\n';

let host: RunningHost | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page | undefined;
let errors: string[] = [];
let scratch: string | undefined;

function app(): { host: RunningHost; page: Page } {
  if (!host || !page) throw new Error('The host or the browser did not start.');
  return { host, page };
}

async function hostError(args: string[]): Promise<{ code: string; message: string }> {
  const result = await burrowCli(app().host, args);
  expect(result.code).not.toBe(0);
  return (result.json as { error: { code: string; message: string } }).error;
}

/** The host's `not_implemented` message for a command, or undefined once the command is built. */
async function notBuiltMessage(args: string[]): Promise<string | undefined> {
  const result = await burrowCli(app().host, args);
  const error = (result.json as { error?: { code: string; message: string } }).error;
  return result.code !== 0 && error?.code === 'not_implemented' ? error.message : undefined;
}

beforeAll(async () => {
  try {
    scratch = await mkdtemp(join(tmpdir(), 'burrow-ui-files-'));
    host = await startHost();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(host.url);
    await page.getByTestId('tunnel-state').waitFor(POLL);
  } catch (error) {
    await browser?.close();
    await host?.stop();
    throw error;
  }
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('pages against a real host', () => {
  it('Leak tests: “Run all” without a leak server shows on every card the host’s own verdict and sentence', async () => {
    expect(await notBuiltMessage(['leaktest'])).toBeUndefined();
    const leaks = new LeakTestsPage(app().page);
    await leaks.goto('Leak tests');
    expect(await leaks.verdicts.count()).toBe(6);
    await leaks.runAll.click();
    // Finished: a verdict chip on every card that ran ("Running…" is not one), then each is the host's.
    const chips: string[] = Object.values(CHIP);
    await expect.poll(async () => (await leaks.verdicts.allTextContents()).filter((text) => chips.includes(text)).length, POLL).toBe(RUN_ALL.length);
    const stored = await hostVerdicts(app().host);
    for (const test of RUN_ALL) {
      const verdict = stored[test];
      if (!verdict) throw new Error(`the host stored no ${test} verdict`);
      expect(await leaks.verdict(test).textContent(), test).toBe(CHIP[verdict.verdict]);
      expect(await leaks.summary(test).textContent(), test).toBe(verdict.summary);
    }
    expect(await leaks.verdict('killSwitch').textContent()).toBe('No result yet');
  });

  it('Compare: the first view and the folded details show the host’s comparison, network by network', async () => {
    expect(await notBuiltMessage(['compare'])).toBeUndefined();
    const compare = new ComparePage(app().page);
    await compare.goto('Compare');
    // The host's own answer over the contract (after the leak tests above: their counts are in it).
    const { code, json } = await burrowCli(app().host, ['compare']);
    expect(code).toBe(0);
    const comparison = json as Comparison;
    expect(comparison.rows.map((row) => row.network)).toEqual(['none', 'wireguard', 'tor', 'nym', 'dvpn']);
    await expectGlancesMatchComparison(compare, comparison);
    expect(await compare.table.isVisible()).toBe(false);
    await expectTableMatchesComparison(compare, comparison);
  });

  it('Profiles: a refused file shows the host’s error word for word', async () => {
    if (!scratch) throw new Error('no scratch dir');
    const file = join(scratch, 'broken.conf');
    await writeFile(file, BAD_PROFILE);
    const expected = await hostError(['profile', 'import', file]);
    expect(expected.code).toBe('invalid_profile');

    const profiles = new ProfilesPage(app().page);
    await profiles.goto('Profiles');
    await profiles.profileFile.setInputFiles(file);
    await expect.poll(() => profiles.profileText.inputValue(), POLL).toBe(BAD_PROFILE);
    await profiles.importButton.click();
    await profiles.importError.waitFor(POLL);
    expect(await profiles.importError.textContent()).toContain(expected.message);
    await screenshot(app().page, 'profiles-import-error');
  });

  it('Logs: shows the host’s own log lines, and only those, and filters them by level', async () => {
    const logs = new LogsPage(app().page);
    await logs.goto('Logs');
    const line = (entry: { level: string; source: string; message: string }): string => `${entry.level} ${entry.source} ${entry.message}`;
    const hostLines = async (levels: string[]): Promise<string[]> =>
      ((await burrowCli(app().host, ['logs', '--limit', '500'])).json as Array<{ message: string; level: string; source: string }>).filter((e) => levels.includes(e.level)).map(line);
    const before = await hostLines(['info', 'warn', 'error']);
    expect(before.length).toBeGreaterThan(0);
    // Every line the host had is on the page (newest first), and every line on the page is the host's.
    await expect.poll(async () => (await logs.shownLines()).slice().reverse().filter((l) => before.includes(l)), POLL).toEqual(before);
    const after = await hostLines(['info', 'warn', 'error']);
    for (const shown of await logs.shownLines()) expect(after, shown).toContain(shown);

    await logs.minimumLevel.click();
    await app().page.getByRole('option', { name: 'error' }).click();
    const errorsOnly = await hostLines(['error']);
    if (errorsOnly.length === 0) await app().page.getByText('No log lines at this level yet.').waitFor(POLL);
    expect((await logs.shownLines()).slice().reverse()).toEqual(errorsOnly);
    await logs.minimumLevel.click();
    await app().page.getByRole('option', { name: 'info' }).click();
  });

  it('every page renders in both themes (screenshots for a person to check)', async () => {
    const shell = new AppShell(app().page);
    const pages: Array<[PageName, string]> = [
      ['Connect', 'connect'],
      ['Leak tests', 'leaks'],
      ['Compare', 'compare'],
      ['Profiles', 'profiles'],
      ['Settings', 'settings'],
      ['Logs', 'logs'],
    ];
    for (const mode of ['light', 'dark'] as const) {
      if ((await shell.theme()) !== mode) await shell.themeToggle.click();
      expect(await shell.theme()).toBe(mode);
      for (const [name, file] of pages) {
        await shell.goto(name);
        await screenshot(app().page, `page-${file}-${mode}`);
      }
    }
    expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
  });
});
