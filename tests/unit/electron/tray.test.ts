// The tray adapter: model → Electron template, actions → the same contract handlers the UI and the CLI
// use (through dispatchCall), and the menu throttle.
import { describe, expect, it, vi } from 'vitest';
import { MenuThrottle, runTrayAction, toElectronTemplate } from '../../../electron/main/tray.js';
import { buildTrayMenu, type TrayAction } from '../../../electron/main/tray-model.js';
import { fakeHandlers, NETWORKS, PROFILE_IDS, PROFILES, SETTINGS, statesFor } from './fixtures.js';

describe('toElectronTemplate', () => {
  it('keeps type, id, label, enabled and checked, and binds each action to a click', () => {
    const menu = buildTrayMenu(statesFor('tor').connected!, SETTINGS, PROFILES, NETWORKS);
    const onAction = vi.fn();
    const template = toElectronTemplate(menu, onAction);
    expect(template).toHaveLength(menu.length);
    menu.forEach((item, i) => {
      const converted = template[i]!;
      expect(converted.type).toBe(item.type);
      if (item.type === 'separator') return;
      expect(converted).toMatchObject({ id: item.id, label: item.label, enabled: item.enabled });
      expect(converted.checked).toBe(item.checked);
      expect(typeof converted.click === 'function').toBe(item.action !== undefined);
    });
    const killSwitch = template.find((t) => t.id === 'kill-switch');
    (killSwitch?.click as () => void)();
    expect(onAction).toHaveBeenCalledWith({ type: 'updateSettings', patch: { killSwitch: false } });
  });
});

describe('runTrayAction', () => {
  const app = () => ({ showWindow: vi.fn(), quit: vi.fn() });

  it('switches network through connect (no wait), exactly like the UI', async () => {
    const handlers = fakeHandlers();
    const response = await runTrayAction({ type: 'connect', profile: PROFILE_IDS.tor }, handlers, app());
    expect(handlers.connect).toHaveBeenCalledWith({ profile: PROFILE_IDS.tor, wait: false });
    expect(response).toMatchObject({ ok: true, result: { state: 'connected' } });
  });

  it('reconnects with connect to the same profile (the host blocks in between), never disconnect+connect', async () => {
    const handlers = fakeHandlers();
    await runTrayAction({ type: 'reconnect', profile: PROFILE_IDS.wireguard }, handlers, app());
    expect(handlers.connect).toHaveBeenCalledWith({ profile: PROFILE_IDS.wireguard, wait: false });
    expect(handlers.disconnect).not.toHaveBeenCalled();
  });

  it.each<[TrayAction, string, unknown]>([
    [{ type: 'connect' }, 'connect', { wait: false }],
    [{ type: 'disconnect' }, 'disconnect', {}],
    [{ type: 'updateSettings', patch: { lockdown: true } }, 'updateSettings', { lockdown: true }],
    [{ type: 'runLeakTest' }, 'runLeakTest', {}],
  ])('%o calls %s', async (action, method, request) => {
    const handlers = fakeHandlers();
    await runTrayAction(action, handlers, app());
    expect(handlers[method as 'connect'].mock.calls).toEqual([[request]]);
  });

  it('a bad request from the tray gets the contract error, not the handler', async () => {
    const handlers = fakeHandlers();
    const response = await runTrayAction({ type: 'connect', profile: '' }, handlers, app());
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(handlers.connect).not.toHaveBeenCalled();
  });

  it('open and quit touch only the app; disconnect && quit disconnects first', async () => {
    const handlers = fakeHandlers();
    const control = app();
    await runTrayAction({ type: 'open' }, handlers, control);
    expect(control.showWindow).toHaveBeenCalledTimes(1);
    await runTrayAction({ type: 'quit' }, handlers, control);
    expect(control.quit).toHaveBeenCalledTimes(1);
    expect(handlers.disconnect).not.toHaveBeenCalled();
    const order: string[] = [];
    handlers.disconnect.mockImplementationOnce(() => {
      order.push('disconnect');
      return Promise.resolve({ state: 'disconnected', lockedDown: false });
    });
    control.quit.mockImplementationOnce(() => order.push('quit'));
    await runTrayAction({ type: 'disconnectAndQuit' }, handlers, control);
    expect(order).toEqual(['disconnect', 'quit']);
  });
});

describe('MenuThrottle', () => {
  function fakeClock() {
    let now = 0;
    const timers: { at: number; fn: () => void; id: number }[] = [];
    let nextId = 0;
    return {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        nextId += 1;
        timers.push({ at: now + ms, fn, id: nextId });
        return nextId;
      },
      clearTimeout: (id: unknown) => {
        const i = timers.findIndex((t) => t.id === id);
        if (i !== -1) timers.splice(i, 1);
      },
      advance(ms: number) {
        now += ms;
        for (const timer of timers.filter((t) => t.at <= now)) {
          timers.splice(timers.indexOf(timer), 1);
          timer.fn();
        }
      },
      pending: () => timers.length,
    };
  }

  it('applies the first model at once, then at most one per interval with the newest model', () => {
    const clock = fakeClock();
    const applied: number[][] = [];
    const throttle = new MenuThrottle<number[]>((v) => applied.push(v), 500, clock);
    throttle.update([1]);
    expect(applied).toEqual([[1]]);
    clock.advance(100);
    throttle.update([2]);
    throttle.update([3]);
    expect(applied).toEqual([[1]]);
    clock.advance(399);
    expect(applied).toEqual([[1]]);
    clock.advance(1);
    expect(applied).toEqual([[1], [3]]);
    clock.advance(1000);
    throttle.update([4]);
    expect(applied).toEqual([[1], [3], [4]]);
  });

  it('skips a model equal to the one shown, even after other updates in between', () => {
    const clock = fakeClock();
    const apply = vi.fn();
    const throttle = new MenuThrottle<{ a: number }>(apply, 500, clock);
    throttle.update({ a: 1 });
    throttle.update({ a: 1 });
    clock.advance(600);
    throttle.update({ a: 1 });
    expect(apply).toHaveBeenCalledTimes(1);
    throttle.update({ a: 2 }); // applied at once: the last apply is older than the interval
    expect(apply).toHaveBeenCalledTimes(2);
    clock.advance(10);
    throttle.update({ a: 3 });
    throttle.update({ a: 2 }); // back to what is shown before the interval ended
    clock.advance(500);
    expect(apply).toHaveBeenCalledTimes(2);
    expect(apply.mock.calls).toEqual([[{ a: 1 }], [{ a: 2 }]]);
  });

  it('dispose cancels a pending update', () => {
    const clock = fakeClock();
    const apply = vi.fn();
    const throttle = new MenuThrottle<number>(apply, 500, clock);
    throttle.update(1);
    throttle.update(2);
    throttle.dispose();
    expect(clock.pending()).toBe(0);
    clock.advance(1000);
    expect(apply).toHaveBeenCalledTimes(1);
  });
});
