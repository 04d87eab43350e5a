// Every page against a real host: what is not built says so plainly, host errors are shown verbatim, the
// logs are the host's, and each page is photographed in both themes for a person to look at.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageName } from './pages/app-shell.js';
import { AppShell } from './pages/app-shell.js';
import { ComparePage } from './pages/compare-page.js';
import { LeakTestsPage } from './pages/leak-tests-page.js';
import { LogsPage } from './pages/logs-page.js';
import { ProfilesPage } from './pages/profiles-page.js';
import { collectErrors, launchChromium, screenshot } from './support/browser.js';
import { burrowCli, startHost, type RunningHost } from './support/host-process.js';

const POLL = { timeout: 10_000, interval: 100 };
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
  it('Leak tests: says plainly they are not built, with no verdict, when the host says so', async () => {
    const notBuilt = await notBuiltMessage(['leaktest']);
    const leaks = new LeakTestsPage(app().page);
    await leaks.goto('Leak tests');
    expect(await leaks.verdicts.count()).toBe(6);
    await leaks.runAll.click();
    if (notBuilt !== undefined) {
      await leaks.notBuilt.waitFor(POLL);
      expect(await leaks.notBuilt.textContent()).toContain(notBuilt);
      for (const text of await leaks.verdicts.allTextContents()) expect(text).toBe('No result yet');
    } else {
      // Built: the cards carry the host's verdicts (issue 6 adds the lab checks of what they say).
      await expect.poll(async () => (await leaks.verdicts.allTextContents()).some((text) => text !== 'No result yet'), POLL).toBe(true);
    }
  });

  it('Compare: says plainly the comparison is not built, when the host says so', async () => {
    const notBuilt = await notBuiltMessage(['compare']);
    const compare = new ComparePage(app().page);
    await compare.goto('Compare');
    if (notBuilt !== undefined) {
      await compare.notBuilt.waitFor(POLL);
      expect(await compare.notBuilt.textContent()).toContain(notBuilt);
      expect(await compare.table.count()).toBe(0);
    } else {
      await compare.table.waitFor(POLL);
    }
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

  it('Logs: shows the host’s own log lines and filters them by level', async () => {
    const logs = new LogsPage(app().page);
    await logs.goto('Logs');
    await expect.poll(() => logs.lines.count(), POLL).toBeGreaterThan(0);
    const hostLines = (await burrowCli(app().host, ['logs'])).json as Array<{ message: string; level: string }>;
    const first = hostLines.find((line) => line.level === 'info');
    if (first) expect((await logs.lines.allTextContents()).some((text) => text.includes(first.message))).toBe(true);

    await logs.minimumLevel.click();
    await app().page.getByRole('option', { name: 'error' }).click();
    const errorsOnly = hostLines.filter((line) => line.level === 'error').length;
    if (errorsOnly === 0) await app().page.getByText('No log lines at this level yet.').waitFor(POLL);
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
