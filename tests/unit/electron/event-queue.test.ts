import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../app/contract/index.js';
import { EventQueue } from '../../../electron/main/event-queue.js';

const state = (n: number): EventEnvelope => ({ event: 'state', data: { n } });
const log = (n: number): EventEnvelope => ({ event: 'log', data: { n } });

describe('EventQueue', () => {
  it('holds events until the renderer is ready, then sends them in order and passes later ones straight on', () => {
    const sent: EventEnvelope[] = [];
    const queue = new EventQueue((e) => sent.push(e));
    queue.push(log(1));
    queue.push(log(2));
    expect(sent).toEqual([]);
    queue.markReady();
    expect(sent).toEqual([log(1), log(2)]);
    queue.push(log(3));
    expect(sent).toEqual([log(1), log(2), log(3)]);
    expect(queue.queued).toEqual([]);
  });

  it('keeps only the newest whole-state event (no stale state replayed after the snapshot)', () => {
    const sent: EventEnvelope[] = [];
    const queue = new EventQueue((e) => sent.push(e));
    queue.push(state(1));
    queue.push(log(1));
    queue.push(state(2));
    queue.push({ event: 'settings', data: 'a' });
    queue.push({ event: 'settings', data: 'b' });
    queue.markReady();
    expect(sent).toEqual([log(1), state(2), { event: 'settings', data: 'b' }]);
  });

  it('holds again after a reload until the new page is ready; ready twice sends nothing twice', () => {
    const sent: EventEnvelope[] = [];
    const queue = new EventQueue((e) => sent.push(e));
    queue.markReady();
    queue.reset();
    expect(queue.isReady).toBe(false);
    queue.push(log(1));
    expect(sent).toEqual([]);
    queue.markReady();
    queue.markReady();
    expect(sent).toEqual([log(1)]);
  });

  it('caps ordered events, dropping the oldest log but never the newest state', () => {
    const sent: EventEnvelope[] = [];
    const queue = new EventQueue((e) => sent.push(e), 3);
    queue.push(state(1));
    for (let i = 1; i <= 5; i += 1) queue.push(log(i));
    expect(queue.queued).toEqual([state(1), log(4), log(5)]);
  });
});
