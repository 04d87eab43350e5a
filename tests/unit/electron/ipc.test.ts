// The Electron IPC front door: every command channel derived from the contract, every sender checked,
// the event object stripped, every call validated by dispatchCall (checklist 17).
import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, IPC_COMMAND_CHANNELS, IPC_READY_CHANNEL, ipcChannelFor } from '../../../app/contract/index.js';
import { PRODUCTION_RENDERER, type RendererLocation } from '../../../electron/main/app-url.js';
import {
  isTrustedEvent,
  isTrustedSender,
  registerIpc,
  UNTRUSTED_SENDER_RESPONSE,
  type IpcMainLike,
  type SenderLike,
} from '../../../electron/main/ipc.js';
import { fakeHandlers } from './fixtures.js';

type InvokeListener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
type OnListener = (event: IpcMainEvent, ...args: unknown[]) => void;

function fakeIpcMain() {
  const handles = new Map<string, InvokeListener>();
  const listeners = new Map<string, Set<OnListener>>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => {
      if (handles.has(channel)) throw new Error(`second handler for ${channel}`);
      handles.set(channel, listener);
    },
    removeHandler: (channel) => handles.delete(channel),
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const invoke = (channel: string, event: SenderLike, ...args: unknown[]) => {
    const listener = handles.get(channel);
    if (listener === undefined) throw new Error(`no handler for ${channel}`);
    return listener(event as unknown as IpcMainInvokeEvent, ...args);
  };
  const send = (channel: string, event: SenderLike) => {
    for (const listener of listeners.get(channel) ?? []) listener(event as unknown as IpcMainEvent);
  };
  return { ipc, handles, listeners, invoke, send };
}

const mainContents = { id: 1 };
const otherContents = { id: 2 };
const topFrame = (url: string) => ({ url, parent: null });
const trusted: SenderLike = { sender: mainContents, senderFrame: topFrame('app://burrow/index.html') };

describe('isTrustedSender / isTrustedEvent', () => {
  it('accepts the app page, including its routes', () => {
    expect(isTrustedSender('app://burrow/index.html', PRODUCTION_RENDERER)).toBe(true);
    expect(isTrustedSender('app://burrow/index.html#/leaks', PRODUCTION_RENDERER)).toBe(true);
    expect(isTrustedEvent(trusted, mainContents, PRODUCTION_RENDERER)).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'file:///work/main/dist/renderer/index.html',
    'app://burrow.evil/index.html',
    'app://evil@burrow/index.html',
    'http://127.0.0.1:5173/',
    'about:blank',
    'data:text/html,hi',
    '',
  ])('refuses a frame at %s', (url) => {
    expect(isTrustedSender(url, PRODUCTION_RENDERER)).toBe(false);
    expect(isTrustedEvent({ sender: mainContents, senderFrame: topFrame(url) }, mainContents, PRODUCTION_RENDERER)).toBe(false);
  });

  it('refuses another webContents, a subframe, a vanished frame, and a closed window', () => {
    expect(isTrustedEvent({ ...trusted, sender: otherContents }, mainContents, PRODUCTION_RENDERER)).toBe(false);
    expect(isTrustedEvent({ sender: mainContents, senderFrame: { url: 'app://burrow/index.html', parent: {} } }, mainContents, PRODUCTION_RENDERER)).toBe(false);
    expect(isTrustedEvent({ sender: mainContents, senderFrame: null }, mainContents, PRODUCTION_RENDERER)).toBe(false);
    expect(isTrustedEvent(trusted, undefined, PRODUCTION_RENDERER)).toBe(false);
  });

  it('in development trusts the dev server origin and nothing else', () => {
    const dev: RendererLocation = { url: 'http://127.0.0.1:5173/', origin: 'http://127.0.0.1:5173', dev: true };
    expect(isTrustedSender('http://127.0.0.1:5173/#/profiles', dev)).toBe(true);
    expect(isTrustedSender('app://burrow/index.html', dev)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', dev)).toBe(false);
  });
});

describe('registerIpc', () => {
  function setup() {
    const fake = fakeIpcMain();
    const handlers = fakeHandlers();
    const onReady = vi.fn();
    const onRejected = vi.fn();
    const dispose = registerIpc(fake.ipc, {
      handlers,
      isTrusted: (event) => isTrustedEvent(event, mainContents, PRODUCTION_RENDERER),
      onReady,
      onRejected,
    });
    return { ...fake, handlers, onReady, onRejected, dispose };
  }

  it('registers exactly one channel per contract command, derived from the contract', () => {
    const { handles } = setup();
    expect(new Set(handles.keys())).toEqual(new Set(COMMAND_NAMES.map(ipcChannelFor)));
    expect(new Set(handles.keys())).toEqual(new Set(IPC_COMMAND_CHANNELS.keys()));
  });

  it('calls the handler with validated params only, and answers a response envelope', async () => {
    const { invoke, handlers } = setup();
    const response = await invoke(ipcChannelFor('removeProfile'), trusted, { id: 'home-wg' }, 'extra', { sneaky: true });
    expect(response).toEqual({ id: null, ok: true, result: { removed: 'home-wg' } });
    expect(handlers.removeProfile).toHaveBeenCalledTimes(1);
    expect(handlers.removeProfile.mock.calls[0]).toEqual([{ id: 'home-wg' }]);
  });

  it('answers invalid params with the contract error, without calling the handler', async () => {
    const { invoke, handlers } = setup();
    const response = await invoke(ipcChannelFor('removeProfile'), trusted, { id: '../../etc' });
    expect(response).toMatchObject({ id: null, ok: false, error: { code: 'invalid_request' } });
    const extra = await invoke(ipcChannelFor('getSnapshot'), trusted, { everything: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(handlers.removeProfile).not.toHaveBeenCalled();
    expect(handlers.getSnapshot).not.toHaveBeenCalled();
  });

  it('answers an untrusted sender "unauthorized" and never reaches the handler', async () => {
    const { invoke, handlers, onRejected } = setup();
    const foreign = { sender: mainContents, senderFrame: topFrame('https://evil.example/') };
    expect(await invoke(ipcChannelFor('disconnect'), foreign, {})).toEqual(UNTRUSTED_SENDER_RESPONSE);
    expect(await invoke(ipcChannelFor('disconnect'), { ...trusted, sender: otherContents }, {})).toEqual(UNTRUSTED_SENDER_RESPONSE);
    expect(handlers.disconnect).not.toHaveBeenCalled();
    expect(onRejected).toHaveBeenCalledWith(ipcChannelFor('disconnect'), 'https://evil.example/');
  });

  it('flushes events only on "ready" from the trusted window', () => {
    const { send, onReady, onRejected } = setup();
    send(IPC_READY_CHANNEL, { sender: otherContents, senderFrame: topFrame('app://burrow/index.html') });
    expect(onReady).not.toHaveBeenCalled();
    expect(onRejected).toHaveBeenCalledWith(IPC_READY_CHANNEL, 'app://burrow/index.html');
    send(IPC_READY_CHANNEL, trusted);
    expect(onReady).toHaveBeenCalledTimes(1);
  });

  it('removes every channel and listener on dispose, and can register again', () => {
    const { ipc, handles, listeners, dispose, handlers } = setup();
    dispose();
    expect(handles.size).toBe(0);
    expect(listeners.get(IPC_READY_CHANNEL)?.size ?? 0).toBe(0);
    expect(() => registerIpc(ipc, { handlers, isTrusted: () => true, onReady: () => undefined })).not.toThrow();
  });
});
