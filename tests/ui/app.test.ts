// The renderer served by a real `burrow host --web`, in Debian's Chromium: what a person sees, what the
// host pushes, and that the page reaches the host only with its token.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectPage } from './pages/connect-page.js';
import { SettingsPage } from './pages/settings-page.js';
import { UnreachablePage } from './pages/unreachable-page.js';
import { collectErrors, launchChromium, screenshot } from './support/browser.js';
import { burrowCli, startHost, type RunningHost } from './support/host-process.js';

const POLL = { timeout: 10_000, interval: 100 };

let host: RunningHost | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

function running(): { host: RunningHost; browser: Browser } {
  if (!host || !browser) throw new Error('The host or the browser did not start.');
  return { host, browser };
}

async function openApp(options: { url?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; errors: string[] }> {
  const { host: h, browser: b } = running();
  context = await b.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(options.url ?? h.url);
  return { page, errors };
}

beforeAll(async () => {
  try {
    host = await startHost();
    browser = await launchChromium();
  } catch (error) {
    await browser?.close();
    await host?.stop();
    throw error;
  }
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('Connect page', () => {
  it('shows the disconnected state pushed by the host', async () => {
    const { page, errors } = await openApp();
    const connect = new ConnectPage(page);
    await expect.poll(() => connect.state.textContent(), POLL).toBe('Disconnected');
    expect(await connect.stateChip.textContent()).toBe('Disconnected');
    expect(await connect.sentence.textContent()).toContain('unprotected');
    expect(await connect.connectButton.isEnabled()).toBe(true);
    await screenshot(page, 'connect-light');
    expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
  });

  it('hides the token from the address bar but keeps working after a reload', async () => {
    const { page } = await openApp();
    const connect = new ConnectPage(page);
    await expect.poll(() => connect.state.textContent(), POLL).toBe('Disconnected');
    expect(page.url()).not.toContain('token');
    await page.reload();
    await expect.poll(() => connect.state.textContent(), POLL).toBe('Disconnected');
  });

  it('connecting with no profile shows the host’s own error, and the host keeps running', async () => {
    const { host: h } = running();
    const cli = await burrowCli(h, ['connect']);
    expect(cli.code).not.toBe(0);
    const hostMessage = (cli.json as { error: { code: string; message: string } }).error;
    expect(hostMessage.code).toBe('no_profile');

    const { page } = await openApp();
    const connect = new ConnectPage(page);
    await expect.poll(() => connect.state.textContent(), POLL).toBe('Disconnected');
    await connect.connectButton.click();
    await expect.poll(() => connect.snackbar.textContent(), POLL).toContain(hostMessage.message);
    await screenshot(page, 'connect-no-profile-error');
    expect(await connect.state.textContent()).toBe('Disconnected');
    expect((await burrowCli(h, ['status'])).code).toBe(0);
  });
});

describe('Settings page', () => {
  it('toggles the kill switch through the host; the change survives a reload', async () => {
    const { host: h } = running();
    const { page } = await openApp();
    const settings = new SettingsPage(page);
    await settings.goto('Settings');
    expect(await settings.killSwitch.isChecked()).toBe(true);
    await settings.killSwitch.click();
    await expect.poll(() => settings.killSwitch.isChecked(), POLL).toBe(false);
    expect(((await burrowCli(h, ['settings'])).json as { killSwitch: boolean }).killSwitch).toBe(false);

    await page.reload();
    await settings.title.filter({ hasText: 'Settings' }).waitFor();
    await expect.poll(() => settings.killSwitch.isChecked(), POLL).toBe(false);
    await screenshot(page, 'settings-light');

    await settings.killSwitch.click();
    await expect.poll(() => settings.killSwitch.isChecked(), POLL).toBe(true);
  });

  it('shows a change made outside the browser, pushed by the host', async () => {
    const { host: h } = running();
    const { page } = await openApp();
    const settings = new SettingsPage(page);
    await settings.goto('Settings');
    expect(await settings.lockdown.isChecked()).toBe(false);

    expect((await burrowCli(h, ['settings', 'set', 'lockdown=on'])).code).toBe(0);
    await expect.poll(() => settings.lockdown.isChecked(), POLL).toBe(true);

    const connect = new ConnectPage(page);
    await connect.goto('Connect');
    const status = (await burrowCli(h, ['status'])).json as { lockdown: boolean; tunnel: { state: string; lockedDown?: boolean } };
    expect(status.lockdown).toBe(true);
    // Lockdown on while disconnected is disconnected{lockedDown}, always; the page shows the block without a reload.
    expect(status.tunnel).toMatchObject({ state: 'disconnected', lockedDown: true });
    await connect.blockingIndicator.waitFor(POLL);
    expect(await connect.stateChip.textContent()).toContain('blocking');
    expect(await connect.sentence.textContent()).toContain('Lockdown is on');
    await screenshot(page, 'connect-lockdown');

    expect((await burrowCli(h, ['settings', 'set', 'lockdown=off'])).code).toBe(0);
    await expect.poll(() => connect.blockingIndicator.count(), POLL).toBe(0);
  });

  it('saves DNS servers through the host and shows why a bad address is refused', async () => {
    const { host: h } = running();
    const { page } = await openApp();
    const settings = new SettingsPage(page);
    await settings.goto('Settings');
    await settings.dnsServers.fill('9.9.9.9, not-an-address');
    await settings.saveDnsServers.click();
    await expect.poll(() => page.getByText(/dns\.servers\.1/).count(), POLL).toBe(1);

    await settings.dnsServers.fill('9.9.9.9, 149.112.112.112');
    await settings.saveDnsServers.click();
    await expect.poll(async () => ((await burrowCli(h, ['settings'])).json as { dns: { servers: string[] } }).dns.servers, POLL).toEqual([
      '9.9.9.9',
      '149.112.112.112',
    ]);
    await expect.poll(() => settings.dnsServers.inputValue(), POLL).toBe('9.9.9.9, 149.112.112.112');
    expect((await burrowCli(h, ['settings', 'set', 'dns='])).code).toBe(0);
    await expect.poll(() => settings.dnsServers.inputValue(), POLL).toBe('');
  });
});

describe('Access', () => {
  it('a page opened without the token cannot reach the host', async () => {
    const { host: h } = running();
    const { page } = await openApp({ url: `${h.origin}/` });
    const screen = new UnreachablePage(page);
    await screen.heading.waitFor(POLL);
    expect(await screen.reason.textContent()).toContain('without its access token');
    await screenshot(page, 'unreachable-no-token');
    expect(await page.getByTestId('tunnel-state').count()).toBe(0);
  });

  it('a page with a wrong token is refused too', async () => {
    const { host: h } = running();
    const { page } = await openApp({ url: `${h.origin}/?token=not-the-right-token` });
    const screen = new UnreachablePage(page);
    await screen.heading.waitFor(POLL);
    expect(await screen.reason.textContent()).toContain('refused this page');
    expect(await page.getByTestId('tunnel-state').count()).toBe(0);
  });
});

describe('Theme', () => {
  it('follows the system at first, then the person’s choice, kept across reloads', async () => {
    const { page } = await openApp({ colorScheme: 'dark' });
    const connect = new ConnectPage(page);
    await expect.poll(() => connect.state.textContent(), POLL).toBe('Disconnected');
    expect(await connect.theme()).toBe('dark');
    const darkBackground = await connect.backgroundColor();
    await screenshot(page, 'connect-dark');

    await connect.themeToggle.click();
    expect(await connect.theme()).toBe('light');
    expect(await connect.backgroundColor()).not.toBe(darkBackground);

    await page.reload();
    await expect.poll(() => connect.state.textContent(), POLL).toBe('Disconnected');
    expect(await connect.theme()).toBe('light');
  });
});
