// What the two helper-driven proxy networks (Nym, dVPN) take from the registry and build the same way: their
// dependencies, the helper user resolved once, netd's redirect for system-wide mode, and the two modes a
// profile can ask for.
import type { Settings } from '../../domain/settings.js';
import type { NetdClient } from '../../netd/client.js';
import type { StoredProfile } from '../../supervisor/driver.js';
import { netdRedirect, type SystemRedirect } from './system-redirect.js';
import { resolveHelperUser, type HelperUser } from './user.js';

/** proxy: a local proxy port for the programs pointed at it; system: every program, through netd's redirect. */
export const PROXY_MODES = ['proxy', 'system'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

export interface ProxyNetworkDeps {
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  dataDir?: string | undefined;
  settings?: (() => Settings) | undefined;
  findProfile?: ((id: string) => StoredProfile | undefined) | undefined;
  /** With netd: system-wide mode (redsocks and the DNS stub). */
  netd?: NetdClient | undefined;
  /** Tests replace netd's redirect. */
  systemRedirect?: SystemRedirect | undefined;
  /** Defaults to process.env (BURROW_NYM_SOCKS5_CLIENT, BURROW_MYST). */
  env?: Record<string, string | undefined>;
}

/** Resolved once, on first use (it may create the helper's home). */
export function lazyHelperUser(kind: 'nym' | 'myst', dataDir: string): () => HelperUser {
  let user: HelperUser | undefined;
  return () => (user ??= resolveHelperUser(kind, { dataDir }));
}

export function systemRedirectOf(deps: ProxyNetworkDeps): SystemRedirect | undefined {
  return deps.systemRedirect ?? (deps.netd === undefined ? undefined : netdRedirect(deps.netd));
}
