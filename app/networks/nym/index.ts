// Nym for the registry: the profile parser, the driver (when the host has a data directory) and the kill
// switch's policy source (with netd). Everything Nym-specific stays in this folder.
import type { Settings } from '../../domain/settings.js';
import { findExecutable } from '../../host/helper-versions.js';
import type { ProfileParser } from '../../host/profile-import.js';
import type { NetdClient } from '../../netd/client.js';
import type { TunnelPolicySource } from '../../netd/firewall-enforcer.js';
import type { StoredProfile } from '../../supervisor/driver.js';
import { NymDriver } from './driver.js';
import { nymPolicySource } from './firewall-source.js';
import { resolveHelperUser, type HelperUser } from './helper-user.js';
import { detectNymProfile, parseNymProfile } from './profile.js';
import { netdRedirect, type SystemRedirect } from './system-redirect.js';

export { NymDriver } from './driver.js';
export { parseNymProfile, parseNymProfileText, detectNymProfile } from './profile.js';

export const nymProfileParser: ProfileParser = {
  network: 'nym',
  detect: (text) => detectNymProfile(text),
  parse: (text, fileName) => parseNymProfile(text, fileName),
};

export interface ProxyNetworkDeps {
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  dataDir?: string | undefined;
  settings?: (() => Settings) | undefined;
  findProfile?: ((id: string) => StoredProfile | undefined) | undefined;
  /** With netd: system-wide mode (redsocks and the DNS stub). */
  netd?: NetdClient | undefined;
  /** Tests replace netd's redirect. */
  systemRedirect?: SystemRedirect | undefined;
  /** Defaults to process.env (BURROW_HELPER_USER, BURROW_NYM_SOCKS5_CLIENT, BURROW_MYST). */
  env?: Record<string, string | undefined>;
}

/** An executable named by an environment variable (absolute path), else found on PATH. */
export function helperBinary(name: string, variable: string, env: Record<string, string | undefined>): string | undefined {
  const named = env[variable];
  if (named !== undefined && named !== '') return named.startsWith('/') ? findExecutable(named.split('/').pop() ?? '', [named.slice(0, named.lastIndexOf('/'))], '') : undefined;
  return findExecutable(name, [], env.PATH ?? '');
}

/** Resolved once, on first use (it may create the helper's home). */
export function lazyHelperUser(kind: 'nym' | 'myst', dataDir: string, env: Record<string, string | undefined>): () => HelperUser {
  let user: HelperUser | undefined;
  return () => (user ??= resolveHelperUser(kind, { dataDir, wanted: env.BURROW_HELPER_USER }));
}

export function systemRedirectOf(deps: ProxyNetworkDeps): SystemRedirect | undefined {
  return deps.systemRedirect ?? (deps.netd === undefined ? undefined : netdRedirect(deps.netd));
}

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
          helperUser: lazyHelperUser('nym', deps.dataDir, env),
          systemRedirect: systemRedirectOf(deps),
        });
  const { settings, findProfile } = deps;
  const firewallSource =
    driver !== undefined && settings !== undefined && findProfile !== undefined
      ? nymPolicySource({ findProfile, settings, allowance: (id) => driver.allowance(id) })
      : undefined;
  return { parser: nymProfileParser, driver, firewallSource };
}
