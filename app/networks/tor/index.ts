// Tor for the registry: the profile parser, the driver, and (with netd) what the kill switch lets through in
// system-wide mode. The registry calls createTorNetwork once; everything Tor-specific stays in this folder.
import { BurrowError } from '../../domain/errors.js';
import type { Settings } from '../../domain/settings.js';
import type { ConnectionDetails, TunnelState } from '../../domain/tunnel-state.js';
import type { NetdClient } from '../../netd/client.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { NetworkDriver, ProfileParser, StoredProfile } from '../../supervisor/driver.js';
import { TorDriver, type TorDriverOptions } from './driver.js';
import { torPolicySource } from './firewall-source.js';
import { detectTorProfile, parseTorProfile } from './profile.js';
import { systemLauncher } from './system-launcher.js';
import { findTorUser } from './system-user.js';
import { DEFAULT_DNS_PORT, DEFAULT_TRANS_PORT } from './torrc.js';

export { TorDriver } from './driver.js';
export type { TorDriverOptions } from './driver.js';
export { detectTorProfile, parseTorProfile, parseTorProfileText, summarizeTor } from './profile.js';
export { torConfigFromRecord, type TorProfileConfig, type CheckedTorConfig } from './config.js';
export { BLOCKED_SENTENCE } from './bootstrap-watch.js';

export const torProfileParser: ProfileParser = {
  network: 'tor',
  detect: (text) => detectTorProfile(text),
  parse: (text, fileName) => parseTorProfile(text, fileName),
};

export interface TorNetworkDeps {
  log: TorDriverOptions['log'];
  /** The host's data directory; without it there is no driver (tor's state has nowhere to live). */
  dataDir?: string | undefined;
  /** With netd: system-wide mode, and the kill switch's policy for Tor. */
  netd?: NetdClient | undefined;
  settings?: (() => Settings) | undefined;
  findProfile?: ((id: string) => StoredProfile | undefined) | undefined;
}

export interface TorNetwork {
  parser: ProfileParser;
  driver: TorDriver | undefined;
  firewallSource: TunnelPolicySource | undefined;
}

export function createTorNetwork(deps: TorNetworkDeps): TorNetwork {
  const { netd, settings, findProfile } = deps;
  const firewallSource =
    netd !== undefined && settings !== undefined && findProfile !== undefined
      ? torPolicySource({
          findProfile,
          settings,
          system: () => ({ torUid: findTorUser()?.uid, transPort: DEFAULT_TRANS_PORT, dnsPort: DEFAULT_DNS_PORT }),
        })
      : undefined;
  return {
    parser: torProfileParser,
    driver:
      deps.dataDir === undefined
        ? undefined
        : new TorDriver({ dataDir: deps.dataDir, log: deps.log, ...(netd === undefined ? {} : { systemLauncher: systemLauncher({ netd }) }) }),
    firewallSource,
  };
}

/** The `newIdentity` command: only while Tor is the connected network. */
export function newTorIdentity(state: TunnelState, driver: NetworkDriver | undefined): Promise<ConnectionDetails> {
  if (state.state !== 'connected' || state.target.network !== 'tor' || !(driver instanceof TorDriver)) {
    return Promise.reject(new BurrowError('conflict', 'A new Tor identity needs Tor to be connected.'));
  }
  return driver.newIdentity();
}
