// dVPN (Mysterium) for the registry: the profile parser, the driver and the kill switch's policy source.
import type { ProfileParser } from '../../host/profile-import.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import { helperBinary, lazyHelperUser, systemRedirectOf, type ProxyNetworkDeps } from '../nym/index.js';
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
          systemRedirect: systemRedirectOf(deps),
        });
  const { settings, findProfile } = deps;
  const firewallSource =
    driver !== undefined && settings !== undefined && findProfile !== undefined ? dvpnPolicySource({ findProfile, settings, allowance: (id) => driver.allowance(id) }) : undefined;
  return { parser: dvpnProfileParser, driver, firewallSource };
}
