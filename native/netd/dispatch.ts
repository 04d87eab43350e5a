// One raw line in, one response envelope out: size, JSON, envelope, method and params are each checked
// before a handler runs, and whatever goes wrong becomes a typed error rather than a crash. Every request
// is logged by method, outcome and time; params are never logged (they may hold a key).
import { performance } from 'node:perf_hooks';
import { toErrorInfo, type ErrorInfo } from '../../app/domain/index.js';
import {
  MAX_NETD_MESSAGE_BYTES,
  NetdRequestEnvelopeSchema,
  isNetdCommandName,
  netdCommands,
  type NetdCommandName,
  type NetdResponse,
  type NetdResponseEnvelope,
  type ValidNetdRequest,
} from '../../app/contract/index.js';
import { describeIssues } from '../../app/contract/validation.js';
import { redact, type Logger } from './log.js';

/** Who sent a request, as the kernel says (peer.ts); undefined when it could not be told. */
export interface Caller {
  /** Who is asking (the kernel's answer, never the request's), looked up when a command needs it. */
  uid(): Promise<number | undefined>;
}

export const UNKNOWN_CALLER: Caller = { uid: () => Promise.resolve(undefined) };

export type NetdHandlers = {
  [N in NetdCommandName]: (request: ValidNetdRequest<N>, caller: Caller) => Promise<NetdResponse<N>>;
};

/** Facts about a request that are safe to log; never its params. */
export type LogFacts = (method: NetdCommandName, request: unknown) => Record<string, string | number | string[]>;

function failure(id: number | null, error: ErrorInfo): NetdResponseEnvelope {
  // Error messages are built to hold no secret; scrubbing them anyway costs nothing.
  return { id, ok: false, error: { ...error, message: redact(error.message) } };
}

export async function dispatchLine(
  handlers: NetdHandlers,
  line: string,
  context: { logger: Logger; connection: number; facts?: LogFacts; caller?: Caller },
): Promise<NetdResponseEnvelope> {
  const started = performance.now();
  const { logger, connection } = context;
  const refuse = (id: number | null, error: ErrorInfo, method?: string): NetdResponseEnvelope => {
    logger.log('warn', 'request refused', { connection, method: method ?? null, code: error.code, reason: error.message });
    return failure(id, error);
  };
  if (Buffer.byteLength(line, 'utf8') > MAX_NETD_MESSAGE_BYTES) {
    return refuse(null, { code: 'message_too_large', message: `netd requests are limited to ${MAX_NETD_MESSAGE_BYTES} bytes.` });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return refuse(null, { code: 'invalid_request', message: 'The request is not valid JSON.' });
  }
  const envelope = NetdRequestEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return refuse(null, { code: 'invalid_request', message: `Not a netd request: ${describeIssues(envelope.error)}. Send {"id": 1, "method": "ping", "params": {}}.` });
  }
  const { id, method, params } = envelope.data;
  if (!isNetdCommandName(method)) {
    return refuse(id, { code: 'unknown_command', message: `netd has no command ${JSON.stringify(method.slice(0, 32))}.` });
  }
  const checked = netdCommands[method].request.safeParse(params ?? {});
  if (!checked.success) {
    return refuse(id, { code: 'invalid_request', message: `Invalid ${method} request: ${describeIssues(checked.error)}` }, method);
  }
  const facts = context.facts?.(method, checked.data) ?? {};
  try {
    const handler = handlers[method] as (request: unknown, caller: Caller) => Promise<unknown>;
    const result = netdCommands[method].response.parse(await handler(checked.data, context.caller ?? UNKNOWN_CALLER));
    const level = method === 'ping' || method === 'wgStatus' || method === 'firewallStatus' ? 'debug' : 'info';
    logger.log(level, 'request done', { connection, method, ms: Math.round(performance.now() - started), ...facts });
    return { id, ok: true, result };
  } catch (error) {
    const info = toErrorInfo(error);
    logger.log('error', 'request failed', { connection, method, code: info.code, reason: info.message, ms: Math.round(performance.now() - started), ...facts });
    return failure(id, info);
  }
}
