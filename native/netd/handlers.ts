// netd's commands, wired to the pieces that do the work. Commands that change the system run one at a
// time across all connections (a firewall change never interleaves with a tunnel change); status reads
// do not wait behind them.
import type { NetdCommandName } from '../../app/contract/index.js';
import { NETD_PROTOCOL_VERSION } from '../../app/contract/index.js';
import { BurrowError } from '../../app/domain/index.js';
import type { Caller, LogFacts, NetdHandlers } from './dispatch.js';
import { checkExemptUid } from './exempt-uids.js';
import type { ResolverConfig } from './dns.js';
import type { Firewall } from './firewall.js';
import type { LockdownFlag } from './lockdown-flag.js';
import type { Logger } from './log.js';
import type { ObfsHelper } from './obfs.js';
import type { ProxyHelpers } from './proxy-helpers.js';
import type { SystemRedirect } from './redirect.js';
import { SystemPauses, type PauseHelper } from './system-pause.js';
import type { SystemTor } from './tor.js';
import type { Tunnels } from './wireguard/tunnels.js';

export const NETD_VERSION = '0.1.0';

export interface HandlerDeps {
  firewall: Firewall;
  tunnels: Tunnels;
  dns: ResolverConfig;
  tor: SystemTor;
  redirect: SystemRedirect;
  obfs: ObfsHelper;
  helpers: ProxyHelpers;
  startedAt: number;
  lockdownFlag: LockdownFlag;
  /** Refuses a policy exempting a uid that is not Burrow's own (default: exempt-uids.ts against /etc/passwd). */
  checkExempt?: (policy: unknown) => void;
  logger?: Logger;
}

/** The firewall policies under which a stopped system-wide helper leaves programs nothing but the redirect. */
const SYSTEM_POLICIES = new Set(['tor-system', 'socks-redirect']);
const silent: Logger = { log: () => undefined };

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
  const pauses = new SystemPauses(deps.logger ?? silent);
  /**
   * The helper a system-wide policy redirects into: netd's tor when it runs, else redsocks (Nym's
   * socks-redirect, and dVPN, whose policy has the tor-system shape with redsocks behind it).
   */
  const systemHelper = (): PauseHelper | undefined => {
    const tor = deps.tor.status();
    if (tor.running && tor.pid !== null) return { name: 'tor', pid: tor.pid };
    const redsocks = deps.redirect.status();
    return redsocks.running && redsocks.pid !== null ? { name: 'redsocks', pid: redsocks.pid } : undefined;
  };
  /** Who is asking, for commands that act for a uid: the kernel's answer, or a refusal. */
  const callerUid = async (caller: Caller, what: string): Promise<number> => {
    const uid = await caller.uid();
    if (uid === undefined) throw new BurrowError('unauthorized', `netd could not tell which user is asking, so it will not ${what}.`);
    return uid;
  };
  return {
    ping: () => Promise.resolve({ protocol: NETD_PROTOCOL_VERSION, version: NETD_VERSION, pid: process.pid, uptimeMs: Date.now() - deps.startedAt }),
    applyFirewall: ({ policy }) =>
      exclusive(() => {
        (deps.checkExempt ?? checkExemptUid)(policy);
        return deps.firewall.apply(policy);
      }),
    clearFirewall: () => exclusive(() => deps.firewall.clear()),
    firewallStatus: () => deps.firewall.status(),
    wgUp: (request) => exclusive(() => deps.tunnels.up(request)),
    wgDown: ({ ifname }) => exclusive(() => deps.tunnels.down(ifname)),
    wgStatus: ({ ifname }) => deps.tunnels.status(ifname),
    setDns: ({ servers, search }) =>
      exclusive(async () => {
        await deps.dns.set(servers, search);
        return { set: true as const };
      }),
    restoreDns: () => exclusive(async () => ({ restored: await deps.dns.restore() })),
    setLockdownFlag: ({ lockdown, allowLan }) => exclusive(() => Promise.resolve(deps.lockdownFlag.set(lockdown, allowLan))),
    wgPause: ({ ifname, maxMs }) =>
      exclusive(async () => {
        // Pausing lifts the tunnel's routes: only the tunnel policy's rules then hold traffic in. Under any
        // other policy (open, a table someone removed) the probe itself would be the leak (issue 12 item 10).
        if (deps.firewall.keptKind !== 'tunnel' || (await deps.firewall.check()) === 'failed') {
          throw new BurrowError('conflict', `netd will not pause ${ifname}: the firewall holds no tunnel policy (${deps.firewall.keptKind ?? 'none'}), so traffic would leave around the tunnel.`);
        }
        return deps.tunnels.pause(ifname, maxMs);
      }),
    wgResume: ({ ifname }) => exclusive(() => deps.tunnels.resume(ifname)),
    torSystemStart: (request, caller) =>
      exclusive(async () => {
        // The control directory is made for controllerUid: only that uid (or root) may ask for it.
        const uid = await caller.uid();
        if (uid === undefined) throw new BurrowError('unauthorized', 'netd could not tell which user is asking, so it will not start system-wide Tor for one.');
        if (uid !== 0 && uid !== request.controllerUid) {
          throw new BurrowError('unauthorized', `uid ${uid} asked netd to start system-wide Tor for uid ${request.controllerUid}; a user may ask only for itself.`);
        }
        return deps.tor.start(request);
      }),
    // A stopped helper holds SIGTERM until it is continued: a probe's pause ends before any stop.
    torSystemStop: () => exclusive(() => (pauses.resume(), deps.tor.stop())),
    torSystemStatus: () => Promise.resolve(deps.tor.status()),
    redirectStart: (request) => exclusive(() => deps.redirect.start(request)),
    redirectStop: () => exclusive(() => (pauses.resume(), deps.redirect.stop())),
    redirectStatus: () => Promise.resolve(deps.redirect.status()),
    systemPause: ({ maxMs }) =>
      exclusive(async () => {
        // Stopping the helper is a test of the redirect: under any other policy (a proxy-mode open table,
        // none, a table someone removed) nothing would hold programs in, and the probe would be the leak.
        const kind = deps.firewall.keptKind;
        if (kind === undefined || !SYSTEM_POLICIES.has(kind) || (await deps.firewall.check()) === 'failed') {
          throw new BurrowError('conflict', `netd will not pause the system-wide helper: the firewall holds no system-wide policy (${kind ?? 'none'}), so traffic would leave around it.`);
        }
        const helper = systemHelper();
        if (helper === undefined) throw new BurrowError('conflict', 'netd will not pause the system-wide helper: none is running.');
        return pauses.pause(helper, maxMs);
      }),
    systemResume: () => exclusive(() => Promise.resolve(pauses.resume())),
    obfsStart: (request) => exclusive(() => deps.obfs.start(request)),
    obfsStop: () => exclusive(() => deps.obfs.stop()),
    obfsStatus: () => Promise.resolve(deps.obfs.status()),
    helperPrepare: async ({ helper }, caller) => deps.helpers.prepare(helper, await callerUid(caller, 'make a helper home for it')),
    helperRun: async ({ helper, args, timeoutMs }, caller) => deps.helpers.run(helper, args, await callerUid(caller, 'run a helper for it'), timeoutMs),
    helperStart: async ({ helper, args }, caller) => {
      const uid = await callerUid(caller, 'start a helper for it');
      return exclusive(() => deps.helpers.start(helper, args, uid));
    },
    helperRead: async ({ helper, after }, caller) => deps.helpers.read(helper, after, await callerUid(caller, 'show a helper to it')),
    helperStop: async ({ helper }, caller) => {
      const uid = await callerUid(caller, 'stop a helper for it');
      return exclusive(() => deps.helpers.stop(helper, uid));
    },
    helperReadConfig: async ({ clientId }, caller) => deps.helpers.readConfig(clientId, await callerUid(caller, "read a helper's config for it")),
    helperWriteConfig: async ({ clientId, text }, caller) => deps.helpers.writeConfig(clientId, text, await callerUid(caller, "write a helper's config for it")),
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
    case 'obfsStart':
      // The server's address, never the password or id.
      return { type: String(r.type), server: (r.server as { ip: string }).ip };
    case 'helperReadConfig':
    case 'helperWriteConfig':
      return { helper: String(r.helper), client: String(r.clientId) };
    case 'helperPrepare':
    case 'helperRead':
    case 'helperStop':
      return { helper: String(r.helper) };
    case 'helperRun':
    case 'helperStart':
      // The subcommand only: the rest are ids and addresses, checked but not worth a log line each time.
      return { helper: String(r.helper), command: Array.isArray(r.args) ? String(r.args.find((arg) => !String(arg).startsWith('-')) ?? r.args[0]) : '?' };
    case 'setLockdownFlag':
      return { lockdown: String(r.lockdown), allowLan: String(r.allowLan) };
    case 'setDns':
      return { servers: Array.isArray(r.servers) ? r.servers.map(String) : [] };
    default:
      return {};
  }
};
