// Typed parsing of asynchronous events (control-spec §4.1) and of the same formats found in GETINFO values
// (status/bootstrap-phase, circuit-status). The UI's progress bar and circuit view read only these types.
import { parseArguments, unquoteIfQuoted } from './quote.js';
import type { ControlReply } from './reply-parser.js';

export interface BootstrapProgress {
  /** 0–100; tor is usable only at 100. */
  readonly progress: number;
  /** Machine-readable phase, e.g. `conn_done`, `done`. */
  readonly tag: string;
  /** Tor's human sentence for the phase, e.g. "Connected to a relay". */
  readonly summary: string;
  readonly severity: string;
  /** Present on a problem report (severity WARN): why bootstrap is stuck. */
  readonly warning?: string;
  readonly reason?: string;
  readonly recommendation?: string;
  readonly host?: string;
  readonly count?: number;
}

export interface CircuitHop {
  /** Relay identity, 40 upper-case hex digits without the `$`. */
  readonly fingerprint: string | undefined;
  readonly nickname: string | undefined;
}

export interface CircuitInfo {
  readonly id: string;
  /** LAUNCHED, BUILT, GUARD_WAIT, EXTENDED, FAILED, CLOSED. */
  readonly status: string;
  readonly path: readonly CircuitHop[];
  readonly buildFlags: readonly string[];
  readonly purpose: string | undefined;
  readonly reason: string | undefined;
  readonly remoteReason: string | undefined;
  readonly timeCreated: string | undefined;
  readonly args: Readonly<Record<string, string>>;
}

export interface StreamInfo {
  readonly id: string;
  /** NEW, NEWRESOLVE, REMAP, SENTCONNECT, SENTRESOLVE, SUCCEEDED, FAILED, CLOSED, DETACHED, … */
  readonly status: string;
  /** "0" while the stream is not attached to a circuit. */
  readonly circuitId: string;
  /** host:port as the application asked for it. */
  readonly target: string;
  readonly reason: string | undefined;
  readonly remoteReason: string | undefined;
  readonly sourceAddr: string | undefined;
  readonly purpose: string | undefined;
  readonly args: Readonly<Record<string, string>>;
}

interface EventBase {
  /** The reply lines' text as tor sent them (data blocks excluded). */
  readonly lines: readonly string[];
}

export interface StatusEvent extends EventBase {
  readonly type: 'STATUS_CLIENT' | 'STATUS_GENERAL' | 'STATUS_SERVER';
  readonly severity: string;
  readonly action: string;
  readonly args: Readonly<Record<string, string>>;
  /** Set when action is BOOTSTRAP. */
  readonly bootstrap: BootstrapProgress | undefined;
}
export interface CircuitEvent extends EventBase {
  readonly type: 'CIRC';
  readonly circuit: CircuitInfo;
}
export interface StreamEvent extends EventBase {
  readonly type: 'STREAM';
  readonly stream: StreamInfo;
}
export interface ConfChangedEvent extends EventBase {
  readonly type: 'CONF_CHANGED';
  /** value undefined means the option was reset to its default. */
  readonly changes: readonly { readonly key: string; readonly value: string | undefined }[];
}
export interface SignalEvent extends EventBase {
  readonly type: 'SIGNAL';
  readonly signal: string;
}
export interface OtherEvent extends EventBase {
  readonly type: 'other';
  /** The event keyword, e.g. NOTICE, BW, ORCONN. */
  readonly name: string;
  /** Data blocks, for events sent with `650+`. */
  readonly data: readonly string[];
}
export type TorEvent = StatusEvent | CircuitEvent | StreamEvent | ConfChangedEvent | SignalEvent | OtherEvent;

/** Every event name SETEVENTS accepts is a bare word; these are the ones parsed into types here. */
export const TYPED_EVENTS = ['STATUS_CLIENT', 'STATUS_GENERAL', 'STATUS_SERVER', 'CIRC', 'STREAM', 'CONF_CHANGED', 'SIGNAL'] as const;

function optionalNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]+$/.test(value)) return undefined;
  return Number(value);
}

function splitFirstWord(text: string): [string, string] {
  const space = text.indexOf(' ');
  return space < 0 ? [text, ''] : [text.slice(0, space), text.slice(space + 1)];
}

/**
 * Parses a bootstrap status, from a STATUS_CLIENT event line (`STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=…`)
 * or from GETINFO status/bootstrap-phase (`NOTICE BOOTSTRAP PROGRESS=…`). Undefined if it is not one.
 */
export function parseBootstrapProgress(text: string): BootstrapProgress | undefined {
  const words = parseArguments(text);
  const positional = words.positional[0] === 'STATUS_CLIENT' ? words.positional.slice(1) : words.positional;
  const [severity, action] = positional;
  const progress = optionalNumber(words.keyword.PROGRESS);
  if (severity === undefined || action !== 'BOOTSTRAP' || progress === undefined || progress > 100) return undefined;
  const k = words.keyword;
  const count = optionalNumber(k.COUNT);
  return {
    progress,
    tag: k.TAG ?? '',
    summary: k.SUMMARY ?? '',
    severity,
    ...(k.WARNING !== undefined ? { warning: k.WARNING } : {}),
    ...(k.REASON !== undefined ? { reason: k.REASON } : {}),
    ...(k.RECOMMENDATION !== undefined ? { recommendation: k.RECOMMENDATION } : {}),
    ...(k.HOST !== undefined ? { host: k.HOST } : {}),
    ...(count !== undefined ? { count } : {}),
  };
}

/** Parses a circuit path: `$FP~nick,$FP=nick,$FP,nick` (the `=` form marks a Named relay, long obsolete). */
export function parseCircuitPath(path: string): CircuitHop[] {
  if (path.length === 0) return [];
  return path.split(',').map((hop) => {
    const match = /^\$([0-9A-Fa-f]{40})(?:[~=]([A-Za-z0-9]{1,19}))?$/.exec(hop);
    if (match !== null) return { fingerprint: (match[1] ?? '').toUpperCase(), nickname: match[2] };
    return { fingerprint: undefined, nickname: hop };
  });
}

/** Parses one circuit line: `ID STATUS [PATH] [KEY=VALUE…]` (a CIRC event without its keyword, or a
 * line of GETINFO circuit-status). */
export function parseCircuitLine(text: string): CircuitInfo {
  const { positional, keyword } = parseArguments(text);
  return {
    id: positional[0] ?? '',
    status: positional[1] ?? '',
    path: parseCircuitPath(positional[2] ?? ''),
    buildFlags: (keyword.BUILD_FLAGS ?? '').split(',').filter((flag) => flag.length > 0),
    purpose: keyword.PURPOSE,
    reason: keyword.REASON,
    remoteReason: keyword.REMOTE_REASON,
    timeCreated: keyword.TIME_CREATED,
    args: keyword,
  };
}

/** Parses the value of GETINFO circuit-status: one circuit per line, empty when there is none. */
export function parseCircuitStatus(value: string): CircuitInfo[] {
  return value
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map(parseCircuitLine);
}

export function parseStreamLine(text: string): StreamInfo {
  const { positional, keyword } = parseArguments(text);
  return {
    id: positional[0] ?? '',
    status: positional[1] ?? '',
    circuitId: positional[2] ?? '',
    target: positional[3] ?? '',
    reason: keyword.REASON,
    remoteReason: keyword.REMOTE_REASON,
    sourceAddr: keyword.SOURCE_ADDR,
    purpose: keyword.PURPOSE,
    args: keyword,
  };
}

/** Turns a 6xx reply into a typed event. Unknown event names become `other` rather than being dropped. */
export function parseEvent(reply: ControlReply): TorEvent {
  const lines = reply.lines.map((line) => line.text);
  const [name, rest] = splitFirstWord(lines[0] ?? '');
  switch (name) {
    case 'STATUS_CLIENT':
    case 'STATUS_GENERAL':
    case 'STATUS_SERVER': {
      const { positional, keyword } = parseArguments(rest);
      const action = positional[1] ?? '';
      return {
        type: name,
        severity: positional[0] ?? '',
        action,
        args: keyword,
        bootstrap: name === 'STATUS_CLIENT' && action === 'BOOTSTRAP' ? parseBootstrapProgress(rest) : undefined,
        lines,
      };
    }
    case 'CIRC':
      return { type: 'CIRC', circuit: parseCircuitLine(rest), lines };
    case 'STREAM':
      return { type: 'STREAM', stream: parseStreamLine(rest), lines };
    case 'SIGNAL':
      return { type: 'SIGNAL', signal: rest.trim(), lines };
    case 'CONF_CHANGED': {
      // 650-CONF_CHANGED / 650-Key=Value … / 650 OK: the first and last lines carry no change.
      const changes = reply.lines.slice(1, -1).map((line) => {
        const eq = line.text.indexOf('=');
        return eq < 0 ? { key: line.text, value: undefined } : { key: line.text.slice(0, eq), value: unquoteIfQuoted(line.text.slice(eq + 1)) };
      });
      return { type: 'CONF_CHANGED', changes, lines };
    }
    default:
      return { type: 'other', name, data: reply.lines.flatMap((line) => (line.data === undefined ? [] : [line.data])), lines };
  }
}
