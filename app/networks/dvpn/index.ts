// dVPN (Mysterium) for the registry: the profile parser, the driver and the kill switch's policy source.
import type { DvpnNodes } from '../../contract/dvpn.js';
import { BurrowError } from '../../domain/errors.js';
import type { ProfileParser } from '../../host/profile-import.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { NetworkDriver, StoredProfile } from '../../supervisor/driver.js';
import { helperBinary, lazyHelperUser, systemRedirectOf, type ProxyNetworkDeps } from '../nym/index.js';
import { withLocalResolver } from './local-resolver.js';
import { DvpnDriver } from './driver.js';
import { dvpnPolicySource } from './firewall-source.js';
import { detectDvpnProfile, parseDvpnProfile } from './profile.js';

export { DvpnDriver } from './driver.js';
export { parseDvpnProfile, parseDvpnProfileText, detectDvpnProfile } from './profile.js';

export const dvpnProfileParser: ProfileParser = {
  network: 'dvpn',
  detect: (text) => detectDvpnProfile(text),
  parse: (text, fileName) => parseDvpnProfile(text, fileName),
};

export interface DvpnNetwork {
  parser: ProfileParser;
  driver: DvpnDriver | undefined;
  firewallSource: TunnelPolicySource | undefined;
}

export function createDvpnNetwork(deps: ProxyNetworkDeps): DvpnNetwork {
  const env = deps.env ?? process.env;
  const driver =
    deps.dataDir === undefined
      ? undefined
      : new DvpnDriver({
          log: deps.log,
          ...(deps.settings === undefined ? {} : { settings: deps.settings }),
          findMyst: () => helperBinary('myst', 'BURROW_MYST', env),
          helperUser: lazyHelperUser('myst', deps.dataDir, env),
          systemRedirect: withLocalResolver(systemRedirectOf(deps), deps.netd),
        });
  const { settings, findProfile } = deps;
  const firewallSource =
    driver !== undefined && settings !== undefined && findProfile !== undefined ? dvpnPolicySource({ findProfile, settings, allowance: (id) => driver.allowance(id) }) : undefined;
  return { parser: dvpnProfileParser, driver, firewallSource };
}

/** The host's handler for `listDvpnNodes`: the picker's data for one dVPN profile. */
export async function listDvpnNodes(request: { profile: string; country?: string | undefined }, profile: StoredProfile | undefined, driver: NetworkDriver | undefined): Promise<DvpnNodes> {
  if (profile === undefined) throw new BurrowError('not_found', `There is no profile "${request.profile}".`);
  if (profile.network !== 'dvpn') throw new BurrowError('invalid_request', `"${profile.name}" is not a dVPN profile.`);
  if (!(driver instanceof DvpnDriver)) throw new BurrowError('not_implemented', 'The dVPN driver is not available in this host.');
  const { identity, nodes } = await driver.nodes(profile, request.country);
  const n = (value: number | undefined): number | null => value ?? null;
  return {
    identity: { id: identity.id, registrationStatus: identity.registrationStatus, balanceMyst: n(identity.balanceMyst) },
    nodes: nodes.map((node) => ({ ...node, pricePerGib: n(node.pricePerGib), pricePerHour: n(node.pricePerHour), quality: n(node.quality), latencyMs: n(node.latencyMs), bandwidthMbps: n(node.bandwidthMbps) })),
  };
}
