// The bundle under Electron's strict CSP: style-src with a per-load nonce, no 'unsafe-inline'. Electron
// itself cannot run here, so Chromium loads the page from the real host with the document's CSP replaced
// by electron/main/csp.ts's nonce policy (connect-src opened to the host's WebSocket only, since this door
// talks over it instead of IPC). If emotion's <style> elements lacked the nonce, the page would be unstyled.
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NONCE_PLACEHOLDER, cspDirectives, serializeCsp } from '../../electron/main/csp.js';
import { ConnectPage } from './pages/connect-page.js';
import { launchChromium, screenshot } from './support/browser.js';
import { startHost, type RunningHost } from './support/host-process.js';

let host: RunningHost | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  try {
    host = await startHost();
    // A document fulfilled by page.route has no remote address, so Chromium's Local Network Access checks
    // take it for a public page and block its socket to 127.0.0.1; the real host's pages are not affected.
    browser = await launchChromium(['--disable-features=LocalNetworkAccessChecks']);
  } catch (error) {
    await browser?.close();
    await host?.stop();
    throw error;
  }
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

it('renders styled under a nonce-only style-src, with no CSP violation', async () => {
  if (!host || !browser) throw new Error('The host or the browser did not start.');
  const { origin, url } = host;
  const nonce = randomBytes(18).toString('base64url');
  const directives = new Map(cspDirectives({ styleNonce: nonce }));
  directives.set('connect-src', [origin.replace(/^http/, 'ws')]);
  const csp = serializeCsp(directives);
  expect(csp).not.toContain('unsafe-inline');

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  try {
    // Chromium does not print every blocked eval on the console (zod's JIT probe is caught and silent):
    // the page's own securitypolicyviolation events are the record of what the CSP refused.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.route(
      (address) => address.pathname === '/' && address.origin === origin,
      async (route) => {
        const response = await route.fetch({ timeout: 10_000 });
        const html = (await response.text()).split(NONCE_PLACEHOLDER).join(nonce);
        await route.fulfill({ status: 200, body: html, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp } });
      },
    );
    await page.goto(url, { timeout: 15_000 });
    const connect = new ConnectPage(page);
    await expect.poll(() => connect.state.textContent(), { timeout: 10_000 }).toBe('Disconnected');

    const styled = await page.evaluate(() => ({
      styleElements: document.querySelectorAll('style[data-emotion]').length,
      withNonce: [...document.querySelectorAll<HTMLStyleElement>('style[data-emotion]')].filter((el) => el.nonce !== '').length,
      button: getComputedStyle(document.querySelector('main button')!).backgroundColor,
    }));
    expect(styled.styleElements).toBeGreaterThan(0);
    expect(styled.withNonce).toBe(styled.styleElements);
    expect(styled.button).toBe('rgb(30, 125, 69)'); // the light theme's success colour: emotion's styles applied
    expect(violations).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    await screenshot(page, 'connect-strict-csp');
  } finally {
    await context.close();
  }
});
