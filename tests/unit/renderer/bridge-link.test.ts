import { describe, expect, it } from 'vitest';
import type { BridgeApi, CommandName } from '../../../app/contract/index.js';
import { COMMAND_NAMES } from '../../../app/contract/index.js';
import { createBridgeLink } from '../../../renderer/src/host/bridge-link.js';
import { BurrowStore } from '../../../renderer/src/store/burrow-store.js';
import { makeSnapshot } from './fake-host.js';

function fakeBridge(): { bridge: BridgeApi; log: string[]; push: (raw: unknown) => void } {
  const log: string[] = [];
  const listeners = new Set<(raw: unknown) => void>();
  const commands = Object.fromEntries(
    COMMAND_NAMES.map((method: CommandName) => [
      method,
      (params: unknown) => {
        log.push(`call ${method} ${JSON.stringify(params)}`);
        return Promise.resolve(method === 'getSnapshot' ? { id: 1, ok: true, result: makeSnapshot() } : { id: 1, ok: false, error: { code: 'not_implemented', message: 'no' } });
      },
    ]),
  ) as BridgeApi['commands'];
  const bridge: BridgeApi = {
    commands,
    onEvent(listener) {
      log.push('listen');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready() {
      log.push('ready');
    },
  };
  return { bridge, log, push: (raw) => listeners.forEach((listener) => listener(raw)) };
}

describe('Electron bridge link', () => {
  it('listens before telling main it is ready, then takes the snapshot and follows events', async () => {
    const { bridge, log, push } = fakeBridge();
    const store = new BurrowStore(createBridgeLink(bridge));
    store.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.slice(0, 3)).toEqual(['listen', 'ready', 'call getSnapshot {}']);
    expect(log.filter((entry) => entry === 'ready')).toHaveLength(1);
    expect(store.getView().host.phase).toBe('ready');
    push({ event: 'state', data: { state: 'disconnected', lockedDown: true } });
    expect(store.getView().snapshot?.state).toEqual({ state: 'disconnected', lockedDown: true });
    expect(store.canReconnect).toBe(false);
  });
});
