// Issue 12 item 2: under lockdown a proxy-mode profile (whose network answers "open": every program out
// as it is) is refused with a reason, and the open policy never reaches netd. The anti-test: without
// lockdown the same profile connects and the table is deleted, as proxy mode means.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../app/domain/index.js';
import type { FirewallPolicy } from '../../../app/firewall/index.js';
import { createHost, type Host } from '../../../app/host/create-host.js';
import type { NetdClient } from '../../../app/netd/client.js';
import { createFirewallEnforcer } from '../../../app/netd/firewall-enforcer.js';
import { createNetworks } from '../../../app/networks/registry.js';
import type { NetworkDriver } from '../../../app/supervisor/driver.js';
import { CLIENT, SERVER } from '../networks/wireguard/fixtures.js';

const PROFILE = `[Interface]\nPrivateKey = ${CLIENT.privateKey}\nAddress = 10.66.1.2/32\n\n[Peer]\nPublicKey = ${SERVER.publicKey}\nAllowedIPs = 0.0.0.0/0\nEndpoint = 192.0.2.7:51820\n`;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

/** A host whose wireguard "network" behaves as a proxy-mode one: its policy source answers open. */
async function proxyHost(): Promise<{ host: Host; applied: FirewallPolicy['kind'][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-lockdown-proxy-'));
  const applied: FirewallPolicy['kind'][] = [];
  const netd = {
    socketPath: '/nonexistent',
    call: (method: string, request: { policy: FirewallPolicy }) => {
      if (method !== 'applyFirewall') return Promise.reject(new Error(`unexpected ${method}`));
      applied.push(request.policy.kind);
      return Promise.resolve({ applied: request.policy.kind, ms: 1 });
    },
  } as unknown as NetdClient;
  const driver: NetworkDriver = {
    network: 'wireguard',
    availability: () => Promise.resolve({ available: true }),
    prepare: () => Promise.resolve(),
    connect: () => Promise.resolve({ exitIp: '192.0.2.99' }),
    disconnect: () => Promise.resolve(),
    status: () => Promise.resolve('down'),
    stats: () => Promise.resolve({ bytesIn: 0, bytesOut: 0 }),
  };
  // The enforcer reads the host's settings as the real composition does (kept current by its events).
  let settings: Settings = DEFAULT_SETTINGS;
  const firewall = createFirewallEnforcer({
    netd,
    settings: () => settings,
    sources: { wireguard: () => Promise.resolve({ kind: 'open' }) },
    log: () => undefined,
  });
  const host = await createHost({ dataDir: join(dir, 'data'), networks: { drivers: new Map([['wireguard', driver]]), parsers: createNetworks({ log: () => undefined }).parsers }, firewall });
  settings = (await host.snapshot()).settings;
  host.onEvent((event, payload) => {
    if (event === 'settings') settings = payload as Settings;
  });
  cleanup.push(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { host, applied };
}

describe('lockdown and a proxy-mode profile', () => {
  it('refuses the connect with a reason, and never applies the open policy', async () => {
    const { host, applied } = await proxyHost();
    await host.handlers.updateSettings({ lockdown: true });
    const since = applied.length;
    const summary = await host.handlers.importProfile({ content: PROFILE });
    const state = await host.handlers.connect({ profile: summary.id });
    expect(state).toMatchObject({ state: 'error', blocking: true, cause: { code: 'conflict' } });
    expect(state.state === 'error' && state.cause.message).toMatch(/^Lockdown is on, and ".*" is a WireGuard VPN profile in proxy mode: connecting it would let every program out in the clear\./);
    expect(applied.slice(since)).not.toContain('open');
    expect(applied.at(-1)).toBe('block');
  });

  it('turning lockdown on while such a profile is connected leaves connected, and the settings call says why', async () => {
    const { host, applied } = await proxyHost();
    const summary = await host.handlers.importProfile({ content: PROFILE });
    // Anti-test: without lockdown proxy mode connects, and the table goes (open).
    expect(await host.handlers.connect({ profile: summary.id })).toMatchObject({ state: 'connected' });
    expect(applied.at(-1)).toBe('open');
    await expect(host.handlers.updateSettings({ lockdown: true })).rejects.toMatchObject({ code: 'firewall_failed', message: expect.stringMatching(/Lockdown is on/) as unknown });
    await expect.poll(() => host.handlers.getSnapshot({}).then((snapshot) => snapshot.state.state)).toBe('error');
    expect(applied.at(-1)).toBe('block');
  });
});
