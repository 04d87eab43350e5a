// What the two helper-driven proxy networks (Nym, dVPN) take from the registry and build the same way: their
// dependencies, the helper user resolved once, netd's redirect for system-wide mode, and the two modes a
// profile can ask for.
import type { Settings } from '../../domain/settings.js';
import type { NetdClient } from '../../netd/client.js';
import type { StoredProfile } from '../../supervisor/driver.js';
import type { HelperLauncher } from './launcher.js';
import { netdLauncher } from './netd-launcher.js';
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
  /** Tests replace netd's helper launcher. */
  systemLauncher?: HelperLauncher | undefined;
  /** The host's uid (default: the process's): root runs the helpers itself, anyone else asks netd. */
  uid?: number;
  /** Defaults to process.env (BURROW_NYM_SOCKS5_CLIENT, BURROW_MYST). */
  env?: Record<string, string | undefined>;
}

/** Resolved once, on first use (it may create the helper's home). */
export function lazyHelperUser(kind: 'nym' | 'myst', dataDir: string): () => HelperUser {
  let user: HelperUser | undefined;
  return () => (user ??= resolveHelperUser(kind, { dataDir }));
}

/**
 * netd's launcher for system-wide mode, for a host that is not root (a root host starts the helper under
 * Burrow's user itself); undefined without netd.
 */
export function systemLauncherOf(deps: ProxyNetworkDeps, kind: 'nym' | 'myst'): HelperLauncher | undefined {
  if (deps.systemLauncher !== undefined) return deps.systemLauncher;
  if (deps.netd === undefined || (deps.uid ?? process.getuid?.() ?? 0) === 0) return undefined;
  return netdLauncher(deps.netd, kind);
}

export function systemRedirectOf(deps: ProxyNetworkDeps): SystemRedirect | undefined {
  return deps.systemRedirect ?? (deps.netd === undefined ? undefined : netdRedirect(deps.netd));
}
