// The myst stand-in (tests/lab/standins/myst.ts, answering as myst 1.38.3) and its provider on loopback
// ports, for unit tests of the dVPN driver and handlers: no namespaces, myst runs as this user.
import { bundleStandIn } from '../../../lab/standins/bundle.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DvpnDriver } from '../../../../app/networks/dvpn/driver.js';
import type { HelperUser } from '../../../../app/networks/helper/user.js';
import type { StoredProfile } from '../../../../app/supervisor/driver.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
export const STANDINS = join(root, 'tests', 'lab', 'standins');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** One stand-in provider node's far end on a loopback port; `events` are the lines it prints (session, stream). */
export async function startProvider(): Promise<{ port: number; events: () => Array<{ event: string; consumer?: string }>; stop: () => void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', tsx, join(STANDINS, 'myst-provider.ts'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve) =>
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.includes('"listening"')) resolve();
    }),
  );
  return {
    port,
    events: () => out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event: string; consumer?: string }),
    stop: () => void child.kill('SIGTERM'),
  };
}

export interface MarketOptions {
  registration: string;
  balanceMyst?: number;
  freeRegistration?: boolean;
  registrationDelayMs?: number;
  chain?: Record<string, { registration: string; balanceMyst: number }>;
  proposals: Array<Record<string, unknown>>;
}

/** A myst wrapper script and its market file in a directory anyone may read (a root host runs myst as nobody). */
export function writeMyst(market: MarketOptions): { binary: string; marketFile: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-myst-conf-'));
  chmodSync(dir, 0o755);
  const marketFile = join(dir, 'market.json');
  writeFileSync(
    marketFile,
    JSON.stringify({
      version: 1,
      nodeVersion: '1.38.3-standin',
      proposals: market.proposals,
      newIdentity: { registration: market.registration, balanceMyst: market.balanceMyst ?? 5 },
      connectDelayMs: 50,
      registrationDelayMs: market.registrationDelayMs ?? 60_000,
      ...(market.freeRegistration === undefined ? {} : { freeRegistration: market.freeRegistration }),
      ...(market.chain === undefined ? {} : { chain: market.chain }),
    }),
    { mode: 0o644 },
  );
  const binary = join(dir, 'myst');
  // Bundled beside it: the host runs myst as burrow-dvpn, who may not reach into the checkout.
  writeFileSync(binary, `#!/bin/sh\nMYST_STANDIN_NETWORK='${marketFile}' exec '${process.execPath}' '${bundleStandIn('myst.ts', dir)}' "$@"\n`);
  chmodSync(binary, 0o755);
  return { binary, marketFile, dir };
}

export function proposal(providerId: string, endpointPort: number, facts: { country?: string; city?: string; pricePerGib?: number; pricePerHour?: number; quality?: number; latency?: number } = {}): Record<string, unknown> {
  return {
    provider_id: providerId,
    country: facts.country ?? 'NL',
    city: facts.city ?? 'Amsterdam',
    ip_type: 'hosting',
    price_per_gib: facts.pricePerGib ?? 0.08,
    price_per_hour: facts.pricePerHour ?? 0.0005,
    quality: facts.quality ?? 2.4,
    latency: facts.latency ?? 35,
    bandwidth: 180,
    endpoint: `127.0.0.1:${endpointPort}`,
  };
}

export function mystWorld(market: MarketOptions): { driver: DvpnDriver; lines: string[]; marketFile: string; home: string } {
  const { binary, marketFile } = writeMyst(market);
  const home = mkdtempSync(join(tmpdir(), 'burrow-myst-home-'));
  const user: HelperUser = { name: 'self', uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, home, dedicated: false };
  const lines: string[] = [];
  const driver = new DvpnDriver({ log: (_level, message) => lines.push(message), findMyst: () => binary, helperUser: () => user, startupTimeoutMs: 30_000 });
  return { driver, lines, marketFile, home };
}

/** Change the market while myst runs (the stand-in reads identityOverride on every request). */
export function editMarket(marketFile: string, change: Record<string, unknown>): void {
  writeFileSync(marketFile, JSON.stringify({ ...(JSON.parse(readFileSync(marketFile, 'utf8')) as Record<string, unknown>), ...change }));
}

export async function dvpnProfile(config: Record<string, unknown> = {}, secrets: Record<string, string> = {}): Promise<StoredProfile> {
  return { id: 'd1', name: 'Mysterium', network: 'dvpn', config: { version: 1, provider: 'mysterium', mode: 'proxy', tequilapiPort: await freePort(), proxyPort: await freePort(), ...config }, secrets };
}
