// The caller side of the contract, derived from the same tables: every request is checked before it
// leaves and every answer and event is checked when it arrives, whatever carries them.
import type { z } from 'zod';
import { BurrowError } from '../domain/index.js';
import { commands, COMMAND_NAMES, type CommandName, type CommandRequest, type CommandResponse } from './commands.js';
import { events, isEventName, type EventName, type EventPayload } from './events.js';
import { describeIssues } from './validation.js';
import { EventEnvelopeSchema, ResponseEnvelopeSchema } from './wire.js';

/** What a transport must do: carry one call and hand over raw events. */
export interface ContractTransport {
  /** Resolves with the raw response envelope. */
  call(method: CommandName, params: unknown): Promise<unknown>;
  /** Raw event envelopes; returns an unsubscribe function. */
  subscribe(listener: (raw: unknown) => void): () => void;
}

export type ContractApi = {
  [N in CommandName]: (request?: CommandRequest<N>) => Promise<CommandResponse<N>>;
};

export type EventListener<N extends EventName> = (payload: EventPayload<N>) => void;

export interface ContractClient extends ContractApi {
  on<N extends EventName>(event: N, listener: EventListener<N>): () => void;
}

export interface ClientOptions {
  /** Told about events that failed validation (they are dropped). */
  onInvalidEvent?: (description: string) => void;
}

function decodeResponse<N extends CommandName>(method: N, raw: unknown): CommandResponse<N> {
  const envelope = ResponseEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    throw new BurrowError('internal', `The host sent something that is not an answer to ${method}.`);
  }
  if (!envelope.data.ok) throw BurrowError.fromInfo(envelope.data.error);
  const result = commands[method].response.safeParse(envelope.data.result);
  if (!result.success) {
    throw new BurrowError('internal', `The host's answer to ${method} does not match the contract: ${describeIssues(result.error)}`);
  }
  return result.data as CommandResponse<N>;
}

export function createContractClient(transport: ContractTransport, options: ClientOptions = {}): ContractClient {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let unsubscribe: (() => void) | undefined;

  const onRaw = (raw: unknown): void => {
    const envelope = EventEnvelopeSchema.safeParse(raw);
    if (!envelope.success || !isEventName(envelope.data.event)) {
      options.onInvalidEvent?.('an event envelope that is not in the contract');
      return;
    }
    const name = envelope.data.event;
    const payload = (events[name] as z.ZodType).safeParse(envelope.data.data);
    if (!payload.success) {
      options.onInvalidEvent?.(`event ${name}: ${describeIssues(payload.error)}`);
      return;
    }
    for (const listener of listeners.get(name) ?? []) listener(payload.data);
  };

  const api = {} as Record<CommandName, (request?: unknown) => Promise<unknown>>;
  for (const method of COMMAND_NAMES) {
    api[method] = async (request?: unknown) => {
      const checked = commands[method].request.safeParse(request ?? {});
      if (!checked.success) {
        throw new BurrowError('invalid_request', `Invalid request for ${method}: ${describeIssues(checked.error)}`);
      }
      return decodeResponse(method, await transport.call(method, checked.data));
    };
  }

  const on = <N extends EventName>(event: N, listener: EventListener<N>): (() => void) => {
    unsubscribe ??= transport.subscribe(onRaw);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  };

  return { ...(api as unknown as ContractApi), on };
}
