// Kill-switch probe: judgement, and the probe's handling of the tunnel (always brought back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leakd } from '../../../app/leakd/server.js';
import { judgeKillSwitch, probeKillSwitch } from '../../../app/leaks/kill-switch.js';
import type { TunnelInterrupter } from '../../../app/leaks/types.js';
import { loopbackLeakd } from './loopback.js';

describe('judgeKillSwitch', () => {
  const base = { network: 'wireguard' as const, downMs: 3000 };

  it('passes when nothing got out while the helper was down, with the counters as evidence…', () => {
    const j = judgeKillSwitch({ ...base, attempts: [{ error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }], counterDelta: { blocked_out: 4 } });
    expect(j.verdict).toBe('passed');
    expect(j.summary).toContain('the firewall refused 4 packets');
  });

  it('…and leaks when even one request got out, naming the address sites saw', () => {
    const j = judgeKillSwitch({ ...base, attempts: [{ error: 'x' }, { ip: '198.51.100.7' }] });
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain('1 of 2 requests');
    expect(j.summary).toContain('198.51.100.7');
  });

  it('not_tested when it could not run, sent nothing, or no tunnel is up', () => {
    expect(judgeKillSwitch({ ...base, attempts: [], unavailable: 'no netd' }).summary).toBe('no netd');
    expect(judgeKillSwitch({ ...base, attempts: [] }).verdict).toBe('not_tested');
    expect(judgeKillSwitch({ ...base, network: null, attempts: [{ error: 'x' }] }).verdict).toBe('not_tested');
  });

  it('says so when the tunnel did not come back', () => {
    expect(judgeKillSwitch({ ...base, attempts: [{ error: 'x' }], restartError: 'wgUp failed' }).summary).toContain('did not come back');
  });
});

describe('probeKillSwitch', () => {
  let server: { leakd: Leakd; url: string };
  beforeAll(async () => {
    server = await loopbackLeakd();
  });
  afterAll(async () => {
    await server?.leakd.close();
  });

  const fake = (over: Partial<TunnelInterrupter> = {}) => {
    const calls: string[] = [];
    let packets = 0;
    const tunnel: TunnelInterrupter = {
      stopHelper: () => {
        calls.push('stop');
        return Promise.resolve();
      },
      startHelper: () => {
        calls.push('start');
        return Promise.resolve();
      },
      counters: () => Promise.resolve({ blocked_out: { packets: (packets += 5), bytes: 0 } }),
      ...over,
    };
    return { tunnel, calls };
  };

  it('without netd’s help it is not_tested and touches nothing', async () => {
    const j = await probeKillSwitch({ network: 'wireguard', leakServerUrl: server.url, tunnel: undefined, signal: AbortSignal.timeout(1000) });
    expect(j.verdict).toBe('not_tested');
    expect(j.summary).toMatch(/netd/);
  });

  it('a leak server that answers while the helper is down is a leak; the tunnel is restarted after', async () => {
    const { tunnel, calls } = fake();
    const j = await probeKillSwitch({ network: 'wireguard', leakServerUrl: server.url, tunnel, signal: AbortSignal.timeout(5000), downMs: 300, intervalMs: 50 });
    expect(j.verdict).toBe('leaked');
    expect(j.evidence.seenAs).toEqual(['127.0.0.1']);
    expect(calls).toEqual(['stop', 'start']);
    expect(j.evidence.counterDelta).toEqual({ blocked_out: 5 });
  });

  it('nothing answering passes', async () => {
    const closed = await loopbackLeakd();
    const url = closed.url;
    await closed.leakd.close();
    const { tunnel } = fake();
    const j = await probeKillSwitch({ network: 'wireguard', leakServerUrl: url, tunnel, signal: AbortSignal.timeout(5000), downMs: 200, intervalMs: 50 });
    expect(j.verdict).toBe('passed');
  });

  it('brings the tunnel back even when stopping it failed', async () => {
    const { tunnel, calls } = fake({ stopHelper: () => Promise.reject(new Error('netd said no')) });
    const j = await probeKillSwitch({ network: 'wireguard', leakServerUrl: server.url, tunnel, signal: AbortSignal.timeout(1000) });
    expect(j.verdict).toBe('not_tested');
    expect(j.summary).toContain('netd said no');
    expect(calls).toEqual(['start']);
  });
});
