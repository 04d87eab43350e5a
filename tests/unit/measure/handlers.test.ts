// createMeasureHandlers: the comparison from stored records, one run at a time, cancel, a clear refusal
// without a leak server, and progress pushed as events that match the contract.
import { describe, expect, it } from 'vitest';
import { ComparisonSchema, events, MeasureAllResultSchema } from '../../../app/contract/index.js';
import { DEFAULT_SETTINGS, type LeakVerdict, type Measurement, type Settings, type TunnelState } from '../../../app/domain/index.js';
import { createMeasureHandlers, type MeasureHandlerDeps } from '../../../app/measure/handlers.js';
import { routeForState } from '../../../app/measure/route.js';
import { preciseNow, type Route } from '../../../app/measure/types.js';
import { delay, profile, ScriptedDriver, scriptedHost } from './scripted-host.js';

function deps(settings: Settings, rttMs = 5) {
  const host = scriptedHost([new ScriptedDriver('wireguard', () => Promise.resolve({ interface: 'burrow0' }))], [profile('wg', 'wireguard')]);
  const stored: Measurement[] = [];
  const emitted: Array<{ event: string; payload: unknown }> = [];
  const d: MeasureHandlerDeps = {
    ...host,
    results: {
      addMeasurement: (m) => {
        stored.push({ ...m, id: stored.length + 1 });
        return stored.length;
      },
      measurements: () => [...stored].reverse(),
      leaks: (): LeakVerdict[] => [],
    },
    settings: () => settings,
    emit: (event, payload) => emitted.push({ event, payload }),
    log: () => undefined,
    overrides: {
      rtt: async (o: { route: Route; signal?: AbortSignal }) => {
        await delay(rttMs, o.signal);
        return { medianMs: 5, p95Ms: 6, minMs: 4, maxMs: 7, meanMs: 5, samplesMs: [4, 5, 6, 7], failures: 0, warmupFailures: 0, target: 't', route: o.route, startedAt: new Date().toISOString(), durationMs: 1 };
      },
      throughput: (o: { route: Route }) => Promise.resolve({ bitsPerSecond: 5e7, method: 'http' as const, target: 't', route: o.route, bytes: 1, seconds: 1, startedAt: new Date().toISOString(), extra: {} }),
      firstByte: (url: string) => Promise.resolve({ sentAt: preciseNow(), firstByteAt: preciseNow() + 3, target: url, route: 'system' }),
    },
  };
  return { d, stored, emitted, host };
}

const withServer: Settings = { ...DEFAULT_SETTINGS, leakServer: { url: 'http://10.9.80.80' } };

describe('createMeasureHandlers', () => {
  it('measureAll stores, answers a contract-valid result, pushes valid progress, and getComparison shows the numbers', async () => {
    const { d, stored, emitted } = deps(withServer);
    const handlers = createMeasureHandlers(d);
    const before = ComparisonSchema.parse(await handlers.getComparison({}));
    expect(before.rows.find((r) => r.network === 'wireguard')?.measured.rttMedianMs).toBeNull();
    const result = MeasureAllResultSchema.parse(await handlers.measureAll({}));
    // "No tunnel" first (the baseline column), then the profile.
    expect(result.measurements.map((m) => `${m.network ?? 'none'}:${m.kind}`)).toEqual(['none:rtt', 'none:throughput', 'wireguard:connectTime', 'wireguard:rtt', 'wireguard:throughput']);
    expect(stored).toHaveLength(5);
    expect(emitted.length).toBeGreaterThan(3);
    for (const { event, payload } of emitted) {
      expect(event).toBe('measureProgress');
      expect(events.measureProgress.safeParse(payload).success).toBe(true);
    }
    const after = ComparisonSchema.parse(await handlers.getComparison({}));
    expect(after.rows.find((r) => r.network === 'wireguard')?.measured).toMatchObject({ rttMedianMs: 5, rttP95Ms: 6, throughputBps: 5e7 });
    expect(after.rows.find((r) => r.network === 'none')?.measured).toMatchObject({ rttMedianMs: 5, throughputBps: 5e7 });
  });

  it('one run at a time; cancel answers whether something was running', async () => {
    const { d } = deps(withServer, 2000);
    const handlers = createMeasureHandlers(d);
    expect(await handlers.cancelMeasurement({})).toEqual({ cancelled: false });
    // The run is marked as running before measureAll first awaits: no pause is needed for the second to meet it.
    const first = handlers.measureAll({});
    await expect(handlers.measureAll({})).rejects.toMatchObject({ code: 'conflict' });
    expect(await handlers.cancelMeasurement({})).toEqual({ cancelled: true });
    const result = await first;
    expect(result.cancelled).toBe(true);
    expect(result.returnedTo.state).toBe('disconnected');
  });

  it('without a leak server it says what to set; a bad iperf3 target is refused', async () => {
    await expect(createMeasureHandlers(deps(DEFAULT_SETTINGS).d).measureAll({})).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('leakServer=URL') as string });
    await expect(createMeasureHandlers(deps({ ...DEFAULT_SETTINGS, leakServer: { url: 'ftp://x' } }).d).measureAll({})).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(createMeasureHandlers(deps(withServer).d).measureAll({ iperf3: 'a:b:c' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(createMeasureHandlers(deps(withServer).d).measureAll({ method: 'iperf3' })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('routeForState', () => {
  const target = { profileId: 't', profileName: 'T', network: 'tor' as const };
  const connected = (extra: Record<string, string>, network: 'tor' | 'wireguard' = 'tor'): TunnelState => ({
    state: 'connected',
    target: { ...target, network },
    since: '2026-01-01T00:00:00.000Z',
    details: { extra },
  });

  it('system-wide networks use the host’s sockets; proxy-mode Tor its SOCKS port; not connected is refused', () => {
    expect(routeForState(connected({}, 'wireguard'))).toEqual({ kind: 'system' });
    expect(routeForState(connected({ Mode: 'System-wide: every program goes through Tor', 'SOCKS proxy': '127.0.0.1:9050' }))).toEqual({ kind: 'system' });
    expect(routeForState(connected({ Mode: 'Proxy: only programs set to use the SOCKS proxy go through Tor', 'SOCKS proxy': '127.0.0.1:9150' }))).toEqual({
      kind: 'socks5',
      proxy: { host: '127.0.0.1', port: 9150 },
    });
    expect(routeForState(connected({ 'SOCKS proxy': '[::1]:9150' }))).toEqual({ kind: 'socks5', proxy: { host: '::1', port: 9150 } });
    expect(() => routeForState(connected({ Mode: 'Proxy' }))).toThrow(/SOCKS address is unknown/);
    expect(() => routeForState({ state: 'disconnected', lockedDown: false })).toThrow(/connected tunnel/);
  });
});
