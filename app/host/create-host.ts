// createHost(): the brain. Composes the store, the supervisor and the networks, and answers the contract.
// Every front door (Electron IPC, control socket, WebSocket) calls these same handlers.
import {
  BurrowError,
  toErrorInfo,
  NETWORK_KINDS,
  NETWORK_LABELS,
  SettingsSchema,
  type LogEntry,
  type NetworkKind,
  type ProfileSummary,
  type Settings,
  type TunnelState,
} from '../domain/index.js';
import { type CommandHandlers, type EventName, type EventPayload, type HelperVersion, type Snapshot } from '../contract/index.js';
import { createNetdClient } from '../netd/client.js';
import { createFirewallEnforcer } from '../netd/firewall-enforcer.js';
import { syncLockdownFlag } from '../netd/lockdown-flag.js';
import { createTunnelInterrupter } from '../netd/tunnel-interrupter.js';
import { createBaselineLearner } from '../leaks/index.js';
import { dvpnIdentity, importDvpnIdentity, listDvpnNodes, registerDvpnIdentity } from '../networks/dvpn/index.js';
import { createNetworks, type Networks } from '../networks/registry.js';
import { newTorIdentity } from '../networks/tor/index.js';
import { createProbeHandler } from '../probe/handler.js';
import { findTorHelpers } from '../networks/tor/helpers.js';
import { createSmartConnect, currentNetwork, getsThroughByNetwork, networkKey, openSmartMemory } from '../smart/index.js';
import { openStore, type Store } from '../store/index.js';
import { Supervisor, type FirewallEnforcer } from '../supervisor/supervisor.js';
import { watchFirewall } from './firewall-watch.js';
import { HistoryTracker } from './history-tracker.js';
import { probeHelpers } from './helper-versions.js';
import { LogBuffer } from './log-buffer.js';
import { createMeasureHandlers } from '../measure/handlers.js';
import { createLeakHandler } from './leak-handler.js';
import { chooseProfileName, parseImportedProfile } from './profile-import.js';
import { changedProfile, nymSettings } from './profile-settings.js';

export const BURROW_VERSION = '0.1.0';

export interface HostOptions {
  dataDir: string;
  /** netd's socket; without it the kill switch cannot be enforced and the person is told so. */
  netdSocket?: string;
  /** Mirror log lines (e.g. to stderr for a headless host). */
  logMirror?: (line: string) => void;
  /** Replace the networks (tests). */
  networks?: Networks;
  firewall?: FirewallEnforcer;
  now?: () => Date;
  /** Networks whose helper is a lab stand-in (the demo): the snapshot says so, and the UI shows a badge. */
  standIns?: readonly NetworkKind[];
}

const STAND_IN_TEXT: Partial<Record<NetworkKind, string>> = {
  nym: 'Stand-in: a lab program that behaves like nym-socks5-client and a small mixnet in the lab, not the Nym network.',
  dvpn: 'Stand-in: a lab program that behaves like the Mysterium node (myst) and one lab provider, not the Mysterium network.',
};

export type HostEventListener = <N extends EventName>(event: N, payload: EventPayload<N>) => void;

export interface Host {
  readonly handlers: CommandHandlers;
  readonly dataDir: string;
  onEvent(listener: HostEventListener): () => void;
  snapshot(): Promise<Snapshot>;
  log(level: LogEntry['level'], source: string, message: string): void;
  close(): Promise<void>;
}

export function createHost(options: HostOptions): Promise<Host> {
  try {
    return Promise.resolve(buildHost(options));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function buildHost(options: HostOptions): Host {
  const now = options.now ?? (() => new Date());
  const logs = new LogBuffer(options.logMirror);
  const store: Store = openStore(options.dataDir, now);
  // With netd: the WireGuard driver and the kill switch. `settings` is read lazily (declared below).
  const netd = options.netdSocket === undefined ? undefined : createNetdClient(options.netdSocket);
  const networks =
    options.networks ??
    createNetworks({
      log: logs.scoped('network'),
      dataDir: options.dataDir,
      ...(netd ? { netd, settings: () => settings, findProfile: (id: string) => store.profiles.find(id) } : {}),
    });
  const netdFirewall = netd ? createFirewallEnforcer({ netd, settings: () => settings, sources: networks.firewallSources ?? {}, log: logs.scoped('firewall') }) : undefined;
  const firewall = options.firewall ?? netdFirewall;
  const listeners = new Set<HostEventListener>();
  const emit = <N extends EventName>(event: N, payload: EventPayload<N>): void => {
    for (const listener of listeners) listener(event, payload);
  };
  logs.onEntry((entry) => emit('log', entry));

  for (const notice of store.notices) logs.write('error', 'store', notice);
  store.history.closeDangling(now().toISOString());
  let settings: Settings = store.settings.get();
  const history = new HistoryTracker(store.history);
  // The flag burrow-early-boot-blocking.service reads at the next boot; chained so quick changes land in order.
  let lockdownFlag: Promise<void> = Promise.resolve();
  const syncBootLockdown = (): void => {
    if (!netd) return;
    lockdownFlag = lockdownFlag
      .then(async () => {
        await syncLockdownFlag(netd, settings);
      })
      .catch((error: unknown) => logs.write('warn', 'firewall', `The lockdown flag for the next boot could not be written: ${toErrorInfo(error).message}`));
  };
  const helpers: Promise<HelperVersion[]> = probeHelpers();
  // The own address for the exit-IP test, learned whenever the person is disconnected anyway.
  const baselineLearner = createBaselineLearner({ server: () => settings.leakServer, now });

  const supervisor = new Supervisor({
    drivers: networks.drivers,
    policy: () => ({ killSwitch: settings.killSwitch, lockdown: settings.lockdown }),
    log: logs.scoped('supervisor'),
    ...(firewall ? { firewall } : {}),
    now,
    onState: (state: TunnelState) => {
      history.observe(state, now().toISOString());
      logs.write('info', 'supervisor', `State: ${describeState(state)}`);
      emit('state', state);
      baselineLearner.observe(state);
    },
  });
  baselineLearner.observe(supervisor.current);

  // netd puts a flushed table back by itself; the person is told, and a table it could not put back is
  // applied again through the supervisor (which leaves `connected` when that fails too).
  const tamper =
    netd && netdFirewall && !options.firewall
      ? watchFirewall({
          netd,
          reapply: () => {
            netdFirewall.forget();
            return supervisor.refreshFirewall();
          },
          log: logs.scoped('firewall'),
        })
      : undefined;

  const notices = (): Snapshot['notices'] => {
    const list: Snapshot['notices'] = store.notices.map((message) => ({ level: 'error' as const, message }));
    const firewallProblem = supervisor.firewallProblem;
    if (firewallProblem) list.push({ level: 'error', message: firewallProblem.message });
    if (tamper?.notice) list.push({ level: 'warn', message: tamper.notice });
    if (!options.netdSocket && !options.firewall && (settings.killSwitch || settings.lockdown)) {
      list.push({
        level: 'warn',
        message: 'The kill switch and lockdown need netd, Burrow\'s privileged helper, which this host was started without: nothing is blocked yet.',
      });
    }
    return list;
  };

  const snapshot = async (): Promise<Snapshot> => ({
    state: supervisor.current,
    settings,
    profiles: store.profiles.list(),
    networks: await Promise.all(
      NETWORK_KINDS.map(async (network) => {
        const driver = networks.drivers.get(network);
        if (!driver) return { network, label: NETWORK_LABELS[network], available: false, reason: 'Not built yet in this version of Burrow.' };
        const availability = await driver.availability();
        const standIn = options.standIns?.includes(network) ? (STAND_IN_TEXT[network] ?? 'Stand-in: a lab program, not the real network.') : undefined;
        return { network, label: NETWORK_LABELS[network], ...availability, ...(standIn ? { standIn } : {}) };
      }),
    ),
    versions: { burrow: BURROW_VERSION, helpers: await helpers },
    notices: notices(),
  });

  // A settled state is reported once its firewall rules are in place too: after `connect` answers
  // "connected", traffic flows; after `disconnect` answers, the open rules are there. Rules that could
  // not be applied never answer success: the state moves on (error{blocking}) or the call rejects.
  const settledWithRules = (): Promise<TunnelState> => supervisor.settledWithRules();

  // What Smart connect learnt per network: read by its ladder and by Compare's "gets through here?" row.
  const smartMemory = openSmartMemory(options.dataDir);

  // Measure all connects and disconnects through the same handlers as every front door (kill switch included).
  const measure = createMeasureHandlers({
    profiles: () => store.profiles.list(),
    current: () => supervisor.current,
    connect: (profileId) => handlers.connect({ profile: profileId }),
    disconnect: () => handlers.disconnect({}),
    onState: (listener) => {
      const onEvent: HostEventListener = (event, payload) => {
        if (event === 'state') listener(payload as TunnelState);
      };
      listeners.add(onEvent);
      return () => listeners.delete(onEvent);
    },
    results: store.results,
    settings: () => settings,
    emit,
    log: logs.scoped('measure'),
    runLeakTests: async () => (await handlers.runLeakTest({})).verdicts,
    getsThrough: () => getsThroughByNetwork(smartMemory.outcomes(networkKey(currentNetwork()))),
    now,
  });

  const saveProfile = (id: string, config: Record<string, unknown>, details: ProfileSummary['details'], what: string): ProfileSummary => {
    const summary = store.profiles.update(id, config, details);
    if (summary === undefined) throw new BurrowError('not_found', `The profile ${id} is gone.`);
    logs.write('info', 'profiles', `Profile "${summary.name}" ${what}.`);
    emit('profiles', store.profiles.list());
    return summary;
  };

  const handlers: CommandHandlers = {
    getSnapshot: () => snapshot(),
    listProfiles: () => Promise.resolve(store.profiles.list()),
    importProfile: (request) => {
      const parsed = parseImportedProfile(networks.parsers, request);
      const name = chooseProfileName(request.name, parsed);
      const summary = store.profiles.add(parsed, name, now());
      logs.write('info', 'profiles', `Imported ${NETWORK_LABELS[summary.network]} profile "${summary.name}".`);
      emit('profiles', store.profiles.list());
      return Promise.resolve(summary);
    },
    removeProfile: ({ id }) => {
      const state = supervisor.current;
      if ('target' in state && state.target?.profileId === id && state.state !== 'error') {
        throw new BurrowError('conflict', 'This profile is in use. Disconnect before removing it.');
      }
      if (!store.profiles.remove(id)) throw new BurrowError('not_found', `There is no profile with the id "${id}".`);
      logs.write('info', 'profiles', `Removed profile ${id}.`);
      emit('profiles', store.profiles.list());
      return Promise.resolve({ removed: id });
    },
    connect: async ({ profile: wanted, wait }) => {
      const profile = wanted ? store.profiles.find(wanted) : store.profiles.lastUsed();
      if (!profile) {
        throw wanted
          ? new BurrowError('not_found', `There is no profile "${wanted}". See the list with: burrow profile list`)
          : new BurrowError('no_profile', 'There is no profile to connect with yet. Import one first: burrow profile import FILE');
      }
      if (!networks.drivers.has(profile.network)) {
        throw new BurrowError(
          'not_implemented',
          `Connecting to ${NETWORK_LABELS[profile.network]} is not built yet in this version of Burrow.`,
        );
      }
      store.profiles.markUsed(profile.id, now());
      const state = supervisor.connect(profile);
      return wait === false ? state : settledWithRules();
    },
    disconnect: async () => {
      supervisor.disconnect();
      return settledWithRules();
    },
    updateSettings: async (patch) => {
      // leakServer is merged field by field: setting its IPv6 URL alone keeps the IPv4 one.
      const next = SettingsSchema.parse({ ...settings, ...patch, leakServer: { ...settings.leakServer, ...patch.leakServer } });
      const lockdownChanged = next.lockdown !== settings.lockdown;
      settings = next;
      store.settings.save(settings);
      logs.write('info', 'settings', `Settings changed: ${Object.keys(patch).join(', ') || 'nothing'}.`);
      emit('settings', settings);
      if (lockdownChanged) supervisor.setLockdown(settings.lockdown);
      syncBootLockdown();
      await supervisor.refreshFirewall().catch((error: unknown) => {
        throw new BurrowError('firewall_failed', `The settings were saved, but the firewall did not follow them. ${toErrorInfo(error).message}`);
      });
      baselineLearner.observe(supervisor.current);
      return settings;
    },
    runLeakTest: createLeakHandler({
      store,
      state: () => supervisor.current,
      settings: () => settings,
      onVerdict: (verdict) => emit('leakResult', verdict),
      log: logs.scoped('leaks'),
      ...(netd ? { tunnel: (state: TunnelState) => createTunnelInterrupter(netd, state) } : {}),
      learnedBaseline: () => baselineLearner.current(),
    }),
    getHistory: ({ limit = 100, network }) =>
      Promise.resolve({
        connections: store.history.list(limit, network),
        leaks: store.results.leaks(limit, network),
        measurements: store.results.measurements(limit, network),
      }),
    ...measure,
    getLogs: ({ limit = 500 }) => Promise.resolve(logs.recent(limit)),
    newIdentity: () => newTorIdentity(supervisor.current, networks.drivers.get('tor')),
    listDvpnNodes: (request) => listDvpnNodes(request, store.profiles.find(request.profile), networks.drivers.get('dvpn')),
    dvpnIdentity: (request) => dvpnIdentity(request, store.profiles.find(request.profile), networks.drivers.get('dvpn')),
    registerDvpnIdentity: (request) => registerDvpnIdentity(request, store.profiles.find(request.profile), networks.drivers.get('dvpn'), (progress) => emit('dvpnRegistration', progress)),
    importDvpnIdentity: async (request) => {
      const imported = await importDvpnIdentity(request, store.profiles.find(request.profile), networks.drivers.get('dvpn'));
      const profile = saveProfile(imported.profileId, imported.config, imported.details, `now uses the imported Mysterium identity ${imported.identity.id}`);
      return { identity: imported.identity, profile };
    },
    updateProfile: (request) => {
      const stored = store.profiles.find(request.profile);
      const { config, details } = changedProfile(request.profile, stored, request);
      return Promise.resolve(saveProfile(stored?.id ?? request.profile, config, details, `changed (${Object.keys(request.dvpn ?? request.nym ?? {}).join(', ')}); applies at the next connect`));
    },
    nymSettings: (request) => Promise.resolve(nymSettings(request.profile, store.profiles.find(request.profile), store.results.measurements(1000))),
    probe: createProbeHandler({
      profiles: () => store.profiles.list(),
      find: (idOrName) => store.profiles.find(idOrName),
      state: () => supervisor.current,
      lockdown: () => settings.lockdown,
      log: (level, message) => logs.write(level, 'probe', message),
      options: { tor: { helpers: () => findTorHelpers() } },
    }),
    smartConnect: createSmartConnect({
      profiles: () => store.profiles.list().flatMap((summary) => store.profiles.find(summary.id) ?? []),
      connect: (profileId) => handlers.connect({ profile: profileId }),
      onState: (listener) => {
        const onEvent: HostEventListener = (event, payload) => {
          if (event === 'state') listener(payload as TunnelState);
        };
        listeners.add(onEvent);
        return () => listeners.delete(onEvent);
      },
      network: () => currentNetwork(),
      memory: smartMemory,
      log: (level, message) => logs.write(level, 'smart', message),
    }),
  };

  logs.write('info', 'host', `Burrow ${BURROW_VERSION} host started; data in ${options.dataDir}.`);
  // The rules of the state the host starts in (lockdown survives a restart of the host).
  // A failure is logged and shown by the supervisor (firewallProblem): nothing to add here.
  if (firewall) supervisor.refreshFirewall().catch(() => undefined);
  syncBootLockdown();

  const host: Host = {
    handlers,
    dataDir: options.dataDir,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot,
    log: (level, source, message) => logs.write(level, source, message),
    async close() {
      tamper?.stop();
      baselineLearner.stop();
      await supervisor.shutdown();
      listeners.clear();
      store.close();
    },
  };
  return host;
}

export function describeState(state: TunnelState): string {
  switch (state.state) {
    case 'disconnected':
      return state.lockedDown ? 'disconnected (locked down: all traffic blocked)' : 'disconnected';
    case 'connecting':
      return `connecting to ${state.target.profileName} (attempt ${state.attempt})${state.progress ? `: ${state.progress.phase}` : ''}`;
    case 'connected':
      return `connected to ${state.target.profileName}`;
    case 'disconnecting':
      return `disconnecting from ${state.target.profileName}${state.then === 'reconnect' ? ' to switch' : ''}`;
    case 'error':
      return `error${state.blocking ? ' (blocking)' : ''}: ${state.cause.message}`;
  }
}
