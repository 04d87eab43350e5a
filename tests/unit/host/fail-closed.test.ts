// Issue 12 item 1 at the front doors: a profile whose rules could never be applied is refused at import,
// the limits agree end to end (parser, firewall policy schema, netd's wgUp), and when netd refuses the
// rules no command answers success.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WG_LIMITS, WgUpRequestSchema } from '../../../app/contract/index.js';
import { BurrowError, DEFAULT_SETTINGS, type TunnelState } from '../../../app/domain/index.js';
import { validateFirewallPolicy } from '../../../app/firewall/index.js';
import { createHost, type Host } from '../../../app/host/create-host.js';
import { parseWireGuardConfig } from '../../../app/networks/wireguard/config/index.js';
import { tunnelFacts, tunnelPolicy, wgUpRequest } from '../../../app/networks/wireguard/tunnel-plan.js';
import { createNetworks } from '../../../app/networks/registry.js';
import type { NetworkDriver } from '../../../app/supervisor/driver.js';
import { CLIENT, SERVER } from '../networks/wireguard/fixtures.js';

function profileWith(addressCount: number): string {
  const addresses = Array.from({ length: addressCount }, (_, index) => `10.66.1.${index + 2}/32`).join(', ');
  return `[Interface]\nPrivateKey = ${CLIENT.privateKey}\nAddress = ${addresses}\nDNS = 10.64.0.1\n\n[Peer]\nPublicKey = ${SERVER.publicKey}\nAllowedIPs = 0.0.0.0/0\nEndpoint = 192.0.2.7:51820\n`;
}

const dirs: string[] = [];
const hosts: Host[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function host(options: { refuse?: (state: TunnelState) => boolean } = {}): Promise<Host> {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-failclosed-'));
  dirs.push(dir);
  const parsers = createNetworks({ log: () => undefined }).parsers;
  const driver: NetworkDriver = {
    network: 'wireguard',
    availability: () => Promise.resolve({ available: true }),
    prepare: () => Promise.resolve(),
    connect: () => Promise.resolve({ interface: 'burrow0' }),
    disconnect: () => Promise.resolve(),
    status: () => Promise.resolve('down'),
    stats: () => Promise.resolve({ bytesIn: 0, bytesOut: 0 }),
  };
  const refuse = options.refuse ?? (() => false);
  const created = await createHost({
    dataDir: join(dir, 'data'),
    networks: { drivers: new Map([['wireguard', driver]]), parsers },
    firewall: {
      enforce: (state) =>
        refuse(state) ? Promise.reject(new BurrowError('netd_unavailable', 'netd is restarting.')) : Promise.resolve(),
    },
  });
  hosts.push(created);
  return created;
}

describe('import refuses what could never be applied', () => {
  it('refuses a profile with 9 Address entries, naming the limit', async () => {
    const burrow = await host();
    await expect(Promise.resolve().then(() => burrow.handlers.importProfile({ content: profileWith(9) }))).rejects.toMatchObject({
      code: 'invalid_profile',
      message: expect.stringMatching(/Address lists 9 addresses; Burrow's kill switch protects at most 8/) as unknown,
    });
    expect(await burrow.handlers.listProfiles({})).toEqual([]);
  });

  it('accepts the largest profile the limits allow, and both netd and the firewall accept what it becomes', () => {
    const { config, secrets } = parseWireGuardConfig(profileWith(WG_LIMITS.addresses));
    const settings = DEFAULT_SETTINGS;
    const facts = tunnelFacts(config, {}, settings);
    expect(() => validateFirewallPolicy(tunnelPolicy(facts, settings, 'connected'))).not.toThrow();
    expect(WgUpRequestSchema.safeParse(wgUpRequest(config, secrets, facts)).success).toBe(true);
  });
});

describe('no front door answers success when the rules are refused', () => {
  it('connect answers error{blocking} with the reason, never "connected"', async () => {
    const burrow = await host({ refuse: (state) => state.state === 'connected' || state.state === 'connecting' });
    const summary = await burrow.handlers.importProfile({ content: profileWith(1) });
    // The first attempt fails at once; the retries' backoff is the supervisor's own (1+2+4+8 s).
    const state = await burrow.handlers.connect({ profile: summary.id });
    expect(state).toMatchObject({ state: 'error', blocking: true, cause: { code: 'firewall_failed' } });
    expect(state.state === 'error' && state.cause.message).toMatch(/rules for "connecting" in place \(netd is restarting\.\)/);
  }, 30_000);

  it('a settings change whose rules are refused rejects with a typed error', async () => {
    const burrow = await host({ refuse: (state) => state.state === 'disconnected' });
    await expect(burrow.handlers.updateSettings({ lockdown: true })).rejects.toMatchObject({
      code: 'firewall_failed',
      message: expect.stringMatching(/^The settings were saved, but the firewall did not follow them\. .*netd is restarting/) as unknown,
    });
    // Nowhere stricter to go from "disconnected": the person is told in the snapshot's notices.
    expect((await burrow.snapshot()).notices.map((notice) => notice.message).join('\n')).toMatch(/netd is restarting/);
  });
});
