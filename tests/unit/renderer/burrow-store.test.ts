import { afterEach, describe, expect, it, vi } from 'vitest';
import { BurrowStore } from '../../../renderer/src/store/burrow-store.js';
import { FakeHost, makeSnapshot } from './fake-host.js';

const ranAt = '2026-11-25T10:00:00.000Z';

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('BurrowStore', () => {
  afterEach(() => vi.useRealTimers());

  it('takes one snapshot, then follows pushed events', async () => {
    const host = new FakeHost();
    const store = new BurrowStore(host.link());
    store.start();
    expect(store.getView().host.phase).toBe('connecting');
    await settle();
    expect(store.getView().host.phase).toBe('ready');
    expect(store.getView().snapshot?.state).toEqual({ state: 'disconnected', lockedDown: false });
    expect(host.readyCalls).toBe(1);

    host.emit('settings', { ...makeSnapshot().settings, lockdown: true });
    host.emit('state', { state: 'disconnected', lockedDown: true });
    expect(store.getView().snapshot?.settings.lockdown).toBe(true);
    expect(store.getView().snapshot?.state).toEqual({ state: 'disconnected', lockedDown: true });
    expect(host.callsOf('getSnapshot')).toHaveLength(1);
  });

  it('ignores full-state events that arrive before the snapshot (they are older than it)', async () => {
    const host = new FakeHost(makeSnapshot({ state: { state: 'disconnected', lockedDown: true } }));
    const store = new BurrowStore(host.link());
    store.start();
    host.emit('state', { state: 'disconnected', lockedDown: false });
    await settle();
    expect(store.getView().snapshot?.state).toEqual({ state: 'disconnected', lockedDown: true });
  });

  it('drops events that break the contract instead of showing them', async () => {
    const host = new FakeHost();
    const store = new BurrowStore(host.link());
    store.start();
    await settle();
    host.emit('state', { state: 'connected' });
    host.emit('settings', { killSwitch: 'yes' });
    expect(store.getView().snapshot?.state).toEqual({ state: 'disconnected', lockedDown: false });
    expect(store.getView().snapshot?.settings.killSwitch).toBe(true);
  });

  it('keeps the newest verdict per test and appends log lines', async () => {
    const host = new FakeHost();
    const store = new BurrowStore(host.link());
    store.start();
    await settle();
    const verdict = { test: 'dns', verdict: 'passed', summary: 'Only the tunnel resolver answered.', evidence: {}, network: 'wireguard', ranAt, durationMs: 40 } as const;
    host.emit('leakResult', verdict);
    store.recordVerdicts([{ ...verdict, verdict: 'leaked', ranAt: '2026-11-25T09:00:00.000Z' }]);
    expect(store.getView().verdicts.dns?.verdict).toBe('passed');
    host.emit('log', { at: ranAt, level: 'info', source: 'host', message: 'hello' });
    expect(store.getView().logs.map((entry) => entry.message)).toEqual(['hello']);
  });

  it('reports a lost host with the reason and tries again by itself', async () => {
    vi.useFakeTimers();
    const host = new FakeHost();
    const store = new BurrowStore(host.link());
    store.start();
    await settle();
    host.drop('The connection to the Burrow host was lost.');
    const view = store.getView().host;
    expect(view).toMatchObject({ phase: 'unreachable', reason: 'The connection to the Burrow host was lost.', retrying: false });
    expect(() => store.client()).toThrow(/not connected to its host/);
    vi.advanceTimersByTime(1000);
    expect(store.getView().host).toMatchObject({ phase: 'unreachable', retrying: true });
    await settle();
    expect(store.getView().host.phase).toBe('ready');
    expect(host.callsOf('getSnapshot')).toHaveLength(2);
    store.stop();
  });
});
