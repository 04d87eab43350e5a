import { describe, expect, it, vi } from 'vitest';
import { closeWithin } from '../../../electron/main/host-link.js';
import { applyEvent, viewFromSnapshot } from '../../../electron/main/view-model.js';
import { NOW, snapshot, statesFor } from './fixtures.js';

describe('desktop view', () => {
  it('starts from the snapshot and folds events in', () => {
    const view = viewFromSnapshot(snapshot());
    const connected = statesFor('tor').connected!;
    const change = applyEvent(view, 'state', connected);
    expect(change).toEqual({ kind: 'state', previous: view.state, view: { ...view, state: connected } });
    expect(applyEvent(view, 'settings', { ...view.settings, lockdown: true }).view.settings.lockdown).toBe(true);
    expect(applyEvent(view, 'profiles', []).view.profiles).toEqual([]);
    expect(applyEvent(view, 'log', { at: NOW, level: 'info', source: 'x', message: 'y' })).toEqual({ kind: 'none', view });
    expect(applyEvent(view, 'leakResult', { test: 'dns' }).kind).toBe('leak');
  });
});

describe('closeWithin', () => {
  it('reports closed, failed, or timeout — and never hangs the quit', async () => {
    expect(await closeWithin({ close: () => Promise.resolve() }, 100)).toBe('closed');
    expect(await closeWithin({ close: () => Promise.reject(new Error('x')) }, 100)).toBe('failed');
    vi.useFakeTimers();
    const pending = closeWithin({ close: () => new Promise(() => undefined) }, 5000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await pending).toBe('timeout');
    vi.useRealTimers();
  });
});
