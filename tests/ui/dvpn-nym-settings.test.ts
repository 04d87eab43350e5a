// The Mysterium node picker and the Nym settings, in Debian's Chromium against a real `burrow host --web
// --stand-in dvpn` whose myst is the stand-in (tests/lab/standins/myst.ts, TequilAPI as myst 1.38.3) with
// two stand-in provider nodes on loopback. What a person reads: the nodes with their prices, the identity's
// registration and balance; Register turns Unregistered into Registered; the picked node is the one the
// connection reaches (the provider itself says so); the Nym delay and cover traffic change in the host's
// profile, with their stated cost.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyfile } from '../lab/standins/myst-keyfile.js';
import { freePort, proposal, startProvider, writeMyst } from '../unit/networks/dvpn/myst-world.js';
import { ConnectPage } from './pages/connect-page.js';
import { collectErrors, launchChromium, screenshot } from './support/browser.js';
import { burrowCli, startHost, type RunningHost } from './support/host-process.js';

const POLL = { timeout: 20_000, interval: 100 };
const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const C = '0x3333333333333333333333333333333333333333';
const KEY = '9vGDaW4wJ3ThjoNCmtFWhrMKxNaMkG7qNsxxf2CWNJQo';
/** A person's own identity: its keystore file, and what the (stand-in) chain knows of it. */
const OWN = makeKeyfile('my wallet passphrase');

let host: RunningHost | undefined;
let browser: Browser | undefined;
let page: Page | undefined;
let errors: string[] = [];
let providerOne: Awaited<ReturnType<typeof startProvider>> | undefined;
let providerTwo: Awaited<ReturnType<typeof startProvider>> | undefined;
let mystDir = '';
let filesDir = '';

function running(): { host: RunningHost; page: Page } {
  if (!host || !page) throw new Error('The host or the browser did not start.');
  return { host, page };
}

const row = (id: string): ReturnType<Page['getByTestId']> => running().page.getByTestId(`dvpn-node-${id}`);
const cells = async (id: string): Promise<string[]> => (await row(id).locator('td').allInnerTexts()).map((text) => text.trim());

beforeAll(async () => {
  providerOne = await startProvider();
  providerTwo = await startProvider();
  const myst = writeMyst({
    registration: 'Unregistered',
    balanceMyst: 5,
    registrationDelayMs: 1500,
    chain: { [OWN.address]: { registration: 'Registered', balanceMyst: 7.5 } },
    proposals: [
      proposal(A, providerOne.port, { country: 'NL', city: 'Amsterdam', pricePerGib: 0.08, pricePerHour: 0.0005, quality: 2.4, latency: 35 }),
      proposal(B, providerTwo.port, { country: 'DE', city: 'Frankfurt', pricePerGib: 0.12, pricePerHour: 0.0009, quality: 2.9, latency: 22 }),
      proposal(C, providerOne.port, { country: 'NL', city: 'Rotterdam', pricePerGib: 0.05, pricePerHour: 0.0003, quality: 1.1, latency: 80 }),
    ],
  });
  mystDir = myst.dir;
  filesDir = mkdtempSync(join(tmpdir(), 'burrow-ui-profiles-'));
  host = await startHost({ args: ['--stand-in', 'dvpn'], env: { BURROW_MYST: myst.binary } });
  writeFileSync(join(filesDir, 'my.dvpn'), ['[dvpn]', 'Name = My dVPN', `TequilapiPort = ${await freePort()}`, `ProxyPort = ${await freePort()}`, ''].join('\n'));
  writeFileSync(join(filesDir, 'mix.nym'), ['[nym]', 'Name = Mix', `Provider = ${KEY}.${KEY}@${KEY}`, ''].join('\n'));
  expect((await burrowCli(host, ['profile', 'import', join(filesDir, 'my.dvpn')])).code).toBe(0);
  expect((await burrowCli(host, ['profile', 'import', join(filesDir, 'mix.nym')])).code).toBe(0);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  errors = collectErrors(page);
  await page.goto(host.url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  const control = host?.control;
  await host?.stop();
  providerOne?.stop();
  providerTwo?.stop();
  // myst ran as nobody (a root host's helper user) with its home here; the host does not remove it.
  if (control !== undefined) rmSync(join(tmpdir(), `burrow-myst-65534-${createHash('sha256').update(join(dirname(control), 'data')).digest('hex').slice(0, 8)}`), { recursive: true, force: true });
  if (mystDir !== '') rmSync(mystDir, { recursive: true, force: true });
  if (filesDir !== '') rmSync(filesDir, { recursive: true, force: true });
});

describe('the Mysterium node picker against the myst stand-in', () => {
  it('shows the stand-in\'s nodes with country, prices, quality and latency, and the identity as Unregistered with its balance', async () => {
    const { page: p } = running();
    await expect.poll(async () => row(A).count(), POLL).toBe(1);
    expect(await cells(A)).toEqual(['0x1111…1111', 'NL, Amsterdam', '0.08 MYST', '0.0005 MYST', '2.4 of 3', '35 ms', 'Use']);
    expect(await cells(B)).toEqual(['0x2222…2222', 'DE, Frankfurt', '0.12 MYST', '0.0009 MYST', '2.9 of 3', '22 ms', 'Use']);
    expect(await cells(C)).toEqual(['0x3333…3333', 'NL, Rotterdam', '0.05 MYST', '0.0003 MYST', '1.1 of 3', '80 ms', 'Use']);
    await expect.poll(async () => p.getByTestId('dvpn-registration').innerText(), POLL).toBe('Unregistered');
    await expect.poll(async () => p.getByTestId('dvpn-balance').innerText(), POLL).toBe('5 MYST');
    await expect.poll(async () => p.getByTestId('dvpn-hint').innerText(), POLL).toBe('Not registered: Mysterium connects only registered identities. Register it (free where Mysterium offers it), then connect.');
    await expect.poll(async () => p.getByTestId('dvpn-chosen').innerText(), POLL).toBe('Node: best quality');
    // Filter by country: DE leaves Frankfurt alone.
    await p.getByTestId('dvpn-country').getByRole('combobox').click();
    await p.getByTestId('dvpn-country-DE').click();
    await expect.poll(async () => p.locator('[data-testid^="dvpn-node-"]').count(), POLL).toBe(1);
    expect(await cells(B)).toContain('DE, Frankfurt');
    await p.getByTestId('dvpn-country').getByRole('combobox').click();
    await p.getByRole('option', { name: 'All countries' }).click();
    await expect.poll(async () => p.locator('[data-testid^="dvpn-node-"]').count(), POLL).toBe(3);
    await screenshot(p, 'dvpn-picker-unregistered');
  });

  it('Register shows its progress and flips the identity from Unregistered to Registered; the host agrees', async () => {
    const { page: p, host: h } = running();
    const id = await p.getByTestId('dvpn-identity-id').innerText();
    await p.getByRole('button', { name: 'Register (free)' }).click();
    const seen = new Set<string>();
    await expect
      .poll(async () => {
        const progress = p.getByTestId('dvpn-register-progress');
        if ((await progress.count()) > 0) seen.add(await progress.innerText().catch(() => ''));
        return p.getByTestId('dvpn-registration').innerText();
      }, POLL)
      .toBe('Registered');
    expect([...seen]).toContain('Registration sent; myst reports InProgress');
    await expect.poll(async () => p.getByRole('button', { name: 'Register (free)' }).count(), POLL).toBe(0);
    await expect.poll(async () => p.getByTestId('dvpn-hint').innerText(), POLL).toBe('Registered, with a balance: ready to connect.');
    const cli = (await burrowCli(h, ['dvpn', 'identity', 'my-dvpn'])).json as { id: string; registrationStatus: string; balanceMyst: number };
    expect(cli).toMatchObject({ id, registrationStatus: 'Registered', balanceMyst: 5 });
  });

  it('picking a node keeps it in the host\'s profile, and connecting reaches that node (the provider sees the session)', async () => {
    const { page: p, host: h } = running();
    await p.getByRole('button', { name: `Use node ${C}` }).click();
    await expect.poll(async () => p.getByTestId('dvpn-chosen').innerText(), POLL).toBe('Node: 0x3333…3333 (chosen)');
    expect((await row(C).locator('td').last().innerText()).trim()).toBe('In use');
    const profiles = (await burrowCli(h, ['profile', 'list'])).json as Array<{ id: string; details: Record<string, unknown> }>;
    expect(profiles.find((profile) => profile.id === 'my-dvpn')?.details.node).toBe(C);
    const id = await p.getByTestId('dvpn-identity-id').innerText();
    const connect = new ConnectPage(p);
    await connect.connectButton.click();
    await expect.poll(async () => connect.state.innerText(), { timeout: 60_000, interval: 200 }).toMatch(/connected/i);
    await expect.poll(async () => p.getByText('0x3333…3333 (NL, Rotterdam)').count(), POLL).toBeGreaterThan(0);
    // The node Burrow reached is Rotterdam's (provider one): Frankfurt, the best quality, saw nothing.
    expect(providerOne?.events().filter((event) => event.event === 'session').map((event) => event.consumer)).toEqual([id]);
    expect(providerTwo?.events().filter((event) => event.event === 'session')).toEqual([]);
    await screenshot(p, 'dvpn-picker-connected');
    await connect.disconnectButton.click();
    await expect.poll(async () => connect.state.innerText(), POLL).toMatch(/disconnected/i);
  }, 90_000);
});

describe('a person\'s own Mysterium identity', () => {
  it('Use my own identity: a wrong passphrase is refused with myst\'s reason; the right one makes the profile use it', async () => {
    const { page: p, host: h } = running();
    await p.getByRole('button', { name: 'Use my own identity' }).click();
    await p.getByLabel('Keystore file', { exact: true }).setInputFiles({ name: 'UTC--2026-12-02--own.json', mimeType: 'application/json', buffer: Buffer.from(OWN.text) });
    // The chosen file's name shows once React has read it: wait for it (read at once, a loaded CI run saw the old text).
    await expect.poll(async () => p.getByTestId('keystore-name').innerText(), POLL).toBe('UTC--2026-12-02--own.json');
    const passphrase = p.getByLabel('Passphrase of the keystore file');
    await passphrase.fill('not my passphrase');
    await p.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(async () => p.getByText(/could not decrypt key with given password/).count(), POLL).toBeGreaterThan(0);
    expect(await p.getByTestId('dvpn-identity-id').innerText()).not.toBe(OWN.address);
    await passphrase.fill('my wallet passphrase');
    await p.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(async () => p.getByTestId('dvpn-identity-id').innerText(), POLL).toBe(OWN.address);
    await expect.poll(async () => p.getByTestId('dvpn-registration').innerText(), POLL).toBe('Registered');
    await expect.poll(async () => p.getByTestId('dvpn-balance').innerText(), POLL).toBe('7.5 MYST');
    const cli = (await burrowCli(h, ['dvpn', 'identity', 'my-dvpn'])).json as { id: string; source: string };
    expect(cli).toMatchObject({ id: OWN.address, source: 'profile' });
    expect(h.output()).not.toContain('my wallet passphrase');
    await screenshot(p, 'dvpn-own-identity');
  });
});

describe('the Nym profile\'s settings', () => {
  it('show the delay and cover traffic with their stated cost; changing them changes the host\'s profile', async () => {
    const { page: p, host: h } = running();
    const connect = new ConnectPage(p);
    await connect.profilePicker.click();
    await p.getByTestId('profile-option-mix').click();
    await expect.poll(async () => p.getByTestId('nym-delay-cost').count(), POLL).toBe(1);
    await expect.poll(async () => p.getByTestId('nym-delay-cost').innerText(), POLL).toBe('Stated cost: 15 ms per hop × 3 hops, about +90 ms per round trip.');
    await expect.poll(async () => p.getByTestId('nym-cover-cost').innerText(), POLL).toBe('On. Stated cost: about 55 packets/s, about 110 KiB/s each way, idle or not.');
    await expect.poll(async () => p.getByTestId('nym-measured-cost').innerText(), POLL).toBe('Not measured through this profile yet: run Measure all on the Compare page.');
    const delay = p.getByRole('textbox', { name: 'Mixing delay in milliseconds' });
    await delay.fill('40');
    await p.getByRole('button', { name: 'Save delay' }).click();
    await expect.poll(async () => p.getByTestId('nym-delay-cost').innerText(), POLL).toBe('Stated cost: 40 ms per hop × 3 hops, about +240 ms per round trip.');
    await p.getByRole('switch', { name: 'Cover traffic' }).or(p.getByRole('checkbox', { name: 'Cover traffic' })).click();
    await expect.poll(async () => p.getByTestId('nym-cover-cost').innerText(), POLL).toBe('Off. No cover traffic: the client sends only when you do, which makes your traffic easier to observe.');
    const shown = (await burrowCli(h, ['nym', 'show', 'mix'])).json as { averagePacketDelayMs: number; coverTraffic: boolean };
    expect(shown).toMatchObject({ averagePacketDelayMs: 40, coverTraffic: false });
    const profiles = (await burrowCli(h, ['profile', 'list'])).json as Array<{ id: string; details: Record<string, unknown> }>;
    expect(profiles.find((profile) => profile.id === 'mix')?.details.mixing).toBe('40 ms mean per mix hop × 3 hops: about +240 ms per round trip, no cover traffic (the client sends only when you do: easier to observe)');
    // A delay out of range is refused before it is sent.
    await delay.fill('5000');
    await expect.poll(async () => p.getByRole('button', { name: 'Save delay' }).isDisabled(), POLL).toBe(true);
    await expect.poll(async () => p.getByText('A number of milliseconds from 0 to 1000.').count(), POLL).toBe(1);
    await screenshot(p, 'nym-settings');
    expect(errors).toEqual([]);
  });
});
