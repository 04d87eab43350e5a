// Names and shapes of the Electron bridge, derived from the command table: one IPC channel per command,
// one channel for events, one for "renderer ready". The preload exposes exactly these, nothing generic.
import { COMMAND_NAMES, type CommandName } from './commands.js';

/** The global the preload defines in the renderer (`window.burrow`). */
export const BRIDGE_GLOBAL = 'burrow';
export const IPC_EVENT_CHANNEL = 'burrow:event';
export const IPC_READY_CHANNEL = 'burrow:ready';

export function ipcChannelFor(method: CommandName): string {
  return `burrow:cmd:${method}`;
}

export const IPC_COMMAND_CHANNELS: ReadonlyMap<string, CommandName> = new Map(
  COMMAND_NAMES.map((method) => [ipcChannelFor(method), method]),
);

/** What `window.burrow` holds: one function per command (answers a raw response envelope) and events. */
export type BridgeApi = {
  readonly commands: { readonly [N in CommandName]: (params: unknown) => Promise<unknown> };
  /** Raw event envelopes; returns an unsubscribe function. */
  onEvent(listener: (raw: unknown) => void): () => void;
  /** Tell the main process the renderer listens now; queued events are flushed after this. */
  ready(): void;
};
