// The kill switch's brain: every tunnel state becomes one firewall policy, which netd applies atomically
// and verifies. Blocking states block; a connecting or connected tunnel lets exactly its own traffic
// through (the network supplies that policy); a plain disconnected state without lockdown is open.
// When anything needed for a tunnel policy is missing, the answer is "block", never "open". Under lockdown
// nothing leaves but what Burrow runs: a network that answers "open" (a proxy-mode profile: every program
// would go out as it is) is refused with a reason, never applied (issue 12 item 2).
import { BurrowError, NETWORK_LABELS, toErrorInfo, type NetworkKind, type Settings, type Target, type TunnelState } from '../domain/index.js';
import type { FirewallPolicy } from '../firewall/index.js';
import type { FirewallEnforcer } from '../supervisor/supervisor.js';
import { isBlocking } from '../supervisor/state-machine.js';
import type { NetdClient } from './client.js';

/** A network's answer to "what may this tunnel send?"; undefined when it cannot say (then: block). */
export type TunnelPolicySource = (target: Target, phase: 'connecting' | 'connected') => Promise<FirewallPolicy | undefined>;

export interface FirewallEnforcerDeps {
  netd: NetdClient;
  settings(): Settings;
  /** Per network: the policy that lets a connecting or connected tunnel of that network through. */
  sources: Partial<Record<NetworkKind, TunnelPolicySource>>;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

export interface NetdFirewallEnforcer extends FirewallEnforcer {
  policyFor(state: TunnelState): Promise<FirewallPolicy>;
  /** The next enforce applies even an unchanged policy (the table was changed behind netd's back). */
  forget(): void;
}

export function createFirewallEnforcer(deps: FirewallEnforcerDeps): NetdFirewallEnforcer {
  let lastApplied: string | undefined;

  const tunnelOrBlock = async (state: Extract<TunnelState, { state: 'connecting' | 'connected' }>, block: FirewallPolicy): Promise<FirewallPolicy> => {
    const source = deps.sources[state.target.network];
    if (source === undefined) {
      deps.log('warn', `There is no firewall policy for ${state.target.network} tunnels yet: everything stays blocked.`);
      return block;
    }
    let policy: FirewallPolicy;
    try {
      policy = (await source(state.target, state.state)) ?? block;
    } catch (error) {
      deps.log('warn', `The firewall policy for ${state.target.profileName} could not be built (${toErrorInfo(error).message}): blocking instead.`);
      return block;
    }
    if (policy.kind === 'open' && deps.settings().lockdown) throw lockdownRefusal(state.target);
    return policy;
  };

  const policyFor = async (state: TunnelState): Promise<FirewallPolicy> => {
    const settings = deps.settings();
    const block: FirewallPolicy = { kind: 'block', allowLan: settings.allowLan };
    const open: FirewallPolicy = { kind: 'open' };
    const blocking = isBlocking(state, { killSwitch: settings.killSwitch, lockdown: settings.lockdown });
    switch (state.state) {
      case 'connected':
        // Mullvad's model: a connected tunnel always gets its rules (DNS only to the tunnel's DNS), with or
        // without the kill switch; the switch decides what happens around it.
        return tunnelOrBlock(state, block);
      case 'connecting':
        return blocking ? tunnelOrBlock(state, block) : open;
      case 'disconnected':
      case 'disconnecting':
      case 'error':
        return blocking ? block : open;
    }
  };

  return {
    policyFor,
    forget() {
      lastApplied = undefined;
    },
    async enforce(state) {
      const policy = await policyFor(state);
      const key = JSON.stringify(policy);
      // Refreshed details of a connected tunnel change nothing: re-applying would only reset the counters.
      if (key === lastApplied) return;
      lastApplied = undefined;
      const result = await deps.netd.call('applyFirewall', { policy });
      lastApplied = key;
      deps.log('info', `Firewall: ${result.applied} policy in place for ${state.state} (${result.ms} ms, verified).`);
    },
  };
}

/** Not retried: the profile cannot connect under lockdown as it is (code `conflict`). */
export function lockdownRefusal(target: Target): BurrowError {
  return new BurrowError(
    'conflict',
    `Lockdown is on, and "${target.profileName}" is a ${NETWORK_LABELS[target.network]} profile in proxy mode: connecting it would let every program out in the clear. Use the profile in system-wide mode, or turn lockdown off.`,
    { network: target.network },
  );
}
