// A MeasureHost over the real Supervisor and state machine, with scripted drivers and a firewall that
// writes down, for every state, whether the kill switch blocked: Measure all's switching is then tested
// against the same transitions the host makes, without a network.
import type { ConnectionDetails, Measurement, ProfileSummary, TunnelState } from '../../../app/domain/index.js';
import type { MeasureHost } from '../../../app/measure/measure-all.js';
import type { NewMeasurement } from '../../../app/measure/types.js';
import type { DriverSession, NetworkDriver, StoredProfile } from '../../../app/supervisor/driver.js';
import { isBlocking } from '../../../app/supervisor/state-machine.js';
import { Supervisor } from '../../../app/supervisor/supervisor.js';

export type Script = (session: DriverSession, profile: StoredProfile) => Promise<ConnectionDetails>;

export class ScriptedDriver implements NetworkDriver {
  readonly calls: string[] = [];
  constructor(
    readonly network: 'wireguard' | 'tor',
    private readonly script: Script,
  ) {}
  availability() {
    return Promise.resolve({ available: true });
  }
  prepare() {
    return Promise.resolve();
  }
  connect(profile: StoredProfile, session: DriverSession) {
    this.calls.push(`connect:${profile.id}`);
    return this.script(session, profile);
  }
  disconnect() {
    this.calls.push('disconnect');
    return Promise.resolve();
  }
  status() {
    return Promise.resolve('down' as const);
  }
  stats() {
    return Promise.resolve({ bytesIn: 0, bytesOut: 0 });
  }
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });
}

export function profile(id: string, network: 'wireguard' | 'tor'): StoredProfile {
  return { id, name: id.toUpperCase(), network, config: {}, secrets: {} };
}

export interface ScriptedHost extends MeasureHost {
  supervisor: Supervisor;
  /** Every state entered, with whether the firewall blocked everything but the tunnel in it. */
  journal: Array<{ state: TunnelState; blocking: boolean }>;
  stored: Measurement[];
  connects: string[];
}

export function scriptedHost(
  drivers: NetworkDriver[],
  profiles: StoredProfile[],
  policy = { killSwitch: true, lockdown: false },
): ScriptedHost {
  const listeners = new Set<(state: TunnelState) => void>();
  const journal: ScriptedHost['journal'] = [];
  const stored: Measurement[] = [];
  const connects: string[] = [];
  const supervisor = new Supervisor({
    drivers: new Map(drivers.map((driver) => [driver.network, driver])),
    policy: () => policy,
    log: () => undefined,
    firewall: {
      enforce: (state) => {
        journal.push({ state, blocking: isBlocking(state, policy) });
        return Promise.resolve();
      },
    },
    onState: (state) => {
      for (const listener of listeners) listener(state);
    },
  });
  const summaries: ProfileSummary[] = profiles.map((p) => ({ id: p.id, name: p.name, network: p.network, details: {}, createdAt: '2026-01-01T00:00:00.000Z' }));
  return {
    supervisor,
    journal,
    stored,
    connects,
    profiles: () => summaries,
    current: () => supervisor.current,
    async connect(profileId) {
      connects.push(profileId);
      const found = profiles.find((p) => p.id === profileId);
      if (!found) throw new Error(`no profile ${profileId}`);
      supervisor.connect(found);
      const state = await supervisor.settled();
      await supervisor.refreshFirewall();
      return state;
    },
    async disconnect() {
      supervisor.disconnect();
      const state = await supervisor.settled();
      await supervisor.refreshFirewall();
      return state;
    },
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    addMeasurement(measurement: NewMeasurement) {
      const id = stored.length + 1;
      stored.push({ ...measurement, id });
      return id;
    },
  };
}
