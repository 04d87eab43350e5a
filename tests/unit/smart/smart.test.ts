// Smart connect without a network: the ladder per goal, starting at what worked, falling back, and the
// per-network memory on disk.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TunnelState } from '../../../app/domain/index.js';
import { fallbackFrom, ladderFor, networkKey, openSmartMemory, RUNGS, walkLadder, type Rung } from '../../../app/smart/index.js';

const ALL = new Set<Rung>(RUNGS);

describe('ladder', () => {
  it('fastest walks WireGuard, its obfuscations, then Tor, obfs4, Nym; anonymous never offers a single-hop VPN', () => {
    expect(ladderFor('fastest', ALL)).toEqual(['wireguard', 'wireguard-shadowsocks', 'wireguard-vless', 'tor', 'tor-obfs4', 'nym']);
    expect(ladderFor('anonymous', ALL)).toEqual(['tor', 'tor-obfs4', 'nym']);
    expect(ladderFor('fastest', new Set<Rung>(['tor', 'wireguard']))).toEqual(['wireguard', 'tor']);
  });
  it('starts at what worked here, the rungs above it last', () => {
    expect(ladderFor('fastest', ALL, 'tor')).toEqual(['tor', 'tor-obfs4', 'nym', 'wireguard', 'wireguard-shadowsocks', 'wireguard-vless']);
    expect(ladderFor('anonymous', ALL, 'wireguard')).toEqual(['tor', 'tor-obfs4', 'nym']);
  });
  it('after a block mid-session it goes on below the lost rung', () => {
    expect(fallbackFrom(['wireguard', 'wireguard-vless', 'tor'], 'wireguard-vless')).toEqual(['tor', 'wireguard']);
  });
});

describe('walk', () => {
  it('tries one rung at a time, stops at the first that gets through, and starts there next time on this network', async () => {
    const memory = openSmartMemory(mkdtempSync(join(tmpdir(), 'smart-')));
    const key = networkKey({ gatewayMac: 'AA:BB:CC:00:11:22' });
    const tried: Rung[] = [];
    let running = 0;
    const attempt = async (rung: Rung): Promise<boolean> => {
      running += 1;
      expect(running).toBe(1);
      tried.push(rung);
      await new Promise((r) => setTimeout(r, 1));
      running -= 1;
      return rung === 'wireguard-vless';
    };
    const first = await walkLadder({ goal: 'fastest', available: ALL, networkKey: key, memory, attempt });
    expect(first.rung).toBe('wireguard-vless');
    expect(tried).toEqual(['wireguard', 'wireguard-shadowsocks', 'wireguard-vless']);
    expect(first.steps.map((s) => s.sentence)).toEqual([
      'Trying WireGuard (1 of 6)…', 'WireGuard does not get through here.',
      'Trying WireGuard over Shadowsocks (2 of 6)…', 'WireGuard over Shadowsocks does not get through here.',
      'Trying WireGuard over TLS (VLESS) (3 of 6)…', 'Connected with WireGuard over TLS (VLESS).',
    ]);
    tried.length = 0;
    const second = await walkLadder({ goal: 'fastest', available: ALL, networkKey: key, memory, attempt });
    expect(second.startedAt).toBe('wireguard-vless');
    expect(tried).toEqual(['wireguard-vless']);
    // Another network starts from the top.
    tried.length = 0;
    await walkLadder({ goal: 'fastest', available: ALL, networkKey: networkKey({ lan: '192.168.7.0/24' }), memory, attempt });
    expect(tried[0]).toBe('wireguard');
  });

  it('says so when nothing gets through, and an attempt that throws counts as blocked', async () => {
    const memory = openSmartMemory(mkdtempSync(join(tmpdir(), 'smart-')));
    const out = await walkLadder({ goal: 'anonymous', available: ALL, networkKey: undefined, memory, attempt: () => Promise.reject(new Error('boom')) });
    expect(out.rung).toBeUndefined();
    expect(out.steps.filter((s) => s.status === 'blocked')).toHaveLength(3);
  });
});

describe('memory', () => {
  it('persists per network in a 0600 file and keeps a damaged file aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-'));
    openSmartMemory(dir).remember('mac:aa:bb:cc:00:11:22', 'fastest', 'tor-obfs4', new Date(0));
    expect(statSync(join(dir, 'smart-connect.json')).mode & 0o777).toBe(0o600);
    expect(openSmartMemory(dir).recall('mac:aa:bb:cc:00:11:22', 'fastest')).toBe('tor-obfs4');
    writeFileSync(join(dir, 'smart-connect.json'), '{"x": {"fastest": {"rung": "telnet"}}}');
    expect(openSmartMemory(dir).recall('x', 'fastest')).toBeUndefined();
    expect(readdirSync(dir).some((f) => f.startsWith('smart-connect.json.damaged-'))).toBe(true);
  });
  it('keys networks by gateway MAC, else LAN; nothing recognisable, no memory', () => {
    expect(networkKey({ gatewayMac: 'AA:BB:CC:00:11:22', lan: '10.0.0.0/24' })).toBe('mac:aa:bb:cc:00:11:22');
    expect(networkKey({ lan: '10.0.0.0/24' })).toBe('lan:10.0.0.0/24');
    expect(networkKey({ gatewayMac: 'nope' })).toBeUndefined();
  });
});

describe('smartConnect handler', () => {
  const profile = (id: string, network: 'wireguard' | 'tor' | 'dvpn', config: Record<string, unknown> = {}) => ({ id, name: id, network, config, secrets: {} });
  const torConfig = (bridges: string[], mode: 'proxy' | 'system' = 'system') => ({ version: 1, mode, useBridges: bridges.length > 0, bridges, dirAuthorities: [], options: {} });
  const failingConnect = (connected: string[]) => (id: string): Promise<TunnelState> => {
    connected.push(id);
    return Promise.resolve({ state: 'error', cause: { code: 'network_unavailable', message: 'no' }, blocking: true, target: { network: 'tor', profileId: id, profileName: id } });
  };
  const OBFS4 = 'obfs4 192.0.2.7:443 0123456789ABCDEF0123456789ABCDEF01234567 cert=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA iat-mode=0';

  it('connects profile by profile through the ordinary connect, says what it had no profile for, and falls back by itself when the working path breaks', async () => {
    const states: ((s: TunnelState) => void)[] = [];
    const connected: string[] = [];
    const through = new Set(['tor-a']);
    const logs: string[] = [];
    const handler = (await import('../../../app/smart/index.js')).createSmartConnect({
      profiles: () => [profile('wg', 'wireguard'), profile('tor-a', 'tor', torConfig([])), profile('tor-b', 'tor', torConfig([OBFS4])), profile('d', 'dvpn')],
      connect: (id) => {
        connected.push(id);
        const target = { network: 'tor' as const, profileId: id, profileName: id };
        const state: TunnelState = through.has(id)
          ? { state: 'connected', target, since: new Date(0).toISOString(), details: {} }
          : { state: 'error', cause: { code: 'network_unavailable', message: 'no' }, blocking: true, target };
        return Promise.resolve(state);
      },
      onState: (l) => { states.push(l); return () => undefined; },
      network: () => ({ lan: '10.1.1.0/24' }),
      memory: openSmartMemory(mkdtempSync(join(tmpdir(), 'smart-'))),
      log: (_level, message) => logs.push(message),
    });
    const result = await handler({});
    expect(connected).toEqual(['wg', 'tor-a']);
    expect(result).toMatchObject({ rung: 'tor', profile: 'tor-a', startedAt: 'wireguard', missing: ['wireguard-shadowsocks', 'wireguard-vless', 'nym'] });
    expect(result.sentence).toBe('Connected with Tor.');
    // Tor is blocked mid-session: the supervisor reports an error for its profile; obfs4 takes over.
    through.clear();
    through.add('tor-b');
    connected.length = 0;
    states.forEach((l) => l({ state: 'error', cause: { code: 'network_unavailable', message: 'lost' }, blocking: true, target: { network: 'tor', profileId: 'tor-a', profileName: 'tor-a' } }));
    // The fallback's last word is its log line: wait for it, then read what it did.
    await expect.poll(() => logs).toContain('Connected with Tor over obfs4 after Tor was blocked mid-session.');
    expect(connected).toEqual(['tor-b']);
    expect(logs).toContain('Tor stopped getting through; Smart connect falls back.');
  });

  it('never walks a proxy-mode profile (it would lift the kill switch for every other program) and says why it was not tried', async () => {
    const connected: string[] = [];
    const { createSmartConnect } = await import('../../../app/smart/index.js');
    const deps = {
      connect: failingConnect(connected),
      onState: () => () => undefined,
      network: () => ({ lan: '10.1.1.0/24' }),
      memory: openSmartMemory(mkdtempSync(join(tmpdir(), 'smart-'))),
      log: () => undefined,
    };
    const mixed = createSmartConnect({ ...deps, profiles: () => [profile('wg', 'wireguard'), profile('tor-proxy', 'tor', torConfig([], 'proxy')), profile('obfs4-system', 'tor', torConfig([OBFS4]))] });
    const result = await mixed({});
    expect(connected).toEqual(['wg', 'obfs4-system']);
    expect(result.proxyOnly).toEqual(['tor']);
    expect(result.missing).not.toContain('tor');
    expect(result.sentence).toMatch(/Not tried, proxy mode only: Tor \(.*Mode system/);
    // A system-wide profile on the same rung is used, and then nothing is "proxy mode only".
    connected.length = 0;
    const both = await createSmartConnect({ ...deps, profiles: () => [profile('tor-proxy', 'tor', torConfig([], 'proxy')), profile('tor-system', 'tor', torConfig([]))] })({ goal: 'anonymous' });
    expect(connected).toEqual(['tor-system']);
    expect(both.proxyOnly).toBeUndefined();
    // Only proxy-mode profiles: refused up front, with the reason and the way out.
    const none = createSmartConnect({ ...deps, profiles: () => [profile('tor-proxy', 'tor', torConfig([], 'proxy'))] });
    await expect(none({ goal: 'anonymous' })).rejects.toThrow(/carries every program.*proxy mode only: Tor/);
  });
});
