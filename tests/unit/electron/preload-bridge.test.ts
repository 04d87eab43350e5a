// The preload's API, built with a fake ipcRenderer: exactly the contract's commands, one channel each,
// events without the Electron event object, and "ready".
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, IPC_EVENT_CHANNEL, IPC_READY_CHANNEL, ipcChannelFor } from '../../../app/contract/index.js';
import { createBridgeApi, type IpcRendererLike } from '../../../electron/preload/bridge.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn((channel: string, ...args: unknown[]) => Promise.resolve({ channel, args })),
    send: vi.fn(),
    on: vi.fn((channel: string, listener: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener))),
    removeListener: vi.fn((channel: string, listener: Listener) => listeners.get(channel)?.delete(listener)),
  } satisfies IpcRendererLike;
  const emit = (channel: string, ...args: unknown[]) => {
    const event = { sender: { send: () => 'the ipcRenderer itself' }, ports: [] };
    for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
  };
  return { ipc, listeners, emit };
}

describe('createBridgeApi', () => {
  it('exposes exactly the contract commands, and only commands, onEvent and ready', () => {
    const api = createBridgeApi(fakeIpcRenderer().ipc);
    expect(Object.keys(api).sort()).toEqual(['commands', 'onEvent', 'ready']);
    expect(Object.keys(api.commands).sort()).toEqual([...COMMAND_NAMES].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.commands)).toBe(true);
  });

  it('sends each command on its own channel with the params as the only argument', async () => {
    const { ipc } = fakeIpcRenderer();
    const api = createBridgeApi(ipc);
    for (const method of COMMAND_NAMES) {
      await expect(api.commands[method]({ some: method })).resolves.toEqual({ channel: ipcChannelFor(method), args: [{ some: method }] });
    }
    expect(ipc.invoke).toHaveBeenCalledTimes(COMMAND_NAMES.length);
  });

  it('hands listeners the raw envelope only, never the Electron event, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer();
    const api = createBridgeApi(ipc);
    const received: unknown[][] = [];
    const off = api.onEvent((...args: unknown[]) => received.push(args));
    emit(IPC_EVENT_CHANNEL, { event: 'state', data: { state: 'disconnected', lockedDown: false } }, 'extra');
    expect(received).toEqual([[{ event: 'state', data: { state: 'disconnected', lockedDown: false } }]]);
    off();
    off();
    expect(listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    emit(IPC_EVENT_CHANNEL, { event: 'log', data: {} });
    expect(received).toHaveLength(1);
  });

  it('refuses a listener that is not a function', () => {
    const api = createBridgeApi(fakeIpcRenderer().ipc);
    expect(() => api.onEvent('nope' as unknown as () => void)).toThrow(TypeError);
  });

  it('ready() sends the ready signal with no payload', () => {
    const { ipc } = fakeIpcRenderer();
    createBridgeApi(ipc).ready();
    expect(ipc.send).toHaveBeenCalledWith(IPC_READY_CHANNEL);
  });
});
