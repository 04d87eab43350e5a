// The contract's Compare commands, for the host to spread into its handlers: getComparison (facts + the
// latest stored numbers), measureAll (one run at a time, progress pushed as `measureProgress`) and
// cancelMeasurement.
import { randomUUID } from 'node:crypto';
import type { CommandHandlers, EventName, EventPayload, GetsThrough } from '../contract/index.js';
import { BurrowError, type LeakVerdict, type Measurement, type NetworkKind, type Settings } from '../domain/index.js';
import { buildComparison } from './build-comparison.js';
import { privacyFacts, type PrivacyFacts } from './facts.js';
import { parseIperf3Target } from './iperf3.js';
import { runMeasureAll, type MeasureAllOptions, type MeasureHost } from './measure-all.js';

export interface MeasureHandlerDeps extends Omit<MeasureHost, 'addMeasurement'> {
  results: {
    addMeasurement(measurement: Omit<Measurement, 'id'>): number;
    measurements(limit: number): Measurement[];
    leaks(limit: number): LeakVerdict[];
  };
  settings(): Settings;
  emit<N extends EventName>(event: N, payload: EventPayload<N>): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  facts?: PrivacyFacts;
  /** The "gets through here?" row: Smart connect's outcomes on the network the person is on now. */
  getsThrough?: () => Partial<Record<NetworkKind, GetsThrough>>;
  /** Test seams for the measuring functions. */
  overrides?: Pick<MeasureAllOptions, 'rtt' | 'throughput' | 'firstByte' | 'route'>;
}

export type MeasureHandlers = Pick<CommandHandlers, 'getComparison' | 'measureAll' | 'cancelMeasurement'>;

/** Enough history for "latest per network and kind" across every network. */
const HISTORY = 1000;

function leakServerOf(settings: Settings): string {
  const url = settings.leakServer.url.trim();
  if (url === '') {
    throw new BurrowError(
      'invalid_request',
      'Measurements need a server to measure against: set the leak server first (Settings, or burrow settings set leakServer=URL).',
    );
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new BurrowError('invalid_request', `The leak server "${url}" is not an http or https URL.`);
  }
  return url;
}

export function createMeasureHandlers(deps: MeasureHandlerDeps): MeasureHandlers {
  let running: { controller: AbortController; runId: string } | undefined;
  const facts = (): PrivacyFacts => deps.facts ?? privacyFacts();

  return {
    getComparison: () => Promise.resolve(buildComparison(facts(), deps.results.measurements(HISTORY), deps.results.leaks(HISTORY), deps.getsThrough?.() ?? {})),

    measureAll: async (request) => {
      if (running) throw new BurrowError('conflict', 'A measurement is already running. Cancel it or wait for it to finish.');
      const leakServer = leakServerOf(deps.settings());
      const iperf3 = request.iperf3 === undefined ? undefined : parseIperf3Target(request.iperf3);
      if (request.method === 'iperf3' && iperf3 === undefined) throw new BurrowError('invalid_request', 'method iperf3 needs an iperf3 server (host:port).');
      const controller = new AbortController();
      const run = { controller, runId: randomUUID() };
      running = run;
      deps.log('info', `Measure all started (run ${run.runId}).`);
      try {
        const result = await runMeasureAll(
          { ...deps, addMeasurement: (m) => deps.results.addMeasurement(m) },
          {
            runId: run.runId,
            targets: { leakServer, ...(iperf3 ? { iperf3 } : {}) },
            signal: controller.signal,
            onProgress: (progress) => deps.emit('measureProgress', progress),
            ...(request.profiles ? { profiles: request.profiles } : {}),
            ...(request.kinds ? { kinds: request.kinds } : {}),
            ...(request.samples === undefined ? {} : { samples: request.samples }),
            ...(request.throughputSeconds === undefined ? {} : { throughputSeconds: request.throughputSeconds }),
            ...(request.method ? { method: request.method } : {}),
            ...(request.baseline === undefined ? {} : { baseline: request.baseline }),
            ...(request.leaks === undefined ? {} : { leaks: request.leaks }),
            ...deps.overrides,
          },
        );
        for (const skip of result.skipped) deps.log('warn', `Measure all skipped ${skip.profileId}: ${skip.reason}`);
        for (const problem of result.problems) deps.log('warn', `Measure all: ${problem.profileId ?? 'no profile'} ${problem.kind}: ${problem.message}`);
        deps.log('info', `Measure all ${result.cancelled ? 'cancelled' : 'finished'}: ${result.measurements.length} measurements stored.`);
        return result;
      } finally {
        running = undefined;
      }
    },

    cancelMeasurement: () => {
      if (!running) return Promise.resolve({ cancelled: false });
      running.controller.abort(new BurrowError('cancelled', 'Measure all was cancelled.'));
      deps.log('info', `Measure all cancel asked (run ${running.runId}).`);
      return Promise.resolve({ cancelled: true });
    },
  };
}
