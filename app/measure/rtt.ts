// Round-trip time through whatever carries the host's traffic: N HTTP round trips to the target (leakd's
// `/json` echo by default) over one kept-alive connection. One round trip = request written → first byte
// of the answer. A TCP connect time would not do: through Tor's TransPort or SOCKS port the connect ends
// at a local socket, so only an exchange with the far end measures the path. A first, unmeasured request
// opens the connection (and Tor's stream) so the samples are steady-state round trips.
import { BurrowError, type Measurement } from '../domain/index.js';
import { openHttp, type HttpConnection } from './http-client.js';
import { retrying } from './retry.js';
import { roundMs, summarize } from './stats.js';
import {
  describeRoute,
  pause,
  preciseNow,
  throwIfCancelled,
  type MeasureSubject,
  type NewMeasurement,
  type ProgressListener,
  type Route,
} from './types.js';

export interface RttOptions {
  /** The URL each round trip asks (e.g. `http://10.1.80.80/json`). */
  url: string;
  route: Route;
  /** Round trips counted (default 20). */
  samples?: number;
  /** Pause between round trips (default 50 ms), so the samples do not queue behind each other. */
  intervalMs?: number;
  /** Failed round trips tolerated before giving up (default: a quarter of the samples). */
  maxFailures?: number;
  timeoutMs?: number;
  /** How long opening the connection is tried again while the tunnel carries no streams yet (default 20 s). */
  retryWithinMs?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface RttResult {
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  samplesMs: number[];
  failures: number;
  /** Tries to open the connection that failed before it carried a first answer. */
  warmupFailures: number;
  target: string;
  route: Route;
  startedAt: string;
  durationMs: number;
}

export async function measureRtt(options: RttOptions): Promise<RttResult> {
  const samples = options.samples ?? 20;
  const intervalMs = options.intervalMs ?? 50;
  const maxFailures = options.maxFailures ?? Math.max(1, Math.floor(samples / 4));
  if (!Number.isInteger(samples) || samples < 1) throw new BurrowError('invalid_request', 'RTT needs at least one sample.');
  const url = new URL(options.url);
  const path = `${url.pathname}${url.search}`;
  const startedAt = new Date();
  const begun = preciseNow();
  const open = (): Promise<HttpConnection> =>
    openHttp(url, { route: options.route, ...(options.signal ? { signal: options.signal } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  // Opened and warmed with one unmeasured request; tried again while the tunnel does not carry streams yet.
  const openWarm = async (): Promise<HttpConnection> => {
    const fresh = await open();
    try {
      await fresh.get(path, { keepBody: true });
      return fresh;
    } catch (error) {
      fresh.close();
      throw error;
    }
  };
  const retry = { withinMs: options.retryWithinMs ?? 20_000, ...(options.signal ? { signal: options.signal } : {}) };
  const first = await retrying(openWarm, retry);
  let connection = first.value;
  const warmupFailures = first.failures;
  const values: number[] = [];
  let failures = 0;
  let lastError: unknown;
  try {
    while (values.length < samples) {
      throwIfCancelled(options.signal);
      if (values.length > 0 || failures > 0) await pause(intervalMs, options.signal);
      try {
        const timing = await connection.get(path, { keepBody: true });
        if (timing.status !== 200) throw new BurrowError('network_unavailable', `${url.host} answered ${timing.status}.`);
        values.push(roundMs(timing.firstByteAt - timing.sentAt));
      } catch (error) {
        if (error instanceof BurrowError && error.code === 'cancelled') throw error;
        failures += 1;
        lastError = error;
        if (failures > maxFailures) break;
        // A broken connection is replaced; its round trip is not counted.
        connection.close();
        connection = (await retrying(openWarm, retry)).value;
      }
      options.onProgress?.({ percent: Math.round((values.length / samples) * 100), message: `Round trip ${values.length} of ${samples}` });
    }
  } finally {
    connection.close();
  }
  if (values.length < samples) {
    const reason = lastError instanceof Error ? lastError.message : 'no answer';
    throw new BurrowError('network_unavailable', `Only ${values.length} of ${samples} round trips to ${url.host} succeeded: ${reason}`, {
      failures,
    });
  }
  const summary = summarize(values);
  return {
    medianMs: roundMs(summary.median),
    p95Ms: roundMs(summary.p95),
    minMs: summary.min,
    maxMs: summary.max,
    meanMs: roundMs(summary.mean),
    samplesMs: values,
    failures,
    warmupFailures,
    target: url.toString(),
    route: options.route,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(preciseNow() - begun),
  };
}

/** The stored form: value = median, the rest in the conditions. */
export function rttMeasurement(result: RttResult, subject: MeasureSubject, measuredAt: string): NewMeasurement {
  const conditions: Measurement['conditions'] = {
    method: 'http-round-trip',
    target: result.target,
    route: describeRoute(result.route),
    samples: result.samplesMs.length,
    p95Ms: result.p95Ms,
    minMs: result.minMs,
    maxMs: result.maxMs,
    meanMs: result.meanMs,
    samplesMs: result.samplesMs,
    failures: result.failures,
    warmupFailures: result.warmupFailures,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    ...subjectConditions(subject),
  };
  return { network: subject.network, profileId: subject.profileId, kind: 'rtt', value: result.medianMs, unit: 'ms', conditions, measuredAt };
}

export function subjectConditions(subject: MeasureSubject): Record<string, string> {
  return {
    ...(subject.profileName === undefined ? {} : { profileName: subject.profileName }),
    ...(subject.runId === undefined ? {} : { runId: subject.runId }),
  };
}
