// Connect time and Tor bootstrap time, read from the states the supervisor went through.
//
// Connect time (what a person waits for after pressing Connect, until a page starts to load):
//   from `since` of the first `connecting` state for the profile (after the previous tunnel, if any, was
//   torn down: a switch's teardown is reported apart as `teardownMs`; retries are included)
//   to the first byte of the answer to an HTTP request sent, through the new tunnel, as soon as the host
//   reported `connected` with its firewall rules in place.
//   = tunnelUpMs (connecting.since → connected.since, the supervisor's clock)
//   + firstByteMs (connected seen → first answer byte, this process's monotonic clock; if the first tries
//     fail because the tunnel does not carry streams yet, they are retried and counted: probeFailures).
// Each part is a difference taken on one clock, so the two clocks never mix.
//
// Bootstrap time (Tor only): from `since` of the attempt that succeeded to `connected.since`, plus when
// each bootstrap percentage was first seen in that attempt.
import type { Measurement, TunnelState } from '../domain/index.js';
import { subjectConditions } from './rtt.js';
import { roundMs } from './stats.js';
import type { MeasureSubject, NewMeasurement } from './types.js';

export interface ObservedState {
  state: TunnelState;
  /** When this process saw it (preciseNow()). */
  at: number;
}

export interface ConnectAnalysis {
  attempts: number;
  firstConnectingSince: string;
  lastAttemptSince: string;
  lastAttemptSeenAt: number;
  connectedSince: string;
  connectedSeenAt: number;
  tunnelUpMs: number;
  bootstrapMs: number;
  /** Percent → ms after the successful attempt started, first sighting of each. */
  progress: Array<{ percent: number; afterMs: number; phase: string }>;
}

function ms(iso: string): number {
  return new Date(iso).getTime();
}

/** What the states after a connect command say; a sentence when they do not show a fresh connection. */
export function analyseConnect(observed: readonly ObservedState[], profileId: string): ConnectAnalysis | string {
  const mine = (state: TunnelState): boolean => 'target' in state && state.target?.profileId === profileId;
  const firstConnecting = observed.findIndex((o) => o.state.state === 'connecting' && mine(o.state));
  if (firstConnecting < 0) return 'no connection was started (the profile was already connected)';
  const connectedIndex = observed.findIndex((o, i) => i > firstConnecting && o.state.state === 'connected' && mine(o.state));
  if (connectedIndex < 0) return 'the connection did not reach the connected state';
  const first = observed[firstConnecting] as ObservedState & { state: { state: 'connecting' } };
  const connected = observed[connectedIndex] as ObservedState & { state: { state: 'connected' } };
  let last = first;
  let attempts = first.state.attempt;
  const progress: ConnectAnalysis['progress'] = [];
  for (let i = firstConnecting; i < connectedIndex; i++) {
    const o = observed[i] as ObservedState;
    if (o.state.state !== 'connecting' || !mine(o.state)) continue;
    attempts = Math.max(attempts, o.state.attempt);
    if (o.state.since !== last.state.since || o.state.attempt !== last.state.attempt) {
      last = o as typeof first;
      progress.length = 0;
    }
    const percent = o.state.progress?.percent;
    if (percent !== undefined && !progress.some((p) => p.percent === percent)) {
      progress.push({ percent, afterMs: roundMs(Math.max(0, o.at - last.at)), phase: o.state.progress?.phase ?? '' });
    }
  }
  const connectedSince = connected.state.since;
  return {
    attempts,
    firstConnectingSince: first.state.since,
    lastAttemptSince: last.state.since,
    lastAttemptSeenAt: last.at,
    connectedSince,
    connectedSeenAt: connected.at,
    tunnelUpMs: Math.max(0, ms(connectedSince) - ms(first.state.since)),
    bootstrapMs: Math.max(0, ms(connectedSince) - ms(last.state.since)),
    progress: progress.slice(0, 101),
  };
}

export interface FirstByte {
  /** When the probe request was written and its first answer byte arrived (preciseNow()). */
  sentAt: number;
  firstByteAt: number;
  target: string;
  route: string;
  /** Tries that failed before the first answer (the tunnel was up but did not carry streams yet). */
  failures?: number;
  lastError?: string;
}

export function connectTimeMeasurement(
  analysis: ConnectAnalysis,
  firstByte: FirstByte,
  commandAt: string,
  subject: MeasureSubject,
  measuredAt: string,
): NewMeasurement {
  const firstByteMs = Math.max(0, firstByte.firstByteAt - analysis.connectedSeenAt);
  const value = roundMs(analysis.tunnelUpMs + firstByteMs);
  const conditions: Measurement['conditions'] = {
    definition: 'connecting.since (first attempt) → first byte of an HTTP answer through the tunnel',
    target: firstByte.target,
    route: firstByte.route,
    commandAt,
    connectingSince: analysis.firstConnectingSince,
    connectedAt: analysis.connectedSince,
    tunnelUpMs: analysis.tunnelUpMs,
    firstByteMs: roundMs(firstByteMs),
    requestRoundTripMs: roundMs(firstByte.firstByteAt - firstByte.sentAt),
    teardownMs: Math.max(0, ms(analysis.firstConnectingSince) - ms(commandAt)),
    attempts: analysis.attempts,
    probeFailures: firstByte.failures ?? 0,
    ...(firstByte.lastError === undefined ? {} : { probeLastError: firstByte.lastError }),
    ...subjectConditions(subject),
  };
  return { network: subject.network, profileId: subject.profileId, kind: 'connectTime', value, unit: 'ms', conditions, measuredAt };
}

export function bootstrapMeasurement(analysis: ConnectAnalysis, subject: MeasureSubject, measuredAt: string): NewMeasurement {
  const conditions: Measurement['conditions'] = {
    definition: 'connecting.since (the attempt that succeeded) → connected.since',
    attemptSince: analysis.lastAttemptSince,
    connectedAt: analysis.connectedSince,
    attempts: analysis.attempts,
    progress: analysis.progress,
    ...subjectConditions(subject),
  };
  return { network: subject.network, profileId: subject.profileId, kind: 'bootstrapTime', value: analysis.bootstrapMs, unit: 'ms', conditions, measuredAt };
}
