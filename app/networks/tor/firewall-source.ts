// The kill switch's view of a Tor profile. Proxy mode is, by the person's choice, nothing system-wide: tor
// runs as the person's own uid, so no rule could tell its packets from any other program's, and blocking
// would only block tor. System-wide mode is the `tor-system` policy (Tails-style): tor's uid goes out,
// every other uid's TCP goes to the TransPort and its DNS to the DNSPort, the rest is refused.
import type { Settings } from '../../domain/settings.js';
import type { FirewallPolicy } from '../../firewall/index.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { StoredProfile } from '../../supervisor/driver.js';
import { torConfigFromRecord } from './config.js';

export interface SystemTorFacts {
  /** tor's uid (netd's `User`); undefined when this machine has no such user: then block. */
  torUid: number | undefined;
  transPort: number;
  dnsPort: number;
}

export interface TorPolicyDeps {
  findProfile(id: string): StoredProfile | undefined;
  settings(): Settings;
  system(): SystemTorFacts;
}

export function torPolicy(mode: 'proxy' | 'system', facts: SystemTorFacts, settings: Settings): FirewallPolicy | undefined {
  if (mode === 'proxy') return { kind: 'open' };
  if (facts.torUid === undefined) return undefined;
  return { kind: 'tor-system', torUid: facts.torUid, transPort: facts.transPort, dnsPort: facts.dnsPort, allowLan: settings.allowLan };
}

export function torPolicySource(deps: TorPolicyDeps): TunnelPolicySource {
  return (target) => {
    const profile = deps.findProfile(target.profileId);
    if (profile === undefined) return Promise.resolve(undefined);
    const config = torConfigFromRecord(profile.config);
    return Promise.resolve(torPolicy(config.mode, deps.system(), deps.settings()));
  };
}
