// The kill switch's view of a Nym profile. Proxy mode is nothing system-wide, as with Tor: programs reach
// the client's SOCKS port by choice, so the policy is open. System-wide mode needs the client under a uid
// of its own: while connecting that uid may go anywhere (init registers with a gateway and fetches the
// topology from nym-api, addresses Burrow cannot know beforehand) and everything else is redirected into
// ports where nothing answers yet; once connected, socks-redirect lets that uid reach only its gateway,
// the nym-api addresses and the system's resolvers, and sends every other program through redsocks.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Settings } from '../../domain/settings.js';
import type { FirewallPolicy } from '../../firewall/index.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { StoredProfile } from '../../supervisor/driver.js';
import { nymConfigFromRecord } from './config.js';
import type { NymAllowance } from './driver.js';
import { DNS_STUB_PORT, REDIRECT_PORT } from '../helper/system-redirect.js';

export interface NymPolicyDeps {
  findProfile(id: string): StoredProfile | undefined;
  settings(): Settings;
  allowance(profileId: string): NymAllowance | undefined;
  /** The system resolvers the client itself may ask (default: /etc/resolv.conf's nameservers). */
  nameservers?: () => string[];
}

export function systemNameservers(file = '/etc/resolv.conf'): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1] ?? '')
      .filter((ip) => isIP(ip) !== 0 && !ip.startsWith('127.'))
      .slice(0, 3);
  } catch {
    return [];
  }
}

/** The policy for a system-wide proxy network; undefined (block) without a dedicated helper uid. */
export function proxySystemPolicy(
  allowance: NymAllowance | undefined,
  phase: 'connecting' | 'connected',
  settings: Settings,
  nameservers: string[],
): FirewallPolicy | undefined {
  if (allowance === undefined || !allowance.dedicated || allowance.uid === 0) return undefined;
  const allowLan = settings.allowLan;
  if (phase === 'connecting' || allowance.gateway === undefined) {
    return { kind: 'tor-system', torUid: allowance.uid, transPort: REDIRECT_PORT, dnsPort: DNS_STUB_PORT, allowLan };
  }
  return {
    kind: 'socks-redirect',
    proxyUid: allowance.uid,
    redirectPort: REDIRECT_PORT,
    dnsStubPort: DNS_STUB_PORT,
    allowedGateways: [
      { ip: allowance.gateway.ip, port: allowance.gateway.port, proto: 'tcp' },
      ...allowance.nymApis.map((api) => ({ ip: api.ip, port: api.port, proto: 'tcp' as const })),
      ...nameservers.map((ip) => ({ ip, port: 53 })),
    ],
    allowLan,
  };
}

export function nymPolicySource(deps: NymPolicyDeps): TunnelPolicySource {
  return (target, phase) => {
    const profile = deps.findProfile(target.profileId);
    if (profile === undefined) return Promise.resolve(undefined);
    const config = nymConfigFromRecord(profile.config);
    if (config.mode === 'proxy') return Promise.resolve({ kind: 'open' });
    return Promise.resolve(proxySystemPolicy(deps.allowance(target.profileId), phase, deps.settings(), (deps.nameservers ?? systemNameservers)()));
  };
}
