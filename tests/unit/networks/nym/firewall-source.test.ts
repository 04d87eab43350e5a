// What the kill switch lets a Nym tunnel through: proxy mode is open; system-wide mode exempts only a
// dedicated helper uid (anywhere while connecting; only the gateway, nym-api and resolvers once connected)
// and redirects every other uid. Every policy must pass the firewall's own validation.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Target } from '../../../../app/domain/index.js';
import { validateFirewallPolicy } from '../../../../app/firewall/index.js';
import { nymPolicySource, proxySystemPolicy, systemNameservers } from '../../../../app/networks/nym/firewall-source.js';
import { DNS_STUB_PORT, REDIRECT_PORT } from '../../../../app/networks/helper/system-redirect.js';
import type { StoredProfile } from '../../../../app/supervisor/driver.js';

const PROVIDER = `${'A'.repeat(44)}.${'B'.repeat(44)}@${'C'.repeat(44)}`;
const nymProfile = (mode: 'proxy' | 'system'): StoredProfile => ({
  id: 'mix',
  name: 'mix',
  network: 'nym',
  config: { version: 1, mode, provider: PROVIDER, socksPort: 1080, averagePacketDelayMs: 15, coverTraffic: true, nymApis: [] },
  secrets: {},
});
const target: Target = { profileId: 'mix', profileName: 'mix', network: 'nym' };
const dedicated = { uid: 65534, dedicated: true, gateway: { ip: '10.9.90.1', port: 9000 }, nymApis: [{ ip: '10.9.90.3', port: 443 }] };

describe('Nym policy source', () => {
  it('proxy mode is open, as Tor\'s proxy mode is', async () => {
    const source = nymPolicySource({ findProfile: () => nymProfile('proxy'), settings: () => DEFAULT_SETTINGS, allowance: () => dedicated });
    expect(await source(target, 'connected')).toEqual({ kind: 'open' });
  });

  it('system-wide, connecting: the helper uid may go anywhere, every other uid is redirected', async () => {
    const source = nymPolicySource({ findProfile: () => nymProfile('system'), settings: () => DEFAULT_SETTINGS, allowance: () => ({ uid: 65534, dedicated: true, nymApis: [] }) });
    const policy = await source(target, 'connecting');
    expect(policy).toEqual({ kind: 'tor-system', torUid: 65534, transPort: REDIRECT_PORT, dnsPort: DNS_STUB_PORT, allowLan: false });
    expect(validateFirewallPolicy(policy)).toEqual(policy);
  });

  it('system-wide, connected: only the gateway, nym-api and the system resolvers for the helper uid', async () => {
    const source = nymPolicySource({ findProfile: () => nymProfile('system'), settings: () => ({ ...DEFAULT_SETTINGS, allowLan: true }), allowance: () => dedicated, nameservers: () => ['10.9.1.1'] });
    const policy = await source(target, 'connected');
    expect(policy).toEqual({
      kind: 'socks-redirect',
      proxyUid: 65534,
      redirectPort: REDIRECT_PORT,
      dnsStubPort: DNS_STUB_PORT,
      allowedGateways: [
        { ip: '10.9.90.1', port: 9000, proto: 'tcp' },
        { ip: '10.9.90.3', port: 443, proto: 'tcp' },
        { ip: '10.9.1.1', port: 53 },
      ],
      allowLan: true,
    });
    expect(validateFirewallPolicy(policy)).toEqual(policy);
  });

  it('blocks (undefined) without a dedicated uid, without the driver\'s facts, or for a missing profile', async () => {
    expect(proxySystemPolicy({ ...dedicated, dedicated: false }, 'connected', DEFAULT_SETTINGS, [])).toBeUndefined();
    expect(proxySystemPolicy({ ...dedicated, uid: 0 }, 'connected', DEFAULT_SETTINGS, [])).toBeUndefined();
    expect(proxySystemPolicy(undefined, 'connecting', DEFAULT_SETTINGS, [])).toBeUndefined();
    const gone = nymPolicySource({ findProfile: () => undefined, settings: () => DEFAULT_SETTINGS, allowance: () => dedicated });
    expect(await gone(target, 'connected')).toBeUndefined();
  });

  it('reads the system resolvers from resolv.conf, loopback stubs left out', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'burrow-resolv-')), 'resolv.conf');
    writeFileSync(file, '# x\nnameserver 10.9.1.1\nnameserver 127.0.0.53\nnameserver fd00::1\nsearch lan\n');
    expect(systemNameservers(file)).toEqual(['10.9.1.1', 'fd00::1']);
    expect(systemNameservers('/nonexistent')).toEqual([]);
  });
});
