// "Measure all": "No tunnel" first (the baseline every other column is compared with), then each
// configured profile in turn — connect through the supervisor, measure, store — then back to where the
// person was. "No tunnel" is measured under the rules a person has with the tunnel off: disconnected, with
// the firewall the kill switch keeps when disconnected (open unless lockdown is on; with lockdown nothing
// gets out, so it is reported as not measurable rather than measured as a wall). When the run starts
// connected it disconnects for that step — the person's traffic then leaves without a tunnel for those
// seconds, as it would with Burrow off; the request's `baseline: false` skips it. Switching between
// profiles is always a `connect` to the next one while connected, so the state machine goes
// disconnecting{then: reconnect} and the kill switch blocks everything but the tunnels in between. The
// profile that was connected at the start is measured last, so the run ends on it without an extra
// switch. Cancelling stops the measuring at once; the way back is always taken.
import { randomUUID } from 'node:crypto';
import type { MEASURE_PHASES, MeasureProgressInfo } from '../contract/index.js';
import { BurrowError, toErrorInfo, type LeakVerdict, type Measurement, type NetworkKind, type ProfileSummary, type TunnelState } from '../domain/index.js';
import { analyseConnect, bootstrapMeasurement, connectTimeMeasurement, type ObservedState } from './connect-time.js';
import { echoUrl, firstByteProbe, isCancelled, measureTunnel, type MeasureKind, type TunnelMeasureOptions } from './measure-tunnel.js';
import { routeForState } from './route.js';
import { cancelledError, preciseNow, type NewMeasurement, type Route } from './types.js';

/** What Measure all needs from the host; small, so a scripted host can stand in for it in tests. */
export interface MeasureHost {
  profiles(): ProfileSummary[];
  current(): TunnelState;
  /** Connect (or switch) to a profile; resolves with the settled state, its firewall rules in place. */
  connect(profileId: string): Promise<TunnelState>;
  /** Disconnect; resolves with the settled state. */
  disconnect(): Promise<TunnelState>;
  /** Every state the supervisor enters, as it enters it. */
  onState(listener: (state: TunnelState) => void): () => void;
  /** Stores one measurement; answers its id. */
  addMeasurement(measurement: NewMeasurement): number;
  /** Runs the leak tests against the tunnel that is up (they store and push their own verdicts). */
  runLeakTests?(): Promise<LeakVerdict[]>;
  now?(): Date;
}

export type MeasurePhase = (typeof MEASURE_PHASES)[number];
export type MeasureProgress = MeasureProgressInfo;

export interface MeasureAllOptions extends TunnelMeasureOptions {
  /** Profile ids, in order; default every profile. */
  profiles?: readonly string[];
  kinds?: readonly MeasureKind[];
  /** Measure "No tunnel" first (default true; false skips it). Not measurable under lockdown. */
  baseline?: boolean;
  /** Also run the leak tests on each network. */
  leaks?: boolean;
  runId?: string;
  onProgress?: (progress: MeasureProgress) => void;
  /** Test seam: how a connected state's traffic is routed. */
  route?: (state: TunnelState) => Route;
}

export interface MeasureProblem {
  profileId: string | null;
  network: NetworkKind | null;
  kind: MeasureKind | 'connect' | 'leaks';
  message: string;
}

export interface LeakCount {
  profileId: string;
  network: NetworkKind;
  passed: number;
  leaked: number;
  notTested: number;
}

export interface MeasureAllResult {
  runId: string;
  measurements: Measurement[];
  /** Profiles that could not be measured at all (connect failed, network not built). */
  skipped: Array<{ profileId: string; network: NetworkKind; reason: string }>;
  /** Single measurements that failed or could not be taken. */
  problems: MeasureProblem[];
  cancelled: boolean;
  /** With `leaks`: the verdicts per profile, counted. */
  leaks?: LeakCount[];
  /** The state the run left the tunnel in. */
  returnedTo: TunnelState;
  startedAt: string;
  finishedAt: string;
}

type Intent = { kind: 'profile'; profileId: string } | { kind: 'disconnected' };

/** Where the person was heading when the run started: that is where the run returns. */
export function intentOf(state: TunnelState): Intent {
  switch (state.state) {
    case 'connecting':
    case 'connected':
      return { kind: 'profile', profileId: state.target.profileId };
    case 'disconnecting':
      return state.then === 'reconnect' ? { kind: 'profile', profileId: (state.next ?? state.target).profileId } : { kind: 'disconnected' };
    case 'disconnected':
    case 'error':
      return { kind: 'disconnected' };
  }
}

/** The profiles to measure, in order, the one the person is on last. */
export function planProfiles(all: readonly ProfileSummary[], wanted: readonly string[] | undefined, intent: Intent): ProfileSummary[] {
  const chosen = wanted
    ? wanted.map((id) => {
        const found = all.find((p) => p.id === id);
        if (!found) throw new BurrowError('not_found', `There is no profile "${id}" to measure.`);
        return found;
      })
    : [...all];
  const unique = chosen.filter((p, i) => chosen.findIndex((q) => q.id === p.id) === i);
  if (unique.length === 0) throw new BurrowError('no_profile', 'There is no profile to measure yet. Import one first: burrow profile import FILE');
  if (intent.kind !== 'profile') return unique;
  return [...unique.filter((p) => p.id !== intent.profileId), ...unique.filter((p) => p.id === intent.profileId)];
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(cancelledError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const ALL_KINDS: readonly MeasureKind[] = ['connectTime', 'bootstrapTime', 'rtt', 'throughput'];

export async function runMeasureAll(host: MeasureHost, options: MeasureAllOptions): Promise<MeasureAllResult> {
  const now = (): Date => host.now?.() ?? new Date();
  const runId = options.runId ?? randomUUID();
  const startedAt = now().toISOString();
  const signal = options.signal;
  const kinds = new Set(options.kinds ?? ALL_KINDS);
  const start = host.current();
  const intent = intentOf(start);
  const profiles = planProfiles(host.profiles(), options.profiles, intent);
  const baseline = options.baseline !== false;
  const of = profiles.length + (baseline ? 1 : 0);
  const measurements: Measurement[] = [];
  const skipped: MeasureAllResult['skipped'] = [];
  const problems: MeasureProblem[] = [];
  const leaks: LeakCount[] = [];
  let step = 0;
  let cancelled = false;
  let where: { profileId: string | null; profileName: string | null; network: NetworkKind | null } = { profileId: null, profileName: null, network: null };

  const report = (phase: MeasurePhase, message: string, percent?: number): void => {
    try {
      options.onProgress?.({ runId, step, of, ...where, phase, message, ...(percent === undefined ? {} : { percent }) });
    } catch {
      /* a listener's failure must not stop the run */
    }
  };
  const hooks = {
    store: (measurement: NewMeasurement): void => {
      const id = host.addMeasurement(measurement);
      measurements.push({ ...measurement, id });
    },
    progress: (kind: MeasureKind) => (p: { percent: number; message: string }) => report(kind, p.message, p.percent),
    failed: (kind: MeasureKind, error: unknown): void => {
      problems.push({ profileId: where.profileId, network: where.network, kind, message: toErrorInfo(error).message });
    },
    now: (): string => now().toISOString(),
  };

  try {
    if (baseline) {
      step += 1;
      report('baseline', 'Measuring the line with no tunnel');
      let off = host.current();
      if (off.state !== 'disconnected') off = await untilAborted(host.disconnect(), signal);
      if (off.state === 'disconnected' && !off.lockedDown) {
        await measureTunnel(kinds, { kind: 'system' }, { network: null, profileId: null, runId }, options, hooks);
      } else {
        problems.push({
          profileId: null,
          network: null,
          kind: 'connect',
          message:
            off.state === 'disconnected'
              ? '"No tunnel" was not measured: lockdown is on, so with no tunnel nothing gets out. Turn lockdown off to measure your line without a tunnel.'
              : `"No tunnel" was not measured: disconnecting ended ${off.state}.`,
        });
      }
    }
    for (const profile of profiles) {
      if (signal?.aborted) throw cancelledError(signal);
      step += 1;
      where = { profileId: profile.id, profileName: profile.name, network: profile.network };
      const subject = { network: profile.network, profileId: profile.id, profileName: profile.name, runId };
      report('connecting', `Connecting to ${profile.name}`);
      const observed: ObservedState[] = [];
      const stop = host.onState((state) => observed.push({ state, at: preciseNow() }));
      const commandAt = now().toISOString();
      let state: TunnelState;
      try {
        state = await untilAborted(host.connect(profile.id), signal);
      } catch (error) {
        if (isCancelled(error)) throw error;
        skipped.push({ profileId: profile.id, network: profile.network, reason: toErrorInfo(error).message });
        continue;
      } finally {
        stop();
      }
      if (state.state !== 'connected' || state.target.profileId !== profile.id) {
        const reason = state.state === 'error' ? state.cause.message : `the tunnel ended up ${state.state}`;
        skipped.push({ profileId: profile.id, network: profile.network, reason: `Could not connect: ${reason}` });
        continue;
      }
      let route: Route;
      try {
        route = (options.route ?? routeForState)(state);
      } catch (error) {
        skipped.push({ profileId: profile.id, network: profile.network, reason: toErrorInfo(error).message });
        continue;
      }
      const analysis = analyseConnect(observed, profile.id);
      if (kinds.has('connectTime')) {
        report('connectTime', 'First byte through the tunnel');
        try {
          if (typeof analysis === 'string') throw new BurrowError('conflict', `No connect time: ${analysis}.`);
          const firstByte = await (options.firstByte ?? firstByteProbe)(echoUrl(options.targets.leakServer), route, signal);
          hooks.store(connectTimeMeasurement(analysis, firstByte, commandAt, subject, hooks.now()));
        } catch (error) {
          if (isCancelled(error)) throw error;
          hooks.failed('connectTime', error);
        }
      }
      if (kinds.has('bootstrapTime') && profile.network === 'tor') {
        if (typeof analysis === 'string') hooks.failed('bootstrapTime', new BurrowError('conflict', `No bootstrap time: ${analysis}.`));
        else hooks.store(bootstrapMeasurement(analysis, subject, hooks.now()));
      }
      await measureTunnel(kinds, route, subject, options, hooks);
      if (options.leaks === true) await leakTests(profile, host, leaks, problems, report, signal);
    }
  } catch (error) {
    if (!isCancelled(error)) throw error;
    cancelled = true;
  } finally {
    // Always back to where the person was, cancelled or not (not cancellable itself).
    where = { profileId: null, profileName: null, network: null };
    report('returning', intent.kind === 'profile' ? 'Returning to the profile you were on' : 'Returning to disconnected');
    try {
      const current = host.current();
      if (intent.kind === 'profile') {
        if (!(current.state === 'connected' && current.target.profileId === intent.profileId)) await host.connect(intent.profileId);
      } else if (current.state !== 'disconnected') {
        await host.disconnect();
      }
    } catch (error) {
      problems.push({ profileId: intent.kind === 'profile' ? intent.profileId : null, network: null, kind: 'connect', message: `Returning failed: ${toErrorInfo(error).message}` });
    }
  }
  report(cancelled ? 'cancelled' : 'done', cancelled ? 'Cancelled' : `Measured ${measurements.length} numbers`);
  return {
    runId,
    measurements,
    skipped,
    problems,
    cancelled,
    ...(options.leaks === true ? { leaks } : {}),
    returnedTo: host.current(),
    startedAt,
    finishedAt: now().toISOString(),
  };
}

async function leakTests(
  profile: ProfileSummary,
  host: MeasureHost,
  leaks: LeakCount[],
  problems: MeasureProblem[],
  report: (phase: MeasurePhase, message: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (signal?.aborted) throw cancelledError(signal);
  const problem = (message: string): void => {
    problems.push({ profileId: profile.id, network: profile.network, kind: 'leaks', message });
  };
  if (!host.runLeakTests) {
    problem('The leak tests are not available in this host.');
    return;
  }
  report('leaks', 'Running the leak tests');
  try {
    const verdicts = await untilAborted(host.runLeakTests(), signal);
    leaks.push({
      profileId: profile.id,
      network: profile.network,
      passed: verdicts.filter((v) => v.verdict === 'passed').length,
      leaked: verdicts.filter((v) => v.verdict === 'leaked').length,
      notTested: verdicts.filter((v) => v.verdict === 'not_tested').length,
    });
  } catch (error) {
    if (isCancelled(error)) throw error;
    problem(toErrorInfo(error).message);
  }
}
