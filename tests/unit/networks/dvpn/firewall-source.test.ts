// What the kill switch lets a dVPN tunnel through. Every policy must pass the firewall's own validation.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Target } from '../../../../app/domain/index.js';
import { validateFirewallPolicy } from '../../../../app/firewall/index.js';
import { dvpnPolicySource } from '../../../../app/networks/dvpn/firewall-source.js';
import { DNS_STUB_PORT, REDIRECT_PORT } from '../../../../app/networks/helper/system-redirect.js';
import type { StoredProfile } from '../../../../app/supervisor/driver.js';

describe('dVPN policy source', () => {
  const dvpn = (mode: 'proxy' | 'system'): StoredProfile => ({ id: 'd', name: 'd', network: 'dvpn', config: { version: 1, provider: 'mysterium', mode, tequilapiPort: 44050, proxyPort: 10000 }, secrets: {} });
  const t: Target = { profileId: 'd', profileName: 'd', network: 'dvpn' };

  it('proxy mode is open; system-wide exempts myst\'s dedicated uid (its control plane and node are not known beforehand)', async () => {
    expect(await dvpnPolicySource({ findProfile: () => dvpn('proxy'), settings: () => DEFAULT_SETTINGS, allowance: () => undefined })(t, 'connected')).toEqual({ kind: 'open' });
    const policy = await dvpnPolicySource({ findProfile: () => dvpn('system'), settings: () => DEFAULT_SETTINGS, allowance: () => ({ uid: 65534, dedicated: true }) })(t, 'connected');
    expect(policy).toEqual({ kind: 'tor-system', torUid: 65534, transPort: REDIRECT_PORT, dnsPort: DNS_STUB_PORT, allowLan: false });
    expect(validateFirewallPolicy(policy)).toEqual(policy);
    expect(await dvpnPolicySource({ findProfile: () => dvpn('system'), settings: () => DEFAULT_SETTINGS, allowance: () => ({ uid: 1000, dedicated: false }) })(t, 'connecting')).toBeUndefined();
  });
});
