// The server side of the contract: one function turns any raw message into a validated call of a handler
// and a validated response. Every transport (control socket, WebSocket, Electron IPC) goes through here,
// so a garbage message gets the same clear error everywhere and never reaches a handler.
import { BurrowError, toErrorInfo, type ErrorInfo } from '../domain/index.js';
import { commands, isCommandName, type CommandName, type CommandResponse, type ValidCommandRequest } from './commands.js';
import { describeIssues } from './validation.js';
import { MAX_MESSAGE_BYTES, RequestEnvelopeSchema, type RequestId, type ResponseEnvelope } from './wire.js';

export type CommandHandlers = {
  [N in CommandName]: (request: ValidCommandRequest<N>) => Promise<CommandResponse<N>>;
};

export interface DispatchOptions {
  /** Told about responses the host itself got wrong (a bug, never the caller's fault). */
  onInternalError?: (method: string, error: ErrorInfo) => void;
}

function failure(id: RequestId | null, error: ErrorInfo): ResponseEnvelope {
  return { id, ok: false, error };
}

function idOf(raw: unknown): RequestId | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'number' || (typeof id === 'string' && id.length <= 64) ? id : null;
}

/** Parse one text message, refusing oversized or non-JSON input with a typed error. */
export function parseMessageText(text: string): { ok: true; value: unknown } | { ok: false; error: ErrorInfo } {
  if (text.length > MAX_MESSAGE_BYTES) {
    return { ok: false, error: { code: 'message_too_large', message: `Messages are limited to ${MAX_MESSAGE_BYTES} bytes.` } };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: { code: 'invalid_request', message: 'The message is not valid JSON.' } };
  }
}

/** Call a method by name with params that have not been validated yet (Electron IPC hands us these). */
export async function dispatchCall(
  handlers: CommandHandlers,
  id: RequestId | null,
  method: unknown,
  params: unknown,
  options: DispatchOptions = {},
): Promise<ResponseEnvelope> {
  if (!isCommandName(method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 64)) : typeof method;
    return failure(id, { code: 'unknown_command', message: `There is no command ${shown}.` });
  }
  const spec = commands[method];
  const request = spec.request.safeParse(params ?? {});
  if (!request.success) {
    return failure(id, { code: 'invalid_request', message: `Invalid request for ${method}: ${describeIssues(request.error)}` });
  }
  let result: unknown;
  try {
    const handler = handlers[method] as (request: unknown) => Promise<unknown>;
    result = await handler(request.data);
  } catch (error) {
    return failure(id, toErrorInfo(error));
  }
  const response = spec.response.safeParse(result);
  if (!response.success) {
    const error = { code: 'internal' as const, message: `The host produced an invalid answer to ${method}: ${describeIssues(response.error)}` };
    options.onInternalError?.(method, error);
    return failure(id, error);
  }
  return { id, ok: true, result: response.data };
}

/** Handle one raw request envelope (already JSON-parsed). */
export async function dispatchEnvelope(handlers: CommandHandlers, raw: unknown, options: DispatchOptions = {}): Promise<ResponseEnvelope> {
  const envelope = RequestEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return failure(idOf(raw), {
      code: 'invalid_request',
      message: `Not a request: ${describeIssues(envelope.error)}. Send {"id": 1, "method": "getSnapshot", "params": {}}.`,
    });
  }
  return dispatchCall(handlers, envelope.data.id, envelope.data.method, envelope.data.params, options);
}

/** Handlers for commands that are not built yet: a typed error, never a fake success. */
export function notImplemented(what: string): never {
  throw new BurrowError('not_implemented', `Not built yet in this version of Burrow: ${what}.`);
}
