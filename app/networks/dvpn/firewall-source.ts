// The kill switch's view of a dVPN profile. Proxy mode is nothing system-wide (as with Tor and Nym): open.
// System-wide mode lets myst's own uid go anywhere — it talks to Mysterium's discovery, broker and payment
// services and to whichever node it negotiates, none of them known beforehand, exactly like tor's uid in
// Tor's system-wide mode — and sends every other uid's TCP to redsocks and its DNS to the stub. The policy
// shape is the firewall's `tor-system` kind (an exempt uid plus the two redirects); only a dedicated uid
// may be exempted, otherwise Burrow blocks.
import type { Settings } from '../../domain/settings.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { StoredProfile } from '../../supervisor/driver.js';
import { DNS_STUB_PORT, REDIRECT_PORT } from '../helper/system-redirect.js';
import { dvpnConfigFromRecord } from './config.js';

export interface DvpnPolicyDeps {
  findProfile(id: string): StoredProfile | undefined;
  settings(): Settings;
  allowance(profileId: string): { uid: number; dedicated: boolean } | undefined;
}

export function dvpnPolicySource(deps: DvpnPolicyDeps): TunnelPolicySource {
  return (target) => {
    const profile = deps.findProfile(target.profileId);
    if (profile === undefined) return Promise.resolve(undefined);
    const config = dvpnConfigFromRecord(profile.config);
    if (config.mode === 'proxy') return Promise.resolve({ kind: 'open' });
    const allowance = deps.allowance(target.profileId);
    if (allowance === undefined || !allowance.dedicated || allowance.uid === 0) return Promise.resolve(undefined);
    return Promise.resolve({ kind: 'tor-system', torUid: allowance.uid, transPort: REDIRECT_PORT, dnsPort: DNS_STUB_PORT, allowLan: deps.settings().allowLan });
  };
}
