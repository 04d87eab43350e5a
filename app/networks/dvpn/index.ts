// dVPN (Mysterium) for the registry: the profile parser, the driver, the kill switch's policy source, and
// the host's handlers for the node picker, the identity, its registration and its import.
import type { DvpnIdentity, DvpnNodes, DvpnRegistrationProgress, RegisterDvpnResult } from '../../contract/dvpn.js';
import { BurrowError } from '../../domain/errors.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { NetworkDriver, ProfileParser, StoredProfile } from '../../supervisor/driver.js';
import { helperBinary } from '../helper/executables.js';
import { lazyHelperUser, systemLauncherOf, systemRedirectOf, type ProxyNetworkDeps } from '../helper/proxy-network.js';
import { dvpnConfigFromRecord } from './config.js';
import { withLocalResolver } from './local-resolver.js';
import { DvpnDriver } from './driver.js';
import { mayConnect } from './errors.js';
import { dvpnPolicySource } from './firewall-source.js';
import { identityHint, type IdentityFacts } from './identity.js';
import { detectDvpnProfile, parseDvpnProfile, summarizeDvpn } from './profile.js';

export { DvpnDriver } from './driver.js';
export { parseDvpnProfile, parseDvpnProfileText, detectDvpnProfile, summarizeDvpn } from './profile.js';
export { dvpnConfigFromRecord } from './config.js';

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
          helperUser: lazyHelperUser('myst', deps.dataDir),
          systemLauncher: systemLauncherOf(deps, 'myst'),
          systemRedirect: withLocalResolver(systemRedirectOf(deps), deps.netd),
        });
  const { settings, findProfile } = deps;
  const firewallSource =
    driver !== undefined && settings !== undefined && findProfile !== undefined ? dvpnPolicySource({ findProfile, settings, allowance: (id) => driver.allowance(id) }) : undefined;
  return { parser: dvpnProfileParser, driver, firewallSource };
}

/** The profile and driver every dVPN handler needs, or the error a person can act on. */
function dvpnOf(name: string, profile: StoredProfile | undefined, driver: NetworkDriver | undefined): { profile: StoredProfile; driver: DvpnDriver } {
  if (profile === undefined) throw new BurrowError('not_found', `There is no profile "${name}". See the list with: burrow profile list`);
  if (profile.network !== 'dvpn') throw new BurrowError('invalid_request', `"${profile.name}" is not a dVPN profile.`);
  if (!(driver instanceof DvpnDriver)) throw new BurrowError('not_implemented', 'The dVPN driver is not available in this host.');
  return { profile, driver };
}

export function identityAnswer(facts: IdentityFacts): DvpnIdentity {
  return { id: facts.id, registrationStatus: facts.registrationStatus, balanceMyst: facts.balanceMyst ?? null, mayConnect: mayConnect(facts.registrationStatus), source: facts.source, hint: identityHint(facts) };
}

/** The host's handler for `listDvpnNodes`: the picker's data for one dVPN profile. */
export async function listDvpnNodes(request: { profile: string; country?: string | undefined }, stored: StoredProfile | undefined, network: NetworkDriver | undefined): Promise<DvpnNodes> {
  const { profile, driver } = dvpnOf(request.profile, stored, network);
  const { identity, nodes } = await driver.nodes(profile, request.country);
  const n = (value: number | undefined): number | null => value ?? null;
  return {
    identity: identityAnswer(identity),
    nodes: nodes.map((node) => ({ ...node, pricePerGib: n(node.pricePerGib), pricePerHour: n(node.pricePerHour), quality: n(node.quality), latencyMs: n(node.latencyMs), bandwidthMbps: n(node.bandwidthMbps) })),
  };
}

/** `dvpnIdentity`: the identity, its registration and balance, and the next step. */
export async function dvpnIdentity(request: { profile: string }, stored: StoredProfile | undefined, network: NetworkDriver | undefined): Promise<DvpnIdentity> {
  const { profile, driver } = dvpnOf(request.profile, stored, network);
  return identityAnswer(await driver.identity(profile));
}

/** `registerDvpnIdentity`: the free registration, each step pushed to `progress`. */
export async function registerDvpnIdentity(
  request: { profile: string; waitSeconds?: number | undefined },
  stored: StoredProfile | undefined,
  network: NetworkDriver | undefined,
  progress: (event: DvpnRegistrationProgress) => void,
): Promise<RegisterDvpnResult> {
  const { profile, driver } = dvpnOf(request.profile, stored, network);
  const result = await driver.register(profile, {
    waitMs: (request.waitSeconds ?? 0) * 1000,
    progress: (phase, message, registrationStatus) => progress({ profileId: profile.id, phase, message, ...(registrationStatus === undefined ? {} : { registrationStatus }) }),
  });
  return { outcome: result.outcome, identity: identityAnswer(result.identity) };
}

/**
 * `importDvpnIdentity`: the keystore file into myst, then the profile names that identity. Answers the new
 * configuration and facts for the host to store.
 */
export async function importDvpnIdentity(
  request: { profile: string; keystore: string; passphrase: string },
  stored: StoredProfile | undefined,
  network: NetworkDriver | undefined,
): Promise<{ identity: DvpnIdentity; profileId: string; config: Record<string, unknown>; details: ReturnType<typeof summarizeDvpn> }> {
  const { profile, driver } = dvpnOf(request.profile, stored, network);
  const facts = await driver.importIdentity(profile, request.keystore, request.passphrase);
  const config = { ...dvpnConfigFromRecord(profile.config), identity: facts.id };
  return { identity: identityAnswer(facts), profileId: profile.id, config, details: summarizeDvpn(config, profile.secrets) };
}
