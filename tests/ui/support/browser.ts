// Debian's Chromium driven by playwright-core (playwright brings its own fresh user-data-dir).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './host-process.js';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output/ui');

export function launchChromium(extraArgs: readonly string[] = [], executablePath = '/usr/bin/chromium'): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Let MUI's transitions (ripples, switch thumbs, snackbars) finish so the picture shows the settled page.
  await page.waitForTimeout(400);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Page errors and console errors, collected so a test can assert the app ran cleanly. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}
