// The kill switch's view of a WireGuard profile: given the target of a connecting or connected state, the
// tunnel policy that lets exactly this tunnel through. Endpoint names are resolved here first (while the
// rules still allow it) and remembered, so the driver connects to the address the firewall allows.
import type { Settings } from '../../domain/index.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { StoredProfile } from '../../supervisor/driver.js';
import type { EndpointResolver } from './endpoints.js';
import { loadConfig } from './profile-data.js';
import { obfsHelperUid, tunnelFacts, tunnelPolicy } from './tunnel-plan.js';

export interface WireGuardPolicyDeps {
  findProfile(id: string): StoredProfile | undefined;
  resolver: EndpointResolver;
  settings(): Settings;
  /** Burrow's transport helper account's uid (obfuscated profiles only); default: looked up by name. */
  helperUid?: () => number | undefined;
}

export function wireguardPolicySource(deps: WireGuardPolicyDeps): TunnelPolicySource {
  return async (target, phase) => {
    const profile = deps.findProfile(target.profileId);
    if (profile === undefined) return undefined;
    const config = loadConfig(profile);
    const settings = deps.settings();
    const resolved = await deps.resolver.resolveAll(config).catch(() => undefined);
    // Without an address for the server nothing can be allowed through: the caller blocks instead.
    if (resolved === undefined) return undefined;
    const uid = config.obfuscation === undefined ? undefined : (deps.helperUid ?? obfsHelperUid)();
    // Without the helper's account the transport cannot be allowed (a missing uid lets nothing out): block.
    try {
      return tunnelPolicy(tunnelFacts(config, resolved, settings, uid), settings, phase);
    } catch {
      return undefined;
    }
  };
}
