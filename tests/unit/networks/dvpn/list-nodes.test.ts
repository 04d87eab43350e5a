// The host's listDvpnNodes handler: which profile, which driver, and the answer in the contract's shape
// (unknown amounts are null, never a made-up zero).
import { describe, expect, it } from 'vitest';
import { DvpnNodesSchema } from '../../../../app/contract/dvpn.js';
import { DvpnDriver } from '../../../../app/networks/dvpn/driver.js';
import type { IdentityFacts } from '../../../../app/networks/dvpn/identity.js';
import { listDvpnNodes } from '../../../../app/networks/dvpn/index.js';
import type { NodeOffer } from '../../../../app/networks/dvpn/tequilapi.js';
import type { StoredProfile } from '../../../../app/supervisor/driver.js';

const profile: StoredProfile = { id: 'd', name: 'D', network: 'dvpn', config: { version: 1, provider: 'mysterium', mode: 'proxy', tequilapiPort: 44050, proxyPort: 10000 }, secrets: {} };

class FakeDvpn extends DvpnDriver {
  asked: (string | undefined)[] = [];
  constructor() {
    super({ log: () => undefined, findMyst: () => '/usr/bin/myst', helperUser: () => ({ name: 'me', uid: 1000, gid: 1000, home: '/tmp', dedicated: false }) });
  }
  override nodes(_profile: StoredProfile, country?: string): Promise<{ identity: IdentityFacts; nodes: NodeOffer[] }> {
    this.asked.push(country);
    return Promise.resolve({
      identity: { id: '0xab', registrationStatus: 'Unregistered', balanceMyst: undefined, source: 'default' },
      nodes: [{ providerId: '0x1', country: 'NL', city: '', ipType: 'residential', pricePerGib: 0.1, pricePerHour: undefined, quality: undefined, latencyMs: 20, bandwidthMbps: undefined }],
    });
  }
}

describe('listDvpnNodes', () => {
  it('answers in the contract\'s shape; unknown numbers are null', async () => {
    const driver = new FakeDvpn();
    const answer = await listDvpnNodes({ profile: 'd', country: 'NL' }, profile, driver);
    expect(DvpnNodesSchema.parse(answer)).toEqual(answer);
    expect(answer.identity).toMatchObject({ id: '0xab', registrationStatus: 'Unregistered', balanceMyst: null, mayConnect: false, source: 'default' });
    expect(answer.identity.hint).toMatch(/Not registered.*Register it/);
    expect(answer.nodes[0]).toMatchObject({ pricePerGib: 0.1, pricePerHour: null, quality: null, latencyMs: 20 });
    expect(driver.asked).toEqual(['NL']);
  });

  it('refuses a missing profile, another network\'s profile, a missing driver', async () => {
    await expect(listDvpnNodes({ profile: 'x' }, undefined, new FakeDvpn())).rejects.toMatchObject({ code: 'not_found' });
    await expect(listDvpnNodes({ profile: 'd' }, { ...profile, network: 'nym' }, new FakeDvpn())).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(listDvpnNodes({ profile: 'd' }, profile, undefined)).rejects.toMatchObject({ code: 'not_implemented' });
  });
});
