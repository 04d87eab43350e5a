// The baseline learned while disconnected: asked for against a real leakd on loopback, trusted only when
// the state stayed disconnected (and unlocked) for the whole request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, startLeakd, type Leakd } from '../../../app/leakd/server.js';
import { createBaselineLearner, newerBaseline } from '../../../app/leaks/learn-baseline.js';
import { judgeExitIp } from '../../../app/leaks/exit-ip.js';
import type { TunnelState } from '../../../app/domain/index.js';

const disconnected: TunnelState = { state: 'disconnected', lockedDown: false };
const lockedDown: TunnelState = { state: 'disconnected', lockedDown: true };
const connecting = { state: 'connecting', target: { profileId: 'p', profileName: 'P', network: 'wireguard' }, since: new Date(0).toISOString() } as unknown as TunnelState;

describe('baseline learner', () => {
  let leakd: Leakd;
  beforeAll(async () => {
    leakd = await startLeakd({ ...DEFAULT_CONFIG, http: [{ host: '127.0.0.1', port: 0 }], dns: [], stun: [] });
  });
  afterAll(async () => {
    await leakd.close();
  });

  it('learns the own address while disconnected, so the first tunnel run can prove "not your address"', async () => {
    const learner = createBaselineLearner({ server: () => ({ url: `http://${leakd.http[0]}` }) });
    learner.observe(disconnected);
    await learner.idle();
    expect(learner.current()).toMatchObject({ v4: '127.0.0.1' });
    // Through a tunnel whose exit nobody announced: with the learned baseline this is provably not own.
    const verdict = judgeExitIp({
      network: 'tor',
      v4: { ip: '10.9.9.9' },
      v6: { skipped: 'no IPv6' },
      expected: { addresses: [], label: 'the Tor exit relay' },
      baseline: learner.current(),
      own: [],
    });
    expect(verdict.verdict).toBe('passed');
    learner.stop();
  });

  it('drops the answer when the state changes while it is asking', async () => {
    let answer: (() => void) | undefined;
    const learner = createBaselineLearner({
      server: () => ({ url: 'http://127.0.0.1:9' }),
      ask: (_target, opts) =>
        new Promise((resolve) => {
          answer = () => resolve({ ip: '10.1.2.3' });
          opts.signal.addEventListener('abort', () => resolve({ ip: '10.1.2.3' }));
        }),
    });
    learner.observe(disconnected);
    learner.observe(connecting);
    answer?.();
    await learner.idle();
    expect(learner.current()).toBeUndefined();
  });

  it('never asks when locked down or without a leak server', async () => {
    let asked = 0;
    const ask = () => {
      asked += 1;
      return Promise.resolve({ ip: '10.1.2.3' });
    };
    createBaselineLearner({ server: () => ({ url: 'http://127.0.0.1:9' }), ask }).observe(lockedDown);
    createBaselineLearner({ server: () => ({ url: '' }), ask }).observe(disconnected);
    await new Promise((r) => setTimeout(r, 10));
    expect(asked).toBe(0);
  });

  it('prefers the newer of the stored and the learned baseline', () => {
    const stored = { v4: '198.51.100.1', resolvers: ['10.0.0.53'], measuredAt: '2026-01-01T00:00:00.000Z' };
    const learned = { v4: '198.51.100.2', measuredAt: '2026-02-01T00:00:00.000Z' };
    expect(newerBaseline(stored, learned)).toEqual({ v4: '198.51.100.2', resolvers: ['10.0.0.53'], measuredAt: learned.measuredAt });
    expect(newerBaseline(undefined, learned)).toBe(learned);
  });
});
