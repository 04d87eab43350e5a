// A real host (createHost) with the Compare commands, served over the control socket and, on request, the
// web UI — for the Compare UI and lab tests. If create-host already answers getComparison, its own
// handlers are used as they are; until then the measure handlers (app/measure) are composed on top of
// the host's public surface: its connect/disconnect handlers, its state events, and the same database.
import { join } from 'node:path';
import type { CommandHandlers, EventName, EventPayload } from '../../app/contract/index.js';
import { BurrowError, type Settings, type TunnelState } from '../../app/domain/index.js';
import { startControlServer, type ControlServer } from '../../app/host/control-server.js';
import { createHost, type Host } from '../../app/host/create-host.js';
import { startWebServer, type WebServer } from '../../app/host/web-server.js';
import { createMeasureHandlers, type MeasureHandlerDeps } from '../../app/measure/handlers.js';
import { openStore, type Store } from '../../app/store/index.js';

export interface CompareHost {
  host: Host;
  handlers: CommandHandlers;
  /** True when create-host answered the Compare commands itself. */
  wired: boolean;
  control: ControlServer;
  web: WebServer | undefined;
  stop(): Promise<void>;
}

export interface CompareHostOptions {
  dataDir: string;
  controlPath: string;
  netdSocket?: string;
  /** Serve the built renderer here (`127.0.0.1:0` for any free port). */
  web?: string;
  rendererDir?: string;
  log?: (line: string) => void;
}

async function isWired(host: Host): Promise<boolean> {
  try {
    await host.handlers.getComparison({});
    return true;
  } catch (error) {
    if (error instanceof BurrowError && error.code === 'not_implemented') return false;
    throw error;
  }
}

/** The measure handlers over a Host's public surface and a second connection to its database. */
export async function measureOverlay(host: Host, store: Store, emit: <N extends EventName>(event: N, payload: EventPayload<N>) => void) {
  const snapshot = await host.snapshot();
  let state: TunnelState = snapshot.state;
  let settings: Settings = snapshot.settings;
  const stateListeners = new Set<(state: TunnelState) => void>();
  host.onEvent((event, payload) => {
    if (event === 'state') {
      state = payload as TunnelState;
      for (const listener of stateListeners) listener(state);
    }
    if (event === 'settings') settings = payload as Settings;
  });
  const deps: MeasureHandlerDeps = {
    profiles: () => store.profiles.list(),
    current: () => state,
    connect: (profileId) => host.handlers.connect({ profile: profileId }),
    disconnect: () => host.handlers.disconnect({}),
    onState: (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    results: store.results,
    runLeakTests: async () => (await host.handlers.runLeakTest({})).verdicts,
    settings: () => settings,
    emit,
    log: (level, message) => host.log(level, 'measure', message),
  };
  return createMeasureHandlers(deps);
}

export async function startCompareHost(options: CompareHostOptions): Promise<CompareHost> {
  const host = await createHost({
    dataDir: options.dataDir,
    ...(options.netdSocket ? { netdSocket: options.netdSocket } : {}),
    ...(options.log ? { logMirror: options.log } : {}),
  });
  const wired = await isWired(host);
  // Events go to whichever servers are up by then.
  const servers: { control?: ControlServer; web?: WebServer } = {};
  const broadcast = (event: string, payload: unknown): void => {
    servers.control?.broadcast(event, payload);
    servers.web?.broadcast(event, payload);
  };
  const store = wired ? undefined : openStore(options.dataDir);
  const handlers: CommandHandlers = store ? { ...host.handlers, ...(await measureOverlay(host, store, broadcast)) } : host.handlers;
  host.onEvent((event, payload) => broadcast(event, payload));
  const control = await startControlServer(options.controlPath, handlers, (level, message) => host.log(level, 'control', message));
  servers.control = control;
  let web: WebServer | undefined;
  if (options.web) {
    web = await startWebServer({
      address: options.web,
      rendererDir: options.rendererDir,
      handlers,
      log: (level, message) => host.log(level, 'web', message),
    });
    servers.web = web;
  }
  return {
    host,
    handlers,
    wired,
    control,
    web,
    async stop() {
      await web?.close();
      await control.close();
      await host.close();
      store?.close();
    },
  };
}

export function rendererDir(repoRoot: string): string {
  return join(repoRoot, 'dist', 'renderer');
}
