// The Electron front door of the contract. One ipcMain.handle per command, derived from the contract's
// table (IPC_COMMAND_CHANNELS), never a hand-kept list. Every message's sender is checked (Electron
// security checklist item 17), the Electron event object never goes further than this file, and every
// call goes through dispatchCall: the same validation the control socket and the WebSocket get.
import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import {
  dispatchCall,
  IPC_COMMAND_CHANNELS,
  IPC_READY_CHANNEL,
  type CommandHandlers,
  type DispatchOptions,
  type ResponseEnvelope,
} from '../../app/contract/index.js';
import { isAppUrl, type RendererLocation } from './app-url.js';

/** The parts of an IPC event the sender check reads; Electron's events satisfy it structurally. */
export interface SenderLike {
  readonly sender: unknown;
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** Pure: the frame's URL is a page of the app itself (same scheme, host and port). */
export function isTrustedSender(url: string, expected: RendererLocation): boolean {
  return isAppUrl(url, expected);
}

/**
 * The whole check for one message: it comes from the main window's webContents, from its top frame (a
 * frame that went away has senderFrame null), and that frame shows the app's own renderer URL.
 */
export function isTrustedEvent(event: SenderLike, expectedContents: unknown, expected: RendererLocation): boolean {
  if (expectedContents === null || expectedContents === undefined) return false;
  if (event.sender !== expectedContents && !sameContentsId(event.sender, expectedContents)) return false;
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  return isTrustedSender(frame.url, expected);
}

/** Electron hands out one wrapper per webContents, but compare ids too in case a wrapper is ever recreated. */
function sameContentsId(a: unknown, b: unknown): boolean {
  const idOf = (x: unknown): unknown => (typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined);
  const id = idOf(a);
  return typeof id === 'number' && id === idOf(b);
}

export const UNTRUSTED_SENDER_RESPONSE: ResponseEnvelope = {
  id: null,
  ok: false,
  error: { code: 'unauthorized', message: 'This message did not come from the Burrow window.' },
};

/** The slice of ipcMain used here, so tests hand in a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
}

export interface IpcOptions {
  readonly handlers: CommandHandlers;
  /** The check applied to every message (isTrustedEvent bound to the main window in index.ts). */
  readonly isTrusted: (event: SenderLike) => boolean;
  /** The renderer said it listens (trusted senders only): flush the event queue. */
  readonly onReady: () => void;
  /** Told about refused messages (logged by index.ts; never answered with details). */
  readonly onRejected?: (channel: string, url: string | null) => void;
  readonly dispatch?: DispatchOptions;
}

/** Register every command channel and the ready channel; returns a function that removes them all. */
export function registerIpc(ipcMain: IpcMainLike, options: IpcOptions): () => void {
  const channels = [...IPC_COMMAND_CHANNELS];
  for (const [channel, method] of channels) {
    // Exactly one handler per channel: ipcMain.handle throws on a second registration.
    ipcMain.removeHandler(channel);
    ipcMain.handle(channel, async (event, params: unknown) => {
      if (!options.isTrusted(event)) {
        options.onRejected?.(channel, event.senderFrame?.url ?? null);
        return UNTRUSTED_SENDER_RESPONSE;
      }
      // Only `params` crosses over: the event object and any extra arguments stay here.
      return dispatchCall(options.handlers, null, method, params, options.dispatch);
    });
  }
  const onReady = (event: IpcMainEvent): void => {
    if (!options.isTrusted(event)) {
      options.onRejected?.(IPC_READY_CHANNEL, event.senderFrame?.url ?? null);
      return;
    }
    options.onReady();
  };
  ipcMain.on(IPC_READY_CHANNEL, onReady);
  return () => {
    for (const [channel] of channels) ipcMain.removeHandler(channel);
    ipcMain.removeListener(IPC_READY_CHANNEL, onReady);
  };
}
