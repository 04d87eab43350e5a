// Accepting real-shaped wg-quick files: what the typed config, the secrets and the summary hold.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProfileSummarySchema } from '../../../../app/domain/profile.js';
import {
  configFromRecord,
  parseWireGuardConfig,
  parseWireGuardProfile,
  publicKeyFromPrivate,
  secretsFromRecord,
} from '../../../../app/networks/wireguard/config/index.js';
import { CLIENT, MULLVAD_CONF, PSK, SERVER, SERVER2, WG_QUICK_CONF } from './fixtures.js';

const WG = '/usr/bin/wg';

describe('parseWireGuardProfile', () => {
  it('accepts a Mullvad-style file and keeps the private key out of config and details', () => {
    const profile = parseWireGuardProfile(MULLVAD_CONF, 'se-got-wg-001.conf');
    expect(profile.network).toBe('wireguard');
    expect(profile.suggestedName).toBe('se-got-wg-001');
    expect(profile.secrets).toEqual({ privateKey: CLIENT.privateKey });
    expect(JSON.stringify(profile.config)).not.toContain(CLIENT.privateKey);
    expect(JSON.stringify(profile.details)).not.toContain(CLIENT.privateKey);
    expect(profile.details).toMatchObject({
      endpoint: '185.65.135.224:51820',
      addresses: ['10.66.1.2/32', 'fc00:bbbb:bbbb:bb01::3:102/128'],
      dns: ['10.64.0.1'],
      allowedIps: ['0.0.0.0/0', '::0/0'],
      publicKey: CLIENT.publicKey,
      peerPublicKey: SERVER.publicKey,
      peers: 1,
      presharedKey: false,
      ipv6InTunnel: true,
    });
    // The details fit the domain's summary schema as they are.
    const summary = { id: 'se-got', name: profile.suggestedName, network: 'wireguard', details: profile.details, createdAt: new Date().toISOString() };
    expect(ProfileSummarySchema.safeParse(summary).success).toBe(true);
  });

  it('accepts a wg-quick file with CRLF, lower-case keys, repeated Address, PSK, host name and two peers', () => {
    const { config, secrets } = parseWireGuardConfig(WG_QUICK_CONF);
    expect(config.interface).toEqual({
      publicKey: CLIENT.publicKey,
      addresses: ['10.200.100.8/24', 'fd42:42:42::8/64'],
      dnsServers: ['10.200.100.1'],
      dnsSearch: ['home.example'],
      mtu: 1420,
      listenPort: 21841,
      fwmark: 0xca6c,
      table: 'auto',
    });
    expect(config.peers).toEqual([
      {
        publicKey: SERVER.publicKey,
        hasPresharedKey: true,
        endpoint: { host: 'vpn.example.com', port: 51820, hostKind: 'name' },
        allowedIps: ['0.0.0.0/0', '::/0'],
        persistentKeepalive: 25,
      },
      {
        publicKey: SERVER2.publicKey,
        hasPresharedKey: false,
        endpoint: { host: '2001:db8::7', port: 51821, hostKind: 'ipv6' },
        allowedIps: ['10.200.200.0/24'],
      },
    ]);
    expect(secrets).toEqual({ privateKey: CLIENT.privateKey, presharedKeys: { [SERVER.publicKey]: PSK } });
  });

  it('summarises several peers and names the profile after the endpoint when there is no file name', () => {
    const profile = parseWireGuardProfile(WG_QUICK_CONF);
    expect(profile.suggestedName).toBe('WireGuard vpn.example.com');
    expect(profile.details.endpoints).toEqual(['vpn.example.com:51820', '[2001:db8::7]:51821']);
    expect(profile.details.dnsSearch).toEqual(['home.example']);
    expect(profile.details.mtu).toBe(1420);
    expect(profile.details.presharedKey).toBe(true);
    expect(JSON.stringify(profile.details)).not.toContain(PSK);
    expect(JSON.stringify(profile.config)).not.toContain(PSK);
  });

  it('cleans the suggested name: directories, .conf and control characters go', () => {
    expect(parseWireGuardProfile(MULLVAD_CONF, '/home/me/Downloads/Proton\u0007 CH#1.CONF').suggestedName).toBe('Proton  CH#1');
  });

  it('accepts a byte-order mark, bare addresses (as /32 and /128) and a trailing comma', () => {
    const text = `\ufeff${MULLVAD_CONF.replace('10.66.1.2/32,fc00:bbbb:bbbb:bb01::3:102/128', '10.66.1.2, fc00::2,')}`;
    expect(parseWireGuardConfig(text).config.interface.addresses).toEqual(['10.66.1.2/32', 'fc00::2/128']);
  });

  it('round-trips config and secrets through the store records', () => {
    const profile = parseWireGuardProfile(WG_QUICK_CONF, 'home.conf');
    const config = configFromRecord(JSON.parse(JSON.stringify(profile.config)) as Record<string, unknown>);
    expect(config).toEqual(parseWireGuardConfig(WG_QUICK_CONF).config);
    expect(secretsFromRecord(profile.secrets)).toEqual(parseWireGuardConfig(WG_QUICK_CONF).secrets);
  });

  it('refuses damaged stored secrets without quoting them', () => {
    const broken = { privateKey: CLIENT.privateKey.slice(0, 40) };
    expect(() => secretsFromRecord(broken)).toThrow(/damaged \(privateKey\)/);
    try {
      secretsFromRecord(broken);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(broken.privateKey);
    }
  });
});

describe.skipIf(!existsSync(WG))('public key derivation agrees with `wg pubkey`', () => {
  it('for the fixture key and for random (unclamped) keys', () => {
    const keys = [CLIENT.privateKey, ...Array.from({ length: 8 }, () => randomBytes(32).toString('base64'))];
    for (const key of keys) {
      const expected = execFileSync(WG, ['pubkey'], { input: `${key}\n`, encoding: 'utf8' }).trim();
      expect(publicKeyFromPrivate(Buffer.from(key, 'base64'))).toBe(expected);
    }
  });
});
