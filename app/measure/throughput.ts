// Download throughput through whatever carries the host's traffic. Two methods, stored with the number:
// - `iperf3`: iperf3 -R against a server (only over the host's own sockets: iperf3 knows no SOCKS);
// - `http`: a time-boxed download of leakd's `/download?bytes=N`. The rate counts the bytes that arrived
//   after the first body chunk, over the time from that chunk to the last byte, so the round trip that
//   starts the transfer (measured separately as RTT) does not drag the number down.
// `auto` picks iperf3 when a server is named, iperf3 is installed and the route allows it, else http. One
// Measure-all run uses one method for every network, so the numbers compare.
import { BurrowError, type Measurement } from '../domain/index.js';
import { openHttp } from './http-client.js';
import { retrying } from './retry.js';
import { iperf3Installed, runIperf3 } from './iperf3.js';
import { subjectConditions } from './rtt.js';
import {
  describeRoute,
  preciseNow,
  type MeasureSubject,
  type NewMeasurement,
  type ProgressListener,
  type Route,
} from './types.js';

export type ThroughputMethod = 'auto' | 'http' | 'iperf3';

export interface ThroughputOptions {
  route: Route;
  method?: ThroughputMethod;
  /** leakd's base URL: `/download?bytes=N` is asked there. */
  httpBase?: string;
  /** iperf3 server. */
  iperf3?: { host: string; port: number };
  /** How long the transfer runs (default 5 s). */
  seconds?: number;
  /** Most bytes one HTTP download asks for (default 256 MiB, leakd's cap). */
  maxBytes?: number;
  /** How long opening the download is tried again while the tunnel carries no streams yet (default 20 s). */
  retryWithinMs?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Tests: replace the iperf3 runner. */
  iperf3Runner?: typeof runIperf3;
}

export interface ThroughputResult {
  bitsPerSecond: number;
  method: 'http' | 'iperf3';
  target: string;
  route: Route;
  bytes: number;
  seconds: number;
  /** Why another method than the one asked for was used. */
  note?: string;
  startedAt: string;
  extra: Record<string, unknown>;
}

export async function chooseMethod(options: Pick<ThroughputOptions, 'method' | 'iperf3' | 'route' | 'httpBase'>): Promise<{ method: 'http' | 'iperf3'; note?: string }> {
  const asked = options.method ?? 'auto';
  if (asked === 'http') return { method: 'http' };
  const why =
    options.iperf3 === undefined
      ? 'no iperf3 server is set'
      : options.route.kind !== 'system'
        ? 'iperf3 cannot go through a SOCKS proxy'
        : (await iperf3Installed())
          ? undefined
          : 'iperf3 is not installed';
  if (why === undefined) return { method: 'iperf3' };
  if (options.httpBase === undefined) throw new BurrowError('invalid_request', `Throughput cannot be measured: ${why}, and no leak server is set for an HTTP download.`);
  return { method: 'http', ...(asked === 'iperf3' ? { note: `HTTP download instead of iperf3: ${why}.` } : {}) };
}

export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const seconds = options.seconds ?? 5;
  if (!(seconds > 0 && seconds <= 60)) throw new BurrowError('invalid_request', 'Throughput runs between 1 and 60 seconds.');
  const chosen = await chooseMethod(options);
  const startedAt = new Date().toISOString();
  if (chosen.method === 'iperf3' && options.iperf3 !== undefined) {
    const target = options.iperf3;
    const ticker = progressTicker(seconds, options.onProgress);
    try {
      const report = await (options.iperf3Runner ?? runIperf3)(target, Math.round(seconds), options.signal);
      return {
        bitsPerSecond: Math.round(report.bitsPerSecond),
        method: 'iperf3',
        target: target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`,
        route: options.route,
        bytes: report.bytes,
        seconds: report.seconds,
        startedAt,
        extra: { ...(report.retransmits === undefined ? {} : { retransmits: report.retransmits }), ...(report.version ? { iperf3: report.version } : {}) },
      };
    } finally {
      ticker();
    }
  }
  return httpDownload(options, seconds, startedAt, chosen.note);
}

async function httpDownload(options: ThroughputOptions, seconds: number, startedAt: string, note: string | undefined): Promise<ThroughputResult> {
  if (options.httpBase === undefined) throw new BurrowError('invalid_request', 'No leak server is set for an HTTP download.');
  const base = new URL(options.httpBase);
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}/download?bytes=${options.maxBytes ?? 256 * 1024 * 1024}`, base);
  // Opening is tried again while the tunnel does not carry streams yet; the transfer itself is not.
  const opened = await retrying(
    async () => {
      const fresh = await openHttp(url, { route: options.route, ...(options.signal ? { signal: options.signal } : {}) });
      try {
        const probe = await fresh.get(`${base.pathname.replace(/\/+$/, '')}/json`, { keepBody: true });
        if (probe.status !== 200) throw new BurrowError('network_unavailable', `${base.host} answered ${probe.status}.`);
        return fresh;
      } catch (error) {
        fresh.close();
        throw error;
      }
    },
    { withinMs: options.retryWithinMs ?? 20_000, ...(options.signal ? { signal: options.signal } : {}) },
  );
  const connection = opened.value;
  try {
    const stopAt = preciseNow() + seconds * 1000;
    const begun = preciseNow();
    let shown = -1;
    const timing = await connection.get(`${url.pathname}${url.search}`, {
      stopAt,
      onBody: () => {
        // Chunks come hundreds of times a second: report only when the whole percent changes.
        const percent = Math.min(99, Math.floor(((preciseNow() - begun) / (seconds * 1000)) * 100));
        if (percent === shown) return;
        shown = percent;
        options.onProgress?.({ percent, message: 'Downloading' });
      },
    });
    if (timing.status !== 200) throw new BurrowError('network_unavailable', `${base.host} answered ${timing.status} to the download (does this leakd serve /download?).`);
    const { bitsPerSecond, bytes, spanMs } = downloadRate(timing);
    options.onProgress?.({ percent: 100, message: 'Downloaded' });
    return {
      bitsPerSecond,
      method: 'http',
      target: url.toString(),
      route: options.route,
      bytes,
      seconds: spanMs / 1000,
      ...(note === undefined ? {} : { note }),
      startedAt,
      extra: {
        firstByteMs: Math.round(timing.firstByteAt - timing.sentAt),
        stoppedAtTimeLimit: timing.stopped,
        totalBytes: timing.bodyBytes,
        openFailures: opened.failures,
      },
    };
  } finally {
    connection.close();
  }
}

/** Bytes after the first body chunk over the time from that chunk to the last byte. */
export function downloadRate(timing: { bodyBytes: number; firstChunkBodyBytes: number; firstBodyAt: number | undefined; doneAt: number; sentAt: number }): {
  bitsPerSecond: number;
  bytes: number;
  spanMs: number;
} {
  const from = timing.firstBodyAt;
  const bytes = timing.bodyBytes - timing.firstChunkBodyBytes;
  const spanMs = from === undefined ? 0 : timing.doneAt - from;
  if (from === undefined || bytes <= 0 || spanMs <= 0) {
    // Everything came in one chunk: the whole request is all there is to go by.
    const whole = timing.doneAt - timing.sentAt;
    if (timing.bodyBytes <= 0 || whole <= 0) throw new BurrowError('network_unavailable', 'The download brought no data.');
    return { bitsPerSecond: Math.round((timing.bodyBytes * 8 * 1000) / whole), bytes: timing.bodyBytes, spanMs: whole };
  }
  return { bitsPerSecond: Math.round((bytes * 8 * 1000) / spanMs), bytes, spanMs };
}

function progressTicker(seconds: number, onProgress: ProgressListener | undefined): () => void {
  if (!onProgress) return () => undefined;
  const begun = preciseNow();
  const timer = setInterval(() => {
    onProgress({ percent: Math.min(99, Math.round(((preciseNow() - begun) / (seconds * 1000)) * 100)), message: 'iperf3 running' });
  }, 500);
  return () => clearInterval(timer);
}

export function throughputMeasurement(result: ThroughputResult, subject: MeasureSubject, measuredAt: string): NewMeasurement {
  const conditions: Measurement['conditions'] = {
    method: result.method,
    target: result.target,
    route: describeRoute(result.route),
    bytes: result.bytes,
    seconds: Math.round(result.seconds * 1000) / 1000,
    startedAt: result.startedAt,
    ...(result.note === undefined ? {} : { note: result.note }),
    ...result.extra,
    ...subjectConditions(subject),
  };
  return { network: subject.network, profileId: subject.profileId, kind: 'throughput', value: result.bitsPerSecond, unit: 'bit/s', conditions, measuredAt };
}
