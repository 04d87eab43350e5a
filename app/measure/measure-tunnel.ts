// Measuring whatever is up right now, without switching: the first-byte probe that ends a connect time,
// and the RTT and throughput runs. Shared by Measure all and by a baseline run with no tunnel.
import { BurrowError, type Measurement } from '../domain/index.js';
import type { FirstByte } from './connect-time.js';
import { openHttp } from './http-client.js';
import { retrying } from './retry.js';
import { measureRtt, rttMeasurement, type RttOptions, type RttResult } from './rtt.js';
import { measureThroughput, throughputMeasurement, type ThroughputMethod, type ThroughputOptions, type ThroughputResult } from './throughput.js';
import { describeRoute, throwIfCancelled, type MeasureSubject, type NewMeasurement, type ProgressListener, type Route } from './types.js';

export type MeasureKind = Measurement['kind'];

export interface MeasureTargets {
  /** leakd's base URL: `/json` for round trips and the first byte, `/download` for HTTP throughput. */
  leakServer: string;
  /** An iperf3 server, for throughput by iperf3. */
  iperf3?: { host: string; port: number };
}

export interface TunnelMeasureOptions {
  targets: MeasureTargets;
  samples?: number;
  throughputSeconds?: number;
  method?: ThroughputMethod;
  signal?: AbortSignal;
  /** Test seams: the real functions by default. */
  rtt?: (options: RttOptions) => Promise<RttResult>;
  throughput?: (options: ThroughputOptions) => Promise<ThroughputResult>;
  firstByte?: (url: string, route: Route, signal?: AbortSignal) => Promise<FirstByte>;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof BurrowError && error.code === 'cancelled';
}

export function echoUrl(leakServer: string): string {
  const base = new URL(leakServer);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/json`;
  base.search = '';
  return base.toString();
}

/**
 * The first answer through the route: one fresh connection and one request, tried again (a fresh
 * connection each time) while the tunnel is not yet carrying streams; the failed tries are counted.
 */
export async function firstByteProbe(url: string, route: Route, signal?: AbortSignal): Promise<FirstByte> {
  const target = new URL(url);
  const once = async (): Promise<FirstByte> => {
    const connection = await openHttp(target, { route, ...(signal ? { signal } : {}) });
    try {
      const timing = await connection.get(`${target.pathname}${target.search}`, { keepBody: true });
      return { sentAt: timing.sentAt, firstByteAt: timing.firstByteAt, target: target.toString(), route: describeRoute(route) };
    } finally {
      connection.close();
    }
  };
  const { value, failures, lastError } = await retrying(once, { ...(signal ? { signal } : {}) });
  return failures === 0 ? value : { ...value, failures, ...(lastError ? { lastError } : {}) };
}

/** Round trips, then throughput; each stored form handed to `store` as soon as it exists. */
export async function measureTunnel(
  kinds: ReadonlySet<MeasureKind>,
  route: Route,
  subject: MeasureSubject,
  options: TunnelMeasureOptions,
  hooks: {
    store(measurement: NewMeasurement): void;
    progress(kind: MeasureKind): ProgressListener;
    /** A measurement that failed (a cancellation is thrown on instead). */
    failed(kind: MeasureKind, error: unknown): void;
    now(): string;
  },
): Promise<void> {
  const signal = options.signal;
  if (kinds.has('rtt')) {
    throwIfCancelled(signal);
    try {
      const result = await (options.rtt ?? measureRtt)({
        url: echoUrl(options.targets.leakServer),
        route,
        ...(options.samples === undefined ? {} : { samples: options.samples }),
        ...(signal ? { signal } : {}),
        onProgress: hooks.progress('rtt'),
      });
      hooks.store(rttMeasurement(result, subject, hooks.now()));
    } catch (error) {
      if (isCancelled(error)) throw error;
      hooks.failed('rtt', error);
    }
  }
  if (kinds.has('throughput')) {
    throwIfCancelled(signal);
    try {
      const result = await (options.throughput ?? measureThroughput)({
        route,
        httpBase: options.targets.leakServer,
        ...(options.targets.iperf3 ? { iperf3: options.targets.iperf3 } : {}),
        ...(options.method ? { method: options.method } : {}),
        ...(options.throughputSeconds === undefined ? {} : { seconds: options.throughputSeconds }),
        ...(signal ? { signal } : {}),
        onProgress: hooks.progress('throughput'),
      });
      hooks.store(throughputMeasurement(result, subject, hooks.now()));
    } catch (error) {
      if (isCancelled(error)) throw error;
      hooks.failed('throughput', error);
    }
  }
}
