// Puts the stand-ins into a lab: the stand-in mixnet in `inet` (gateway 10.X.90.1, exit 10.X.90.2 on
// inet's loopback, reachable from the client through the ISP like any internet host), the stand-in
// Mysterium provider in `vpn`, and a bin directory with `nym-socks5-client` and `myst` wrappers that run
// the stand-in scripts. The directory is world-readable: Burrow runs these helpers as an unprivileged user.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../lab.js';
import { repoRoot, type LabProcess } from '../process.js';
import { bundleStandIn } from './bundle.js';
import { base58Key, type StandinNetwork } from './nym-network.js';
import type { RegistrationStatus } from './myst-identities.js';
import type { StandinProposal } from './myst-session.js';

export const PROVIDER_PORT = 4449;

function standinDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-standin-'));
  chmodSync(dir, 0o755);
  return dir;
}

function wrapper(dir: string, name: string, envName: string, envFile: string, script: string): string {
  const bundle = bundleStandIn(script, dir);
  const path = join(dir, name);
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(path, `#!/bin/sh\n# STAND-IN (Burrow lab): not the real ${name}.\n${envName}=${quote(envFile)} exec ${quote(process.execPath)} ${quote(bundle)} "$@"\n`, { mode: 0o755 });
  return path;
}

const dnsFronts = new WeakMap<Lab, Promise<string>>();

/**
 * A resolver that answers over TCP (10.X.53.55 in inet, asking the public resolver over UDP): what the
 * system-wide DNS stub asks through the proxy. Started once per lab. See dns-tcp-front.ts for why.
 */
export function startDnsTcpFront(lab: Lab): Promise<string> {
  const known = dnsFronts.get(lab);
  if (known !== undefined) return known;
  const started = (async () => {
    const ip = `10.${lab.octet}.53.55`;
    await lab.exec('inet', ['ip', 'addr', 'add', `${ip}/32`, 'dev', 'lo']);
    const front = lab.spawn('inet', [process.execPath, '--import', 'tsx', join(repoRoot(), 'tests', 'lab', 'standins', 'dns-tcp-front.ts'), '--listen', ip, '--resolver', lab.addresses.publicResolver], {
      cwd: repoRoot(),
      name: 'dns-tcp-front',
    });
    await front.waitForLog(/"event":"listening"/, 20_000);
    return ip;
  })();
  dnsFronts.set(lab, started);
  return started;
}

export interface NymStandin {
  binDir: string;
  /** The stand-in executable (a sh wrapper). */
  client: string;
  networkFile: string;
  network: StandinNetwork;
  gateway: { id: string; listener: string; ip: string; port: number };
  /** The network requester's address (the profile's Provider). */
  exitAddress: string;
  /** What a destination sees through the stand-in mixnet. */
  exitIp: string;
  /** A resolver that answers over TCP (the profile's DnsServer in system-wide tests). */
  dnsTcp: string;
  mixnet: LabProcess;
  /** Rewrites the network file (the client reads it at every start). */
  update(patch: Partial<StandinNetwork>): void;
  stop(): Promise<void>;
}

export async function startNymStandin(lab: Lab, opts: { allow?: string[]; gatewayPort?: number } = {}): Promise<NymStandin> {
  const gatewayIp = `10.${lab.octet}.90.1`;
  const exitIp = `10.${lab.octet}.90.2`;
  for (const ip of [gatewayIp, exitIp]) await lab.exec('inet', ['ip', 'addr', 'add', `${ip}/32`, 'dev', 'lo']);
  const dnsTcp = await startDnsTcpFront(lab);
  const dir = standinDir();
  const port = opts.gatewayPort ?? 9000;
  const gatewayId = base58Key();
  const exitAddress = `${base58Key()}.${base58Key()}@${gatewayId}`;
  const network: StandinNetwork = {
    version: 1,
    clientVersion: '1.1.76-standin',
    gateways: [{ id: gatewayId, listener: `ws://${gatewayIp}:${port}` }],
    exits: [{ address: exitAddress, allow: opts.allow ?? [lab.addresses.echo, lab.addresses.publicResolver, dnsTcp, `*.${lab.leakd.zone}`] }],
    exitIp,
  };
  const networkFile = join(dir, 'nym-network.json');
  const write = (): void => writeFileSync(networkFile, JSON.stringify(network, null, 2), { mode: 0o644 });
  write();
  const client = wrapper(dir, 'nym-socks5-client', 'NYM_STANDIN_NETWORK', networkFile, 'nym-socks5-client.ts');
  const mixnet = lab.spawn('inet', [process.execPath, '--import', 'tsx', join(repoRoot(), 'tests', 'lab', 'standins', 'nym-mixnet.ts'), '--network', networkFile], {
    cwd: repoRoot(),
    name: 'nym-mixnet',
  });
  await mixnet.waitForLog(/"event":"listening"/, 20_000);
  return {
    binDir: dir,
    client,
    networkFile,
    network,
    gateway: { id: gatewayId, listener: `ws://${gatewayIp}:${port}`, ip: gatewayIp, port },
    exitAddress,
    exitIp,
    dnsTcp,
    mixnet,
    update(patch) {
      Object.assign(network, patch);
      write();
    },
    async stop() {
      await mixnet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface MystStandin {
  binDir: string;
  /** A resolver that answers over TCP (the profile's DnsServer in system-wide tests). */
  dnsTcp: string;
  myst: string;
  marketFile: string;
  proposals: StandinProposal[];
  provider: LabProcess;
  /** Registration and balance of identities created from now on (read when myst starts). */
  setNewIdentity(newIdentity: { registration: RegistrationStatus; balanceMyst: number }): void;
  /** Registration or balance of every identity, from the next request on (undefined: as created). */
  overrideIdentities(override: { registration?: RegistrationStatus; balanceMyst?: number } | undefined): void;
  stop(): Promise<void>;
}

export async function startMystStandin(lab: Lab, opts: { registration?: RegistrationStatus; balanceMyst?: number; connectDelayMs?: number } = {}): Promise<MystStandin> {
  const dir = standinDir();
  const dnsTcp = await startDnsTcpFront(lab);
  const endpoint = `${lab.addresses.vpn}:${PROVIDER_PORT}`;
  const proposals: StandinProposal[] = [
    { provider_id: '0x1111111111111111111111111111111111111111', country: 'NL', city: 'Amsterdam', ip_type: 'hosting', price_per_gib: 0.08, price_per_hour: 0.0005, quality: 2.4, latency: 35, bandwidth: 180, endpoint },
    { provider_id: '0x2222222222222222222222222222222222222222', country: 'DE', city: 'Frankfurt', ip_type: 'residential', price_per_gib: 0.12, price_per_hour: 0.0009, quality: 2.9, latency: 22, bandwidth: 95, endpoint },
    { provider_id: '0x3333333333333333333333333333333333333333', country: 'NL', city: 'Rotterdam', ip_type: 'residential', price_per_gib: 0.05, price_per_hour: 0.0003, quality: 1.1, latency: 80, bandwidth: 30, endpoint },
  ];
  const market: Record<string, unknown> = {
    version: 1,
    nodeVersion: '1.35.4-standin',
    proposals,
    newIdentity: { registration: opts.registration ?? 'Registered', balanceMyst: opts.balanceMyst ?? 12.5 },
    connectDelayMs: opts.connectDelayMs ?? 400,
  };
  const marketFile = join(dir, 'myst-market.json');
  const write = (): void => writeFileSync(marketFile, JSON.stringify(market, null, 2), { mode: 0o644 });
  write();
  const myst = wrapper(dir, 'myst', 'MYST_STANDIN_NETWORK', marketFile, 'myst.ts');
  const provider = lab.spawn('vpn', [process.execPath, '--import', 'tsx', join(repoRoot(), 'tests', 'lab', 'standins', 'myst-provider.ts'), '--listen', endpoint], {
    cwd: repoRoot(),
    name: 'myst-provider',
  });
  await provider.waitForLog(/"event":"listening"/, 20_000);
  return {
    binDir: dir,
    dnsTcp,
    myst,
    marketFile,
    proposals,
    provider,
    setNewIdentity(newIdentity) {
      market.newIdentity = newIdentity;
      write();
    },
    overrideIdentities(override) {
      if (override === undefined) delete market.identityOverride;
      else market.identityOverride = override;
      write();
    },
    async stop() {
      await provider.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
