// Builds window.burrow from the contract's command table: one function per command, each bound to its
// own channel, and an event subscription that hands renderer code the raw envelope only — never the
// Electron event object (its `sender` would give the page an ipcRenderer). Pure, so a test runs it with a
// fake ipcRenderer; preload/index.ts passes the real one.
// Narrow imports on purpose: the preload bundle must not pull in Node-only parts of app/contract.
import { COMMAND_NAMES, type CommandName } from '../../app/contract/commands.js';
import { IPC_EVENT_CHANNEL, IPC_READY_CHANNEL, ipcChannelFor, type BridgeApi } from '../../app/contract/ipc.js';

/** The slice of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridgeApi(ipc: IpcRendererLike): BridgeApi {
  const commands = {} as Record<CommandName, (params: unknown) => Promise<unknown>>;
  for (const method of COMMAND_NAMES) {
    const channel = ipcChannelFor(method);
    // Exactly one argument crosses: the params. The main process validates them against the contract.
    commands[method] = (params: unknown) => ipc.invoke(channel, params);
  }
  return Object.freeze({
    commands: Object.freeze(commands),
    onEvent(listener: (raw: unknown) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onEvent needs a function.');
      const wrapped = (_event: unknown, raw: unknown): void => listener(raw);
      ipc.on(IPC_EVENT_CHANNEL, wrapped);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(IPC_EVENT_CHANNEL, wrapped);
      };
    },
    ready(): void {
      ipc.send(IPC_READY_CHANNEL);
    },
  });
}
