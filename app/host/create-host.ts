// createHost(): the brain. Composes the store, the supervisor and the networks, and answers the contract.
// Every front door (Electron IPC, control socket, WebSocket) calls these same handlers.
import {
  BurrowError,
  toErrorInfo,
  NETWORK_KINDS,
  NETWORK_LABELS,
  SettingsSchema,
  type LogEntry,
  type Settings,
  type TunnelState,
} from '../domain/index.js';
import { type CommandHandlers, type EventName, type EventPayload, type HelperVersion, type Snapshot } from '../contract/index.js';
import { createNetdClient } from '../netd/client.js';
import { createFirewallEnforcer } from '../netd/firewall-enforcer.js';
import { syncLockdownFlag } from '../netd/lockdown-flag.js';
import { createTunnelInterrupter } from '../netd/tunnel-interrupter.js';
import { listDvpnNodes } from '../networks/dvpn/index.js';
import { createNetworks, type Networks } from '../networks/registry.js';
import { newTorIdentity } from '../networks/tor/index.js';
import { openStore, type Store } from '../store/index.js';
import { Supervisor, type FirewallEnforcer } from '../supervisor/supervisor.js';
import { HistoryTracker } from './history-tracker.js';
import { probeHelpers } from './helper-versions.js';
import { LogBuffer } from './log-buffer.js';
import { createMeasureHandlers } from '../measure/handlers.js';
import { createLeakHandler } from './leak-handler.js';
import { chooseProfileName, parseImportedProfile } from './profile-import.js';

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
}

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
  const firewall =
    options.firewall ??
    (netd ? createFirewallEnforcer({ netd, settings: () => settings, sources: networks.firewallSources ?? {}, log: logs.scoped('firewall') }) : undefined);
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
    },
  });

  const notices = (): Snapshot['notices'] => {
    const list: Snapshot['notices'] = store.notices.map((message) => ({ level: 'error' as const, message }));
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
        return { network, label: NETWORK_LABELS[network], ...availability };
      }),
    ),
    versions: { burrow: BURROW_VERSION, helpers: await helpers },
    notices: notices(),
  });

  // A settled state is reported once its firewall rules are in place too: after `connect` answers
  // "connected", traffic flows; after `disconnect` answers, the open rules are there.
  const settledWithRules = async (): Promise<TunnelState> => {
    const state = await supervisor.settled();
    await supervisor.refreshFirewall();
    return state;
  };

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
    now,
  });

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
      await supervisor.refreshFirewall();
      return settings;
    },
    runLeakTest: createLeakHandler({
      store,
      state: () => supervisor.current,
      settings: () => settings,
      onVerdict: (verdict) => emit('leakResult', verdict),
      log: logs.scoped('leaks'),
      ...(netd ? { tunnel: (state: TunnelState) => createTunnelInterrupter(netd, state) } : {}),
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
  };

  logs.write('info', 'host', `Burrow ${BURROW_VERSION} host started; data in ${options.dataDir}.`);
  // The rules of the state the host starts in (lockdown survives a restart of the host).
  if (firewall) void supervisor.refreshFirewall();
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
