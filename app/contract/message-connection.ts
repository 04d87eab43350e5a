// A ContractTransport over any text channel that carries whole messages (a WebSocket, the lines of a Unix
// socket): request ids, pending calls, and events, in one place for the CLI and the browser alike.
import { BurrowError } from '../domain/index.js';
import type { ContractTransport } from './client.js';
import type { CommandName } from './commands.js';

export interface MessageConnection {
  transport: ContractTransport;
  /** Feed every text message that arrives. */
  receive(text: string): void;
  /** The channel closed or failed: every pending call fails with this. */
  fail(error: BurrowError): void;
}

export function createMessageConnection(sendText: (text: string) => void): MessageConnection {
  let nextId = 1;
  let closedWith: BurrowError | undefined;
  const pending = new Map<number, { resolve: (raw: unknown) => void; reject: (error: BurrowError) => void }>();
  const eventListeners = new Set<(raw: unknown) => void>();

  const transport: ContractTransport = {
    call(method: CommandName, params: unknown) {
      if (closedWith) return Promise.reject(closedWith);
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          sendText(JSON.stringify({ id, method, params }));
        } catch (error) {
          pending.delete(id);
          reject(new BurrowError('host_unreachable', `Could not send to the host: ${String(error)}`));
        }
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  };

  return {
    transport,
    receive(text) {
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return; // Not ours to crash on; the contract client validates what it gets.
      }
      if (typeof message !== 'object' || message === null) return;
      if ('event' in message) {
        for (const listener of eventListeners) listener(message);
        return;
      }
      const id = (message as { id?: unknown }).id;
      const entry = typeof id === 'number' ? pending.get(id) : undefined;
      if (entry && typeof id === 'number') {
        pending.delete(id);
        entry.resolve(message);
      } else if (id === null && 'ok' in message && message.ok === false) {
        // The host could not tell which request failed (e.g. it was unreadable): fail them all.
        const info = (message as { error?: { code?: unknown; message?: unknown } }).error;
        const error = new BurrowError('invalid_request', typeof info?.message === 'string' ? info.message : 'The host refused a message.');
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
      }
    },
    fail(error) {
      closedWith = error;
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    },
  };
}
