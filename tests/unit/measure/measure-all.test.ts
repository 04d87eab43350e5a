// Measure all against the real supervisor with scripted drivers: the order, the way back, the kill
// switch in between, cancelling, and the numbers derived from the states.
import { describe, expect, it } from 'vitest';
import { BurrowError, type TunnelState } from '../../../app/domain/index.js';
import { runMeasureAll, type MeasureAllOptions, type MeasureProgress } from '../../../app/measure/measure-all.js';
import type { RttResult } from '../../../app/measure/rtt.js';
import type { ThroughputResult } from '../../../app/measure/throughput.js';
import { preciseNow, type Route } from '../../../app/measure/types.js';
import { delay, profile, ScriptedDriver, scriptedHost, type ScriptedHost } from './scripted-host.js';

const wg = profile('wg', 'wireguard');
const tor = profile('tor', 'tor');
const wg2 = profile('wg2', 'wireguard');

function torDriver(stepMs = 30, mode: 'system' | 'proxy' = 'system') {
  return new ScriptedDriver('tor', async (session) => {
    for (const percent of [10, 50, 100]) {
      await delay(stepMs, session.signal);
      session.progress({ percent, phase: `Bootstrapped ${percent}%` });
    }
    return {
      extra: mode === 'system' ? { Mode: 'System-wide: every program goes through Tor', 'SOCKS proxy': '127.0.0.1:9050' } : { Mode: 'Proxy: only programs set to use the SOCKS proxy go through Tor', 'SOCKS proxy': '127.0.0.1:9150' },
    };
  });
}

const wgDriver = () =>
  new ScriptedDriver('wireguard', async (session) => {
    await delay(20, session.signal);
    return { interface: 'burrow0' };
  });

/** Stub measurements that note which state the tunnel was in while they ran, and through which route. */
function stubs(host: ScriptedHost, seen: Array<{ kind: string; state: TunnelState; route: Route }>, hooks: { duringRtt?: () => void } = {}) {
  return {
    targets: { leakServer: 'http://10.9.80.80' },
    // "No tunnel" is measured by default; these tests are about the profiles (its own tests are below).
    baseline: false,
    rtt: async (options: { route: Route; signal?: AbortSignal }): Promise<RttResult> => {
      seen.push({ kind: 'rtt', state: host.current(), route: options.route });
      hooks.duringRtt?.();
      await delay(10, options.signal);
      return { medianMs: 5, p95Ms: 7, minMs: 4, maxMs: 8, meanMs: 5.5, samplesMs: [4, 5, 7, 8], failures: 0, warmupFailures: 0, target: 'http://10.9.80.80/json', route: options.route, startedAt: new Date().toISOString(), durationMs: 40 };
    },
    throughput: (options: { route: Route }): Promise<ThroughputResult> => {
      seen.push({ kind: 'throughput', state: host.current(), route: options.route });
      return Promise.resolve({ bitsPerSecond: 1e8, method: 'http', target: 'x', route: options.route, bytes: 1, seconds: 1, startedAt: new Date().toISOString(), extra: {} });
    },
    firstByte: (url: string, route: Route) => {
      seen.push({ kind: 'firstByte', state: host.current(), route });
      const now = preciseNow();
      return Promise.resolve({ sentAt: now, firstByteAt: now + 12, target: url, route: route.kind });
    },
  } satisfies Partial<MeasureAllOptions>;
}

function connectedTo(state: TunnelState): string | undefined {
  return state.state === 'connected' ? state.target.profileId : undefined;
}

describe('runMeasureAll', () => {
  it('measures each profile in turn while connected to it, blocks while switching, and returns to disconnected', async () => {
    const host = scriptedHost([wgDriver(), torDriver()], [wg, tor, wg2]);
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const progress: MeasureProgress[] = [];
    const result = await runMeasureAll(host, { ...stubs(host, seen), onProgress: (p) => progress.push(p) });

    expect(result.cancelled).toBe(false);
    expect(result.skipped).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(host.connects).toEqual(['wg', 'tor', 'wg2']);
    expect(seen.map((s) => `${s.kind}@${connectedTo(s.state)}`)).toEqual([
      'firstByte@wg', 'rtt@wg', 'throughput@wg',
      'firstByte@tor', 'rtt@tor', 'throughput@tor',
      'firstByte@wg2', 'rtt@wg2', 'throughput@wg2',
    ]);
    // Stored: connect time, RTT, throughput per profile, plus Tor's bootstrap time.
    expect(host.stored.map((m) => `${m.profileId}:${m.kind}`)).toEqual([
      'wg:connectTime', 'wg:rtt', 'wg:throughput',
      'tor:connectTime', 'tor:bootstrapTime', 'tor:rtt', 'tor:throughput',
      'wg2:connectTime', 'wg2:rtt', 'wg2:throughput',
    ]);
    expect(result.measurements.map((m) => m.id)).toEqual(host.stored.map((m) => m.id));
    expect(host.stored.every((m) => m.conditions.runId === result.runId)).toBe(true);

    // Between the first connect and the way back, never an open state: every state that is not
    // `connected` blocked, and `disconnected` appears only at the very end.
    const states = host.journal.map((j) => j.state);
    const wayBack = states.findIndex((s) => s.state === 'disconnecting' && s.then === 'nothing');
    expect(wayBack).toBeGreaterThan(0);
    expect(states.slice(0, wayBack).map((s) => s.state)).not.toContain('disconnected');
    for (const entry of host.journal.slice(0, wayBack + 1)) if (entry.state.state !== 'connected') expect(entry.blocking).toBe(true);
    expect(states.slice(0, wayBack).filter((s) => s.state === 'disconnecting').every((s) => s.state === 'disconnecting' && s.then === 'reconnect')).toBe(true);
    expect(states.slice(wayBack + 1).every((s) => s.state === 'disconnected')).toBe(true);
    expect(result.returnedTo).toEqual({ state: 'disconnected', lockedDown: false });

    expect(progress[0]).toMatchObject({ step: 1, of: 3, profileId: 'wg', phase: 'connecting' });
    expect(progress.at(-2)?.phase).toBe('returning');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', runId: result.runId });
  });

  it('starting connected: that profile goes last, so the run ends on it with no extra switch', async () => {
    const host = scriptedHost([wgDriver(), torDriver()], [wg, tor]);
    await host.connect('tor');
    host.connects.length = 0;
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const result = await runMeasureAll(host, stubs(host, seen));
    expect(host.connects).toEqual(['wg', 'tor']);
    expect(connectedTo(result.returnedTo)).toBe('tor');
    expect(host.journal.map((j) => j.state.state)).not.toContain('disconnected');
  });

  it('already connected to the only profile: measures it, and says why there is no connect time', async () => {
    const host = scriptedHost([wgDriver()], [wg]);
    await host.connect('wg');
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const result = await runMeasureAll(host, stubs(host, seen));
    expect(host.stored.map((m) => m.kind)).toEqual(['rtt', 'throughput']);
    expect(result.problems).toEqual([{ profileId: 'wg', network: 'wireguard', kind: 'connectTime', message: 'No connect time: no connection was started (the profile was already connected).' }]);
  });

  it('connect time and Tor bootstrap time come from the states the supervisor went through', async () => {
    const host = scriptedHost([wgDriver(), torDriver(40)], [tor]);
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const whole = preciseNow();
    await runMeasureAll(host, stubs(host, seen));
    const wholeMs = preciseNow() - whole;
    const boot = host.stored.find((m) => m.kind === 'bootstrapTime');
    const connect = host.stored.find((m) => m.kind === 'connectTime');
    // At least the driver's three scripted 40 ms steps (less 10 ms of timer slack), and a part of the run.
    expect(boot?.value).toBeGreaterThanOrEqual(110);
    expect(boot?.value).toBeLessThanOrEqual(wholeMs);
    expect((boot?.conditions.progress as Array<{ percent: number }>).map((p) => p.percent)).toEqual([10, 50, 100]);
    expect(connect?.value).toBeGreaterThanOrEqual((boot?.value ?? 0) + 12 - 2);
    expect(connect?.conditions.attempts).toBe(1);
    expect(typeof connect?.conditions.firstByteMs).toBe('number');
    expect(connect?.conditions.tunnelUpMs).toBeGreaterThanOrEqual(110);
  });

  it('Tor in proxy mode is measured through its SOCKS port; system-wide through the host’s own sockets', async () => {
    const host = scriptedHost([wgDriver(), torDriver(5, 'proxy')], [wg, tor]);
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    await runMeasureAll(host, stubs(host, seen));
    const routes: Record<string, Route> = Object.fromEntries(seen.filter((s) => s.kind === 'rtt').map((s): [string, Route] => [connectedTo(s.state) ?? '?', s.route]));
    expect(routes).toEqual({ wg: { kind: 'system' }, tor: { kind: 'socks5', proxy: { host: '127.0.0.1', port: 9150 } } });
  });

  it('a profile that cannot connect is skipped; the others are measured', async () => {
    const broken = new ScriptedDriver('tor', () => Promise.reject(new BurrowError('blocked_by_censor', 'Tor stayed at 5%.')));
    const host = scriptedHost([wgDriver(), broken], [tor, wg]);
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const result = await runMeasureAll(host, stubs(host, seen));
    expect(result.skipped).toEqual([{ profileId: 'tor', network: 'tor', reason: 'Could not connect: Tor stayed at 5%.' }]);
    expect(new Set(host.stored.map((m) => m.profileId))).toEqual(new Set(['wg']));
    expect(result.returnedTo.state).toBe('disconnected');
  });

  it('cancel during a measurement stops at once, stores what was done, and still returns', async () => {
    const host = scriptedHost([wgDriver(), torDriver()], [wg, tor, wg2]);
    const controller = new AbortController();
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const result = await runMeasureAll(host, {
      ...stubs(host, seen, { duringRtt: () => connectedTo(host.current()) === 'tor' && controller.abort(new BurrowError('cancelled', 'stop')) }),
      signal: controller.signal,
    });
    expect(result.cancelled).toBe(true);
    expect(host.connects).toEqual(['wg', 'tor']);
    expect(host.stored.map((m) => `${m.profileId}:${m.kind}`)).toEqual(['wg:connectTime', 'wg:rtt', 'wg:throughput', 'tor:connectTime', 'tor:bootstrapTime']);
    expect(result.returnedTo).toEqual({ state: 'disconnected', lockedDown: false });
    expect(seen.some((s) => s.kind === 'throughput' && connectedTo(s.state) === 'tor')).toBe(false);
  });

  it('cancel while connecting does not wait for the connection; the way back switches to where it started', async () => {
    let connectSignal: AbortSignal | undefined;
    const slow = new ScriptedDriver('tor', async (session) => {
      connectSignal = session.signal;
      await delay(60_000, session.signal);
      return {};
    });
    const host = scriptedHost([wgDriver(), slow], [wg, tor]);
    await host.connect('wg');
    const controller = new AbortController();
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const running = runMeasureAll(host, {
      ...stubs(host, seen),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'connecting' && p.profileId === 'tor') setTimeout(() => controller.abort(), 50);
      },
    });
    // The connect would take a minute (longer than the test may run): the cancel reached the driver's session.
    const result = await running;
    expect(connectSignal?.aborted).toBe(true);
    expect(result.cancelled).toBe(true);
    expect(connectedTo(result.returnedTo)).toBe('wg');
    expect(host.journal.map((j) => j.state.state)).not.toContain('disconnected');
  });

  it('with leaks: the leak tests run on each network while it is connected, counted per profile', async () => {
    const host = scriptedHost([wgDriver(), torDriver(5)], [wg, tor]);
    const during: string[] = [];
    host.runLeakTests = () => {
      during.push(connectedTo(host.current()) ?? 'not connected');
      const verdict = (test: 'dns' | 'exitIp', result: 'passed' | 'leaked') => ({ test, verdict: result, summary: '', evidence: {}, network: null, ranAt: new Date().toISOString(), durationMs: 1 });
      return Promise.resolve([verdict('dns', 'passed'), verdict('exitIp', during.length === 2 ? 'leaked' : 'passed')]);
    };
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const result = await runMeasureAll(host, { ...stubs(host, seen), leaks: true });
    expect(during).toEqual(['wg', 'tor']);
    expect(result.leaks).toEqual([
      { profileId: 'wg', network: 'wireguard', passed: 2, leaked: 0, notTested: 0 },
      { profileId: 'tor', network: 'tor', passed: 1, leaked: 1, notTested: 0 },
    ]);
    const without = scriptedHost([wgDriver()], [wg]);
    const noLeaks = await runMeasureAll(without, { ...stubs(without, []), leaks: true });
    expect(noLeaks.problems).toEqual([{ profileId: 'wg', network: 'wireguard', kind: 'leaks', message: 'The leak tests are not available in this host.' }]);
  });

  it('refuses unknown profiles and an empty list', async () => {
    const host = scriptedHost([wgDriver()], [wg]);
    await expect(runMeasureAll(host, { targets: { leakServer: 'http://x' }, profiles: ['nope'] })).rejects.toMatchObject({ code: 'not_found' });
    const empty = scriptedHost([wgDriver()], []);
    await expect(runMeasureAll(empty, { targets: { leakServer: 'http://x' } })).rejects.toMatchObject({ code: 'no_profile' });
  });
});

describe('runMeasureAll: "No tunnel"', () => {
  it('is measured by default, first, with no tunnel, even when the run starts connected; then it returns to the profile', async () => {
    const host = scriptedHost([wgDriver()], [wg]);
    await host.connect('wg');
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const { baseline: _skip, ...measuring } = stubs(host, seen);
    const result = await runMeasureAll(host, measuring);
    expect(result.problems).toEqual([]);
    expect(seen.slice(0, 2).map((s) => `${s.kind}@${s.state.state}:${s.route.kind}`)).toEqual(['rtt@disconnected:system', 'throughput@disconnected:system']);
    expect(host.stored.filter((m) => m.network === null).map((m) => m.kind)).toEqual(['rtt', 'throughput']);
    expect(connectedTo(result.returnedTo)).toBe('wg');
  });

  it('under lockdown is not measured, and the run says why instead of storing a wall', async () => {
    const host = scriptedHost([wgDriver()], [wg], { killSwitch: true, lockdown: true });
    const seen: Array<{ kind: string; state: TunnelState; route: Route }> = [];
    const { baseline: _skip, ...measuring } = stubs(host, seen);
    const result = await runMeasureAll(host, measuring);
    expect(host.stored.filter((m) => m.network === null)).toEqual([]);
    expect(result.problems.map((p) => p.message)).toEqual([expect.stringMatching(/lockdown is on/)]);
    expect(host.stored.filter((m) => m.network === 'wireguard').length).toBeGreaterThan(0);
  });
});
