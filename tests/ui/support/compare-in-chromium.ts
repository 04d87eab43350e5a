// The Compare UI tests' start: a real host over a data directory (tests/ui/compare-host.ts) with its web
// UI, and Chromium on it at the page's first view, collecting the page's errors; one stop for all of it.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { rendererDir, startCompareHost, type CompareHost } from '../compare-host.js';
import { collectErrors, launchChromium } from './browser.js';
import { REPO_ROOT } from './host-process.js';

export interface CompareInChromium {
  compare: CompareHost;
  page: Page;
  errors: string[];
  stop(): Promise<void>;
}

export async function openCompareInChromium(dataDir: string, dir: string): Promise<CompareInChromium> {
  const compare = await startCompareHost({ dataDir, controlPath: join(dir, 'host.sock'), web: '127.0.0.1:0', rendererDir: rendererDir(REPO_ROOT) });
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const stop = async (): Promise<void> => {
    await context?.close();
    await browser?.close();
    await compare.stop();
  };
  try {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(compare.web?.url ?? '');
    await page.getByTestId('tunnel-state').waitFor({ timeout: 10_000 });
    return { compare, page, errors, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
