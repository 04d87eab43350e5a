// netd's commands, wired to the pieces that do the work. Commands that change the system run one at a
// time across all connections (a firewall change never interleaves with a tunnel change); status reads
// do not wait behind them.
import type { NetdCommandName } from '../../app/contract/index.js';
import { NETD_PROTOCOL_VERSION } from '../../app/contract/index.js';
import type { LogFacts, NetdHandlers } from './dispatch.js';
import type { ResolverConfig } from './dns.js';
import type { Firewall } from './firewall.js';
import type { LockdownFlag } from './lockdown-flag.js';
import type { SystemRedirect } from './redirect.js';
import type { SystemTor } from './tor.js';
import type { Tunnels } from './wireguard/tunnels.js';

export const NETD_VERSION = '0.1.0';

export interface HandlerDeps {
  firewall: Firewall;
  tunnels: Tunnels;
  dns: ResolverConfig;
  tor: SystemTor;
  redirect: SystemRedirect;
  startedAt: number;
  lockdownFlag: LockdownFlag;
}

function serialised(): <T>(work: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return (work) => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
}

export function createHandlers(deps: HandlerDeps): NetdHandlers {
  const exclusive = serialised();
  return {
    ping: () => Promise.resolve({ protocol: NETD_PROTOCOL_VERSION, version: NETD_VERSION, pid: process.pid, uptimeMs: Date.now() - deps.startedAt }),
    applyFirewall: ({ policy }) => exclusive(() => deps.firewall.apply(policy)),
    clearFirewall: () => exclusive(() => deps.firewall.clear()),
    firewallStatus: () => deps.firewall.status(),
    wgUp: (request) => exclusive(() => deps.tunnels.up(request)),
    wgDown: ({ ifname }) => exclusive(() => deps.tunnels.down(ifname)),
    wgStatus: ({ ifname }) => deps.tunnels.status(ifname),
    setDns: ({ servers, search }) =>
      exclusive(() => {
        deps.dns.set(servers, search);
        return Promise.resolve({ set: true as const });
      }),
    restoreDns: () => exclusive(() => Promise.resolve({ restored: deps.dns.restore() })),
    setLockdownFlag: ({ lockdown, allowLan }) => exclusive(() => Promise.resolve(deps.lockdownFlag.set(lockdown, allowLan))),
    wgPause: ({ ifname, maxMs }) => exclusive(() => deps.tunnels.pause(ifname, maxMs)),
    wgResume: ({ ifname }) => exclusive(() => deps.tunnels.resume(ifname)),
    torSystemStart: (request) => exclusive(() => deps.tor.start(request)),
    torSystemStop: () => exclusive(() => deps.tor.stop()),
    torSystemStatus: () => Promise.resolve(deps.tor.status()),
    redirectStart: (request) => exclusive(() => deps.redirect.start(request)),
    redirectStop: () => exclusive(() => deps.redirect.stop()),
    redirectStatus: () => Promise.resolve(deps.redirect.status()),
  };
}

/** What each request may say about itself in the log: names, counts, addresses; never keys. */
export const logFacts: LogFacts = (method: NetdCommandName, request: unknown): Record<string, string | number | string[]> => {
  const r = request as Record<string, unknown>;
  switch (method) {
    case 'applyFirewall':
      return { policy: typeof (r.policy as { kind?: unknown } | undefined)?.kind === 'string' ? String((r.policy as { kind: string }).kind) : '?' };
    case 'wgUp':
      return { ifname: String(r.ifname), peers: Array.isArray(r.peers) ? r.peers.length : 0 };
    case 'wgDown':
    case 'wgStatus':
    case 'wgPause':
    case 'wgResume':
      return { ifname: String(r.ifname) };
    case 'torSystemStart':
      return { bridges: Array.isArray(r.bridges) ? r.bridges.length : 0, authorities: Array.isArray(r.dirAuthorities) ? r.dirAuthorities.length : 0 };
    case 'redirectStart':
      return { proxy: String(r.proxyType), proxyPort: Number(r.proxyPort) };
    case 'setLockdownFlag':
      return { lockdown: String(r.lockdown), allowLan: String(r.allowLan) };
    case 'setDns':
      return { servers: Array.isArray(r.servers) ? r.servers.map(String) : [] };
    default:
      return {};
  }
};
