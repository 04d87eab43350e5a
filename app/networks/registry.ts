// The networks this build can import and drive. A network appears here when its parser or driver exists;
// the host answers `not_implemented` for the rest, never a fake success.
import type { NetworkKind, Settings } from '../domain/index.js';
import type { NetdClient } from '../netd/client.js';
import type { TunnelPolicySource } from '../netd/firewall-enforcer.js';
import type { NetworkDriver, ProfileParser, StoredProfile } from '../supervisor/driver.js';
import { createDvpnNetwork } from './dvpn/index.js';
import { createNymNetwork } from './nym/index.js';
import { createTorNetwork } from './tor/index.js';
import { parseWireGuardProfile } from './wireguard/config/index.js';
import { WireGuardDriver } from './wireguard/driver.js';
import { EndpointResolver } from './wireguard/endpoints.js';
import { wireguardPolicySource } from './wireguard/firewall-source.js';

export interface Networks {
  drivers: ReadonlyMap<string, NetworkDriver>;
  parsers: readonly ProfileParser[];
  /** What the kill switch lets through for a connecting or connected tunnel of each network. */
  firewallSources?: Partial<Record<NetworkKind, TunnelPolicySource>>;
}

export interface NetworkDeps {
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** The drivers that need root work exist only with netd. */
  netd?: NetdClient;
  settings?: () => Settings;
  findProfile?: (id: string) => StoredProfile | undefined;
  /** The host's data directory (Tor keeps its state there between runs). */
  dataDir?: string;
}

const wireguardParser: ProfileParser = {
  network: 'wireguard',
  detect: (text) => /^\s*\[\s*interface\s*\]/im.test(text),
  parse: (text, fileName) => parseWireGuardProfile(text, fileName),
};

export function createNetworks(deps: NetworkDeps): Networks {
  const drivers = new Map<string, NetworkDriver>();
  const firewallSources: Partial<Record<NetworkKind, TunnelPolicySource>> = {};
  if (deps.netd && deps.settings && deps.findProfile) {
    // One resolver for driver and firewall: both must use the same address for the server.
    const resolver = new EndpointResolver();
    drivers.set('wireguard', new WireGuardDriver({ netd: deps.netd, resolver, settings: deps.settings }));
    firewallSources.wireguard = wireguardPolicySource({ findProfile: deps.findProfile, resolver, settings: deps.settings });
  }
  const tor = createTorNetwork(deps);
  if (tor.driver) drivers.set('tor', tor.driver);
  if (tor.firewallSource) firewallSources.tor = tor.firewallSource;
  const nym = createNymNetwork(deps);
  if (nym.driver) drivers.set('nym', nym.driver);
  if (nym.firewallSource) firewallSources.nym = nym.firewallSource;
  const dvpn = createDvpnNetwork(deps);
  if (dvpn.driver) drivers.set('dvpn', dvpn.driver);
  if (dvpn.firewallSource) firewallSources.dvpn = dvpn.firewallSource;
  return { drivers, parsers: [wireguardParser, tor.parser, nym.parser, dvpn.parser], firewallSources };
}
