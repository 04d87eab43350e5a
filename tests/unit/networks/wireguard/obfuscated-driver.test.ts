// An obfuscated WireGuard profile on Burrow's own connect path, against a recording netd: the transport
// helper is asked for before the interface, WireGuard's peer points at the helper's port, the kill switch
// lets exactly the helper's uid reach exactly the transport server, the details name the transport, and
// disconnect stops the helper. The real programs run in tests/lab/wireguard-obfuscated.test.ts.
import { describe, expect, it } from 'vitest';
import { OBFS_LOCAL_PORT, netdCommands, type NetdCommandName } from '../../../../app/contract/index.js';
import { DEFAULT_SETTINGS } from '../../../../app/domain/settings.js';
import type { NetdClient } from '../../../../app/netd/client.js';
import { parseWireGuardProfile } from '../../../../app/networks/wireguard/config/index.js';
import { WireGuardDriver } from '../../../../app/networks/wireguard/driver.js';
import { EndpointResolver } from '../../../../app/networks/wireguard/endpoints.js';
import { wireguardPolicySource } from '../../../../app/networks/wireguard/firewall-source.js';
import { rungOf } from '../../../../app/smart/rungs.js';
import type { DriverSession, StoredProfile } from '../../../../app/supervisor/driver.js';
import { SS, WG } from './obfuscation-fixtures.js';

const VLESS = `[Obfuscation]
Type = vless-ws-tls
Server = 198.51.100.8:443
Id = 0f9e3c4a-1b2c-4d5e-8f90-a1b2c3d4e5f6
Path = /ws
ServerName = cdn.example.net
`;

function stored(text: string, id = 'p1'): StoredProfile {
  const parsed = parseWireGuardProfile(text, `${id}.conf`);
  return { id, name: id, network: 'wireguard', config: parsed.config, secrets: parsed.secrets };
}

function recordingNetd(): { netd: NetdClient; calls: { method: string; request: unknown }[] } {
  const calls: { method: string; request: unknown }[] = [];
  const answers: Partial<Record<NetdCommandName, unknown>> = {
    obfsStart: { pid: 42, program: 'ss-tunnel', uid: 4243, user: 'burrow-obfs', localPort: OBFS_LOCAL_PORT },
    obfsStop: { stopped: true },
    wgUp: { ifname: 'burrow0', implementation: 'userspace', ms: 5 },
    wgDown: { removed: true },
    setDns: { set: true },
    restoreDns: { restored: true },
    wgStatus: { ifname: 'burrow0', exists: true, implementation: 'userspace', process: null, peers: [{ publicKey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', lastHandshakeSec: Math.floor(Date.now() / 1000), rxBytes: 92, txBytes: 148 }] },
  };
  const netd = {
    socketPath: '/nonexistent',
    call(method: NetdCommandName, request: unknown) {
      // What the driver sends must pass netd's own checks.
      netdCommands[method].request.parse(request);
      calls.push({ method, request });
      return Promise.resolve(answers[method]);
    },
  } as NetdClient;
  return { netd, calls };
}

const session = (): DriverSession => ({ signal: new AbortController().signal, progress: () => undefined, lost: () => undefined, update: () => undefined, log: () => undefined });
const settings = () => ({ ...DEFAULT_SETTINGS, leakServer: { ...DEFAULT_SETTINGS.leakServer, url: '' } });

describe('WireGuard over an obfuscating transport, through the driver', () => {
  it('starts the helper first, points the peer at its port, names the transport, stops it on disconnect', async () => {
    const { netd, calls } = recordingNetd();
    const driver = new WireGuardDriver({ netd, resolver: new EndpointResolver(), settings, helperUid: () => 4243 });
    const details = await driver.connect(stored(`${WG}\n${SS}`), session());
    const methods = calls.map((c) => c.method);
    expect(methods.indexOf('obfsStart')).toBeLessThan(methods.indexOf('wgUp'));
    expect(calls.find((c) => c.method === 'obfsStart')?.request).toEqual({
      type: 'shadowsocks', server: { ip: '198.51.100.8', port: 8388 }, method: 'chacha20-ietf-poly1305', password: 'hunter2-not-for-logs', target: { ip: '198.51.100.7', port: 51820 },
    });
    const up = calls.find((c) => c.method === 'wgUp')?.request as { peers: { endpoint: unknown }[] };
    expect(up.peers[0]?.endpoint).toEqual({ ip: '127.0.0.1', port: OBFS_LOCAL_PORT });
    expect(details.endpoint).toBe('198.51.100.7:51820');
    expect(details.extra).toMatchObject({ transport: 'WireGuard over Shadowsocks', transportServer: '198.51.100.8:8388/udp' });
    await driver.disconnect();
    expect(calls.at(-1)?.method === 'obfsStop' || calls.some((c, i) => c.method === 'obfsStop' && i > methods.indexOf('wgUp'))).toBe(true);
  });

  it('a plain profile never asks for a helper', async () => {
    const { netd, calls } = recordingNetd();
    const driver = new WireGuardDriver({ netd, resolver: new EndpointResolver(), settings, helperUid: () => 4243 });
    await driver.connect(stored(WG), session());
    expect(calls.some((c) => c.method === 'obfsStart')).toBe(false);
    expect((calls.find((c) => c.method === 'wgUp')?.request as { peers: { endpoint: unknown }[] }).peers[0]?.endpoint).toEqual({ ip: '198.51.100.7', port: 51820 });
    await driver.disconnect();
  });
});

describe('the kill switch of an obfuscated profile', () => {
  const source = (profile: StoredProfile, uid: number | undefined) =>
    wireguardPolicySource({ findProfile: () => profile, resolver: new EndpointResolver(), settings, helperUid: () => uid });
  const target = { network: 'wireguard' as const, profileId: 'p1', profileName: 'p1' };

  it('allows the helper uid to the transport server (UDP for Shadowsocks, TCP for VLESS), WireGuard to loopback only', async () => {
    const ss = await source(stored(`${WG}\n${SS}`), 4243)(target, 'connecting');
    expect(ss).toMatchObject({ kind: 'tunnel', endpoints: [{ ip: '127.0.0.1', port: OBFS_LOCAL_PORT, proto: 'udp' }], transport: { uid: 4243, ip: '198.51.100.8', port: 8388, proto: 'udp' } });
    const vless = await source(stored(`${WG}\n${VLESS}`), 4243)(target, 'connected');
    expect(vless).toMatchObject({ transport: { uid: 4243, ip: '198.51.100.8', port: 443, proto: 'tcp' } });
    // The real WireGuard server is nowhere in the policy: only the helper's transport leaves.
    expect(JSON.stringify(ss)).not.toContain('198.51.100.7');
  });

  it('without the helper account there is no policy to let anything out (the caller blocks)', async () => {
    expect(await source(stored(`${WG}\n${SS}`), undefined)(target, 'connecting')).toBeUndefined();
  });
});

describe('Smart connect rungs', () => {
  it('an obfuscated profile stands on its transport\'s rung', () => {
    expect(rungOf(stored(WG))).toBe('wireguard');
    expect(rungOf(stored(`${WG}\n${SS}`))).toBe('wireguard-shadowsocks');
    expect(rungOf(stored(`${WG}\n${VLESS}`))).toBe('wireguard-vless');
  });
});
