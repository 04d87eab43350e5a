// [Obfuscation] sections in a Burrow WireGuard profile: what a person pastes from a provider, what the
// transport helper is started with, and what is refused.
import { describe, expect, it } from 'vitest';
import { CONFIG_PLACEHOLDER, describeObfuscation, helperPlan, ObfuscationError, splitObfuscation } from '../../../../app/networks/wireguard/obfuscation/index.js';
import { parseWireGuardConfig } from '../../../../app/networks/wireguard/config/index.js';
import { SS, WG } from './obfuscation-fixtures.js';

const VLESS = `[Obfuscation]
# the provider's TLS-looking transport
Type = vless-ws-tls
Server = 198.51.100.8:443
Id = 0f9e3c4a-1b2c-4d5e-8f90-a1b2c3d4e5f6
Path = /ws
ServerName = cdn.example.net
`;

describe('[Obfuscation] sections', () => {
  it('split off cleanly: the rest still parses as WireGuard, with line numbers unchanged', () => {
    const split = splitObfuscation(`${WG}\n${SS}\n${VLESS}`);
    expect(split.obfuscations).toEqual([
      { type: 'shadowsocks', server: { host: '198.51.100.8', port: 8388 }, method: 'chacha20-ietf-poly1305' },
      { type: 'vless-ws-tls', server: { host: '198.51.100.8', port: 443 }, path: '/ws', serverName: 'cdn.example.net', caPem: undefined },
    ]);
    expect(split.secrets).toEqual([{ password: 'hunter2-not-for-logs' }, { id: '0f9e3c4a-1b2c-4d5e-8f90-a1b2c3d4e5f6' }]);
    expect(split.wireguardText.split('\n')).toHaveLength(`${WG}\n${SS}\n${VLESS}`.split('\n').length);
    expect(() => parseWireGuardConfig(split.wireguardText)).not.toThrow();
    // Without splitting, the WireGuard parser refuses the unknown section: the split is what makes it importable.
    expect(() => parseWireGuardConfig(`${WG}\n${SS}`)).toThrow();
  });

  it('the description a person sees never holds the password or id', () => {
    const split = splitObfuscation(`${WG}\n${SS}\n${VLESS}`);
    const text = split.obfuscations.map(describeObfuscation).join('\n');
    expect(text).toBe('Shadowsocks (chacha20-ietf-poly1305) via 198.51.100.8:8388\nVLESS over WebSocket+TLS (cdn.example.net/ws) via 198.51.100.8:443');
    expect(text).not.toMatch(/hunter2|0f9e3c4a/);
  });

  it.each([
    ['an unknown type', SS.replace('shadowsocks', 'openvpn'), /line 11: Type must be shadowsocks or vless-ws-tls/],
    ['a stream cipher', SS.replace('chacha20-ietf-poly1305', 'rc4-md5'), /line 13: Method must be one of/],
    ['a key of the other type', `${SS}Path = /x\n`, /line 15: shadowsocks takes/],
    ['no password', SS.replace(/Password.*\n/, ''), /line 10: this \[Obfuscation\] section has no Password/],
    ['a server without a port', SS.replace(':8388', ''), /line 12: Server must be host:port/],
    ['an id that is no UUID', VLESS.replace('0f9e3c4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', 'abc'), /line 14: Id must be a UUID/],
    ['a CA that is not PEM', `${VLESS}CA = ${Buffer.from('hello').toString('base64')}\n`, /line 17: CA must be a base64-encoded PEM/],
  ])('refuses %s with the line and a sentence', (_what, section, message) => {
    let caught: unknown;
    try {
      splitObfuscation(`${WG}\n${section}`);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ObfuscationError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toMatch(/hunter2/);
  });
});

describe('transport helper plan', () => {
  const [ss, vless] = splitObfuscation(`${WG}\n${SS}\n${VLESS}`).obfuscations;
  const [ssSecret, vlessSecret] = splitObfuscation(`${WG}\n${SS}\n${VLESS}`).secrets;

  it('ss-tunnel relays UDP only to the WireGuard endpoint; the password is in the config, never argv', () => {
    const plan = helperPlan(ss!, ssSecret!, '198.51.100.7:51820', 51901);
    expect(plan.argv).toEqual(['ss-tunnel', '-c', CONFIG_PLACEHOLDER, '-U', '-L', '198.51.100.7:51820']);
    expect(plan.argv.join(' ')).not.toContain('hunter2');
    expect(JSON.parse(plan.config)).toMatchObject({ server: '198.51.100.8', server_port: 8388, local_port: 51901, password: 'hunter2-not-for-logs', mode: 'udp_only' });
    expect(plan.localEndpoint).toBe('127.0.0.1:51901');
    expect(plan.exemption).toEqual({ host: '198.51.100.8', port: 8388, protocol: 'udp' });
  });

  it('v2ray takes WireGuard’s UDP in a dokodemo-door and carries it over VLESS+WebSocket+TLS, verifying the certificate', () => {
    const plan = helperPlan(vless!, vlessSecret!, '198.51.100.7:51820', 51902, '/tmp/ca.pem');
    expect(plan.argv).toEqual(['v2ray', '-config', CONFIG_PLACEHOLDER]);
    const config = JSON.parse(plan.config) as { inbounds: unknown[]; outbounds: { streamSettings: { tlsSettings: Record<string, unknown> } }[] };
    expect(config.inbounds[0]).toMatchObject({ listen: '127.0.0.1', port: 51902, protocol: 'dokodemo-door', settings: { address: '198.51.100.7', port: 51820, network: 'udp' } });
    expect(config.outbounds[0]?.streamSettings.tlsSettings).toEqual({ serverName: 'cdn.example.net', allowInsecure: false, certificates: [{ usage: 'verify', certificateFile: '/tmp/ca.pem' }] });
    expect(plan.exemption).toEqual({ host: '198.51.100.8', port: 443, protocol: 'tcp' });
  });

  it('refuses a privileged or bogus local port', () => {
    expect(() => helperPlan(ss!, ssSecret!, '198.51.100.7:51820', 53)).toThrow(/local port out of range/);
  });
});

describe('importing a provider file with [Obfuscation]', () => {
  it('keeps the obfuscation in the profile, its secret with the secrets, and shows it without the secret', async () => {
    const { parseWireGuardProfile, configFromRecord, secretsFromRecord } = await import('../../../../app/networks/wireguard/config/index.js');
    const parsed = parseWireGuardProfile(`${WG}\n${SS}`, 'provider.conf');
    expect(parsed.details.obfuscation).toEqual(['Shadowsocks (chacha20-ietf-poly1305) via 198.51.100.8:8388']);
    expect(JSON.stringify(parsed.config)).not.toContain('hunter2');
    expect(JSON.stringify(parsed.details)).not.toContain('hunter2');
    expect(parsed.secrets['obfuscation:0']).toBe('hunter2-not-for-logs');
    // Read back from the store: both records still pass their strict checks.
    expect(configFromRecord(JSON.parse(JSON.stringify(parsed.config)) as Record<string, unknown>).obfuscation?.[0]?.type).toBe('shadowsocks');
    expect(secretsFromRecord(parsed.secrets).privateKey).toBe('yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=');
    // A plain file is unchanged: no obfuscation key at all.
    expect('obfuscation' in parseWireGuardProfile(WG).config).toBe(false);
  });

  it('an error in the section is an invalid_profile with its line, like any other line of the file', async () => {
    const { parseWireGuardProfile } = await import('../../../../app/networks/wireguard/config/index.js');
    expect(() => parseWireGuardProfile(`${WG}\n${SS.replace('shadowsocks', 'openvpn')}`)).toThrow(/^Line 11: Type must be shadowsocks or vless-ws-tls/);
  });
});
