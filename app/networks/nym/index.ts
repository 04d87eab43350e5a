// Nym for the registry: the profile parser, the driver (when the host has a data directory) and the kill
// switch's policy source (with netd). Everything Nym-specific stays in this folder; what it shares with
// the other helper-driven networks is in app/networks/helper/.
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { ProfileParser } from '../../supervisor/driver.js';
import { helperBinary } from '../helper/executables.js';
import { lazyHelperUser, systemLauncherOf, systemRedirectOf, type ProxyNetworkDeps } from '../helper/proxy-network.js';
import { NymDriver } from './driver.js';
import { nymPolicySource } from './firewall-source.js';
import { detectNymProfile, parseNymProfile } from './profile.js';

export { NymDriver } from './driver.js';
export { parseNymProfile, parseNymProfileText, detectNymProfile } from './profile.js';

export const nymProfileParser: ProfileParser = {
  network: 'nym',
  detect: (text) => detectNymProfile(text),
  parse: (text, fileName) => parseNymProfile(text, fileName),
};

export interface NymNetwork {
  parser: ProfileParser;
  driver: NymDriver | undefined;
  firewallSource: TunnelPolicySource | undefined;
}

export function createNymNetwork(deps: ProxyNetworkDeps): NymNetwork {
  const env = deps.env ?? process.env;
  const driver =
    deps.dataDir === undefined
      ? undefined
      : new NymDriver({
          dataDir: deps.dataDir,
          log: deps.log,
          ...(deps.settings === undefined ? {} : { settings: deps.settings }),
          findClient: () => helperBinary('nym-socks5-client', 'BURROW_NYM_SOCKS5_CLIENT', env),
          helperUser: lazyHelperUser('nym', deps.dataDir),
          systemLauncher: systemLauncherOf(deps, 'nym'),
          systemRedirect: systemRedirectOf(deps),
        });
  const { settings, findProfile } = deps;
  const firewallSource =
    driver !== undefined && settings !== undefined && findProfile !== undefined
      ? nymPolicySource({ findProfile, settings, allowance: (id) => driver.allowance(id) })
      : undefined;
  return { parser: nymProfileParser, driver, firewallSource };
}
