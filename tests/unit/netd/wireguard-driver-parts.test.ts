// The host-side pieces of WireGuard that decide things: the tunnel plan built from a stored profile, the
// kill switch policy for each tunnel state, and when the health loop calls a tunnel lost.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings, type Target, type TunnelState } from '../../../app/domain/index.js';
import type { WgStatus } from '../../../app/contract/index.js';
import type { NetdClient } from '../../../app/netd/client.js';
import { createFirewallEnforcer, type TunnelPolicySource } from '../../../app/netd/firewall-enforcer.js';
import { parseWireGuardConfig } from '../../../app/networks/wireguard/config/index.js';
import { judgeStatus } from '../../../app/networks/wireguard/health.js';
import { tunnelFacts, tunnelPolicy, wgUpRequest } from '../../../app/networks/wireguard/tunnel-plan.js';
import { KEYS } from './fixtures.js';

const CONF = `[Interface]
PrivateKey = ${KEYS.client}
Address = 10.66.1.2/32, fc00:bbbb::3:102/128
DNS = 10.64.0.1, corp.example

[Peer]
PublicKey = ${KEYS.server}
PresharedKey = ${KEYS.psk}
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = vpn.example.com:51820
`;

const target: Target = { profileId: 'lab', profileName: 'Lab', network: 'wireguard' };
const settings = (patch: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...patch });

describe('tunnel plan', () => {
  const { config, secrets } = parseWireGuardConfig(CONF);
  const facts = tunnelFacts(config, { 'vpn.example.com': '198.51.100.7' }, settings());

  it('uses the resolved endpoint, Burrow’s interface and mark, the profile’s DNS, and keeps secrets out of the facts', () => {
    expect(facts).toEqual({
      ifname: 'burrow0',
      // Burrow's own mark (= its table, 0x6275), never wg-quick's and NetworkManager's default 51820.
      fwmark: 0x6275,
      endpoints: [{ ip: '198.51.100.7', port: 51820 }],
      dns: { servers: ['10.64.0.1'], search: ['corp.example'] },
      ipv6InTunnel: true,
      addresses: ['10.66.1.2/32', 'fc00:bbbb::3:102/128'],
    });
    expect(JSON.stringify(facts)).not.toContain(KEYS.client);
  });

  it('builds the wgUp request with the keys and a keep-alive when the profile has none', () => {
    expect(wgUpRequest(config, secrets, facts)).toEqual({
      ifname: 'burrow0',
      privateKey: KEYS.client,
      fwmark: 0x6275,
      mtu: 1420,
      addresses: ['10.66.1.2/32', 'fc00:bbbb::3:102/128'],
      peers: [{ publicKey: KEYS.server, presharedKey: KEYS.psk, endpoint: { ip: '198.51.100.7', port: 51820 }, allowedIps: ['0.0.0.0/0', '::/0'], persistentKeepalive: 25 }],
    });
  });

  it('prefers the DNS servers from the settings', () => {
    expect(tunnelFacts(config, { 'vpn.example.com': '198.51.100.7' }, settings({ dns: { servers: ['9.9.9.9'] } })).dns.servers).toEqual(['9.9.9.9']);
  });

  it('lets only the handshake through while connecting, and the tunnel once connected', () => {
    expect(tunnelPolicy(facts, settings(), 'connecting')).toMatchObject({ kind: 'tunnel', fwmark: 0x6275, tunnelTraffic: 'none', endpoints: [{ ip: '198.51.100.7', port: 51820, proto: 'udp' }] });
    expect(tunnelPolicy(facts, settings({ allowLan: true }), 'connected')).toMatchObject({ tunnelTraffic: 'all', allowLan: true, dnsServers: ['10.64.0.1'], tunnelAddresses: ['10.66.1.2', 'fc00:bbbb::3:102'] });
  });
});

describe('firewall enforcer: state → policy', () => {
  const netd = { socketPath: '/nonexistent', call: () => Promise.reject(new Error('not in this test')) } as unknown as NetdClient;
  const tunnel = { kind: 'tunnel' } as never;
  const make = (current: Settings, source: TunnelPolicySource = () => Promise.resolve(tunnel)) =>
    createFirewallEnforcer({ netd, settings: () => current, sources: { wireguard: source }, log: () => undefined });
  const at = '2026-11-25T00:00:00.000Z';
  const states: Record<string, TunnelState> = {
    disconnected: { state: 'disconnected', lockedDown: false },
    lockedDown: { state: 'disconnected', lockedDown: true },
    connecting: { state: 'connecting', target, attempt: 1, since: at },
    connected: { state: 'connected', target, since: at, details: {} },
    disconnecting: { state: 'disconnecting', target, then: 'nothing' },
    errorBlocking: { state: 'error', cause: { code: 'handshake_timeout', message: 'x' }, blocking: true, target },
    errorOpen: { state: 'error', cause: { code: 'handshake_timeout', message: 'x' }, blocking: false, target },
  };

  it.each([
    ['disconnected', 'open'],
    ['lockedDown', 'block'],
    ['connecting', 'tunnel'],
    ['connected', 'tunnel'],
    ['disconnecting', 'block'],
    ['errorBlocking', 'block'],
    ['errorOpen', 'open'],
  ])('with the kill switch on: %s → %s', async (name, kind) => {
    expect((await make(settings()).policyFor(states[name]!)).kind).toBe(kind);
  });

  it('with the kill switch off, only the connected tunnel keeps its rules', async () => {
    const enforcer = make(settings({ killSwitch: false }));
    expect((await enforcer.policyFor(states.connecting!)).kind).toBe('open');
    expect((await enforcer.policyFor(states.disconnecting!)).kind).toBe('open');
    expect((await enforcer.policyFor(states.connected!)).kind).toBe('tunnel');
  });

  it('blocks (never opens) when the tunnel policy cannot be built or the network has none', async () => {
    expect(await make(settings(), () => Promise.resolve(undefined)).policyFor(states.connected!)).toEqual({ kind: 'block', allowLan: false });
    expect(await make(settings({ allowLan: true }), () => Promise.reject(new Error('no profile'))).policyFor(states.connecting!)).toEqual({ kind: 'block', allowLan: true });
    const torTarget = { ...target, network: 'tor' as const };
    expect((await make(settings()).policyFor({ state: 'connected', target: torTarget, since: at, details: {} })).kind).toBe('block');
  });

  it('applies through netd once per distinct policy', async () => {
    const sent: unknown[] = [];
    const recording = { socketPath: '/x', call: (_method: string, request: unknown) => (sent.push(request), Promise.resolve({ applied: 'open', verified: true, ms: 1 })) } as unknown as NetdClient;
    const enforcer = createFirewallEnforcer({ netd: recording, settings: () => settings(), sources: {}, log: () => undefined });
    await enforcer.enforce(states.disconnected!);
    await enforcer.enforce(states.disconnected!);
    await enforcer.enforce(states.lockedDown!);
    expect(sent).toEqual([{ policy: { kind: 'open' } }, { policy: { kind: 'block', allowLan: false } }]);
  });
});

describe('judgeStatus (health)', () => {
  const now = 1_795_600_000;
  const status = (patch: Partial<WgStatus> = {}, handshake = now - 30): WgStatus => ({
    ifname: 'burrow0',
    exists: true,
    implementation: 'userspace',
    process: { pid: 10, alive: true, exitCode: null, signal: null },
    peers: [{ publicKey: KEYS.server, lastHandshakeSec: handshake, rxBytes: 1, txBytes: 1 }],
    ...patch,
  });

  it('a live tunnel with a recent handshake is fine', () => {
    expect(judgeStatus(status(), now)).toBeUndefined();
  });

  it('wireguard-go gone, or the interface gone, is a lost tunnel (retriable)', () => {
    const killed = judgeStatus(status({ process: { pid: 10, alive: false, exitCode: null, signal: 'SIGKILL' } }), now);
    expect(killed?.code).toBe('helper_failed');
    expect(killed?.message).toMatch(/killed by SIGKILL/);
    expect(judgeStatus(status({ exists: false }), now)?.code).toBe('helper_failed');
  });

  it('a handshake older than 180 s is a lost tunnel', () => {
    expect(judgeStatus(status({}, now - 170), now)).toBeUndefined();
    expect(judgeStatus(status({}, now - 181), now)).toMatchObject({ code: 'handshake_timeout' });
    expect(judgeStatus(status({}, 0), now)).toMatchObject({ code: 'handshake_timeout' });
  });
});
