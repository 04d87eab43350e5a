// A newcomer's first ten minutes, in Chromium, against the real demo (`node dist/node/demo.mjs`: the lab,
// the Nym and Mysterium stand-ins, netd and the host in the lab's client namespace): connect each of the
// four networks from the Connect page, run the leak tests on each from the Leak tests page, run "Measure
// all" from Compare, and check that all five Compare columns show measured numbers and that the first
// view (no scrolling) holds the privacy-against-speed chart. Needs root (the lab builds namespaces).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../app/contract/index.js';
import type { LeakTestKind, LeakVerdict } from '../../app/domain/index.js';
import { expectGlancesMatchComparison, expectScatterMatchesComparison } from './compare-checks.js';
import { ComparePage } from './pages/compare-page.js';
import { ConnectPage } from './pages/connect-page.js';
import { LeakTestsPage } from './pages/leak-tests-page.js';
import { collectErrors, launchChromium, screenshot } from './support/browser.js';
import { freePort, REPO_ROOT } from './support/host-process.js';

const isRoot = process.getuid?.() === 0;
const DEMO = join(REPO_ROOT, 'dist/node/demo.mjs');
const VIEWPORT = { width: 1400, height: 1000 };
const CHIP = { passed: 'Passed', leaked: 'Leaked', not_tested: 'Not tested' } as const;
const run = promisify(execFile);

/** The demo host's newest verdict per test, from its database. */
async function demoVerdicts(demo: Demo): Promise<Partial<Record<LeakTestKind, LeakVerdict>>> {
  const { leaks } = (await demo.cli(['history', '--limit', '200'])) as { leaks: LeakVerdict[] };
  const latest: Partial<Record<LeakTestKind, LeakVerdict>> = {};
  for (const v of leaks) if (!latest[v.test] || (latest[v.test]?.ranAt ?? '') < v.ranAt) latest[v.test] = v;
  return latest;
}

/** The demo's profiles, as the demo names them, and what the Connect page must say about each. */
const PROFILES = [
  { name: 'Lab VPN', network: 'wireguard', standIn: false },
  { name: 'Lab Tor', network: 'tor', standIn: false },
  { name: 'Lab Tor via obfs4 bridge', network: 'tor', standIn: false },
  { name: 'Nym mixnet (stand-in)', network: 'nym', standIn: true },
  { name: 'dVPN node (stand-in)', network: 'dvpn', standIn: true },
] as const;

interface Demo {
  child: ChildProcess;
  url: string;
  /** The demo host's own answer to a CLI command (`--json`), over its control socket in the lab's client namespace. */
  cli(args: string[]): Promise<unknown>;
  output(): string;
  stop(): Promise<void>;
}

async function startDemo(port: number): Promise<Demo> {
  if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: run \`npm run build\` first.`);
  const child = spawn(process.execPath, [DEMO], { cwd: REPO_ROOT, env: { ...process.env, BURROW_DEMO_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo printed no UI address in 150 s:\n${out}`)), 150_000);
    const check = (): void => {
      const match = /Open the UI:\s+(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (match?.[1] !== undefined && /CLI: ip netns exec/.test(out)) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before it was ready:\n${out}`));
    });
  });
  // "CLI: ip netns exec NS node BURROW status --control SOCKET": where the host answers.
  const cliLine = /CLI: ip netns exec (\S+) node (\S+) status --control (\S+)/.exec(out);
  if (!cliLine) throw new Error(`the demo printed no CLI line:\n${out}`);
  const [, ns = '', burrow = '', control = ''] = cliLine;
  return {
    child,
    url,
    cli: async (args) => {
      const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, burrow, ...args, '--control', control, '--json'], { cwd: REPO_ROOT, timeout: 30_000 });
      return JSON.parse(stdout) as unknown;
    },
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGINT');
      }),
  };
}

/** A profile's entry in the picker (not a network's heading): its name, then the stand-in badge where there is one. */
function option(page: Page, name: string) {
  return page.locator('[data-testid^="profile-option-"]').filter({ hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}(\\s*stand-in)?$`) });
}

async function pickProfile(page: Page, connect: ConnectPage, name: string): Promise<void> {
  await connect.profilePicker.click();
  await option(page, name).click();
}

describe.skipIf(!isRoot)('a newcomer in the demo: four networks, leak tests, Measure all, Compare (needs root)', () => {
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    demo = await startDemo(await freePort());
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(demo.url);
    await page.getByTestId('tunnel-state').waitFor({ timeout: 20_000 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    if (demo !== undefined) expect(demo.output()).toMatch(/lab \S+ removed/);
  }, 120_000);

  it('shows all four networks, the stand-ins badged as stand-ins on the network and the profile', async () => {
    const connect = new ConnectPage(page);
    for (const network of ['wireguard', 'tor', 'nym', 'dvpn']) {
      const chip = page.getByTestId(`network-${network}`);
      await expect.poll(() => chip.getAttribute('class'), { timeout: 15_000 }).toMatch(/colorSuccess/);
      expect(await chip.getAttribute('data-stand-in')).toBe(network === 'nym' || network === 'dvpn' ? 'true' : null);
    }
    await connect.profilePicker.click();
    for (const profile of PROFILES) {
      expect(await option(page, profile.name).getByTestId('stand-in-badge').count(), profile.name).toBe(profile.standIn ? 1 : 0);
    }
    await page.keyboard.press('Escape');
    await screenshot(page, 'newcomer-connect');
  });

  for (const profile of PROFILES) {
    it(`connects to ${profile.name} from the Connect page and runs the leak tests on it`, async () => {
      const connect = new ConnectPage(page);
      await connect.goto('Connect');
      await pickProfile(page, connect, profile.name);
      const button = page.getByRole('main').getByRole('button', { name: /^(Connect|Switch to .+)$/ });
      await button.click();
      await expect
        .poll(async () => `${await connect.state.getAttribute('data-state')} ${(await page.getByLabel('Connection details').textContent().catch(() => '')) ?? ''}`, { timeout: 150_000, interval: 500 })
        .toMatch(new RegExp(`^connected .*${profile.name.replace(/[()]/g, '\\$&')}`));
      if (profile.standIn) expect(await page.getByTestId('stand-in-badge').count()).toBeGreaterThan(0);

      const leaks = new LeakTestsPage(page);
      await leaks.goto('Leak tests');
      await leaks.runAll.click();
      await leaks.progress.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
      await leaks.progress.waitFor({ state: 'hidden', timeout: 90_000 });
      // What a newcomer looks at first: which address sites see. The first run through each network passes.
      await expect.poll(() => leaks.verdict('exitIp').textContent(), { timeout: 10_000 }).not.toMatch(/Running|No result/);
      expect(await leaks.verdict('exitIp').textContent(), `${profile.name}: ${(await leaks.summary('exitIp').textContent()) ?? ''}`).toBe('Passed');
      // Every other card shows the host's own verdict and sentence for this network.
      const stored = demo ? await demoVerdicts(demo) : {};
      const shown: string[] = [];
      for (const test of ['exitIp', 'dns', 'ipv6', 'webrtc', 'outOfTunnel'] as const) {
        const verdict = stored[test];
        if (!verdict) throw new Error(`${profile.name}: the host stored no ${test} verdict`);
        expect(verdict.network, `${profile.name} ${test}`).toBe(profile.network);
        expect(await leaks.verdict(test).textContent(), `${profile.name} ${test}`).toBe(CHIP[verdict.verdict]);
        expect(await leaks.summary(test).textContent(), `${profile.name} ${test}`).toBe(verdict.summary);
        shown.push(`${test} ${CHIP[verdict.verdict]}: ${verdict.summary}`);
      }
      console.log(`${profile.name}:\n  ${shown.join('\n  ')}`);
      await screenshot(page, `newcomer-leaks-${profile.network}-${profile.name.includes('bridge') ? 'bridge' : 'direct'}`);
    }, 300_000);
  }

  it('Measure all fills all five Compare columns, and the first view holds the privacy-against-speed chart', async () => {
    const compare = new ComparePage(page);
    await compare.goto('Compare');
    await compare.measureAll.click();
    await compare.result.waitFor({ state: 'visible', timeout: 900_000 });
    const result = (await compare.result.textContent()) ?? '';
    // A newcomer opens Compare afresh: the first view, no scrolling.
    await page.reload();
    await compare.goto('Compare');
    await compare.overview.waitFor({ timeout: 20_000 });
    for (const network of ['none', 'wireguard', 'tor', 'nym', 'dvpn']) {
      const card = compare.glance(network);
      expect(await card.getByTestId('glance-download').textContent(), `${network} download (${result})`).toMatch(/^\d+(\.\d+)? (kbit|Mbit|Gbit)\/s$/);
      expect(await card.getByTestId('glance-rtt').textContent(), `${network} round trip`).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    }
    expect(await compare.glance('nym').getByTestId('stand-in-badge').count()).toBe(1);
    expect(await compare.glance('dvpn').getByTestId('stand-in-badge').count()).toBe(1);
    // And they are the host's numbers, network by network, with the scatter's five marks placed by them.
    const comparison = (await demo?.cli(['compare'])) as Comparison;
    await expectGlancesMatchComparison(compare, comparison);
    expect(await compare.chartValues(compare.privacyChart)).toHaveLength(5);
    await expectScatterMatchesComparison(compare, comparison);
    const box = await compare.privacyChart.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThanOrEqual(VIEWPORT.height);
    await page.screenshot({ path: join(REPO_ROOT, 'test-output/ui/newcomer-compare-first-view.png') });
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  }, 960_000);
});
