import { describe, expect, it } from 'vitest';
import { ComparisonSchema } from '../../../app/contract/index.js';
import type { LeakVerdict, Measurement } from '../../../app/domain/index.js';
import { buildComparison, latestByNetwork } from '../../../app/measure/build-comparison.js';
import { parsePrivacyFacts, privacyFacts } from '../../../app/measure/facts.js';
import shipped from '../../../resources/compare/privacy-facts.json' with { type: 'json' };

let nextId = 1;
function m(partial: Partial<Measurement> & Pick<Measurement, 'kind' | 'value' | 'measuredAt'>): Measurement {
  return {
    id: nextId++,
    network: 'wireguard',
    profileId: 'lab-vpn',
    unit: partial.kind === 'throughput' ? 'bit/s' : 'ms',
    conditions: {},
    ...partial,
  };
}

describe('privacy facts', () => {
  it('the shipped file is valid: every network, every fact, https sources, ranks on the scale', () => {
    const facts = privacyFacts();
    expect(facts.networks.map((n) => n.network)).toEqual(['none', 'wireguard', 'tor', 'nym', 'dvpn']);
    for (const network of facts.networks) {
      for (const { key } of facts.facts) expect(network.cells[key]?.text.length).toBeGreaterThan(0);
    }
    const rank = Object.fromEntries(facts.networks.map((n) => [n.network, n.privacyRank]));
    expect(rank.none).toBeLessThan(rank.wireguard ?? 0);
    expect(rank.wireguard).toBeLessThan(rank.tor ?? 0);
    expect(rank.tor).toBeLessThan(rank.nym ?? 0);
  });

  it('refuses a missing cell, a non-https source and a rank off the scale', () => {
    const broken = structuredClone(shipped) as { networks: Record<string, Record<string, unknown>> };
    delete broken.networks.tor?.hops;
    expect(() => parsePrivacyFacts(broken)).toThrow(/tor\.hops/);
    const insecure = structuredClone(shipped) as { networks: Record<string, Record<string, unknown>> };
    (insecure.networks.wireguard as Record<string, unknown>).hops = { text: '1', source: 'http://example.org/' };
    expect(() => parsePrivacyFacts(insecure)).toThrow(/wireguard\.hops/);
    const offScale = structuredClone(shipped) as { networks: Record<string, Record<string, unknown>> };
    (offScale.networks.nym as Record<string, unknown>).privacyRank = 9;
    expect(() => parsePrivacyFacts(offScale)).toThrow(/not on the scale/);
  });
});

describe('buildComparison', () => {
  const facts = privacyFacts();

  it('with nothing measured: every row, facts with sources, and null numbers (never zero)', () => {
    const comparison = ComparisonSchema.parse(buildComparison(facts, []));
    expect(comparison.rows.map((r) => r.network)).toEqual(['none', 'wireguard', 'tor', 'nym', 'dvpn']);
    const tor = comparison.rows.find((r) => r.network === 'tor');
    expect(tor?.facts.hops?.text).toBe('3 (onion services: 6)');
    expect(tor?.facts.ipVisibleTo?.source).toMatch(/^https:\/\//);
    for (const row of comparison.rows) {
      expect(Object.values(row.measured).every((v) => v === null)).toBe(true);
      expect(row.leaks).toBeNull();
    }
    expect(comparison.factLabels?.[0]).toEqual({ key: 'ipVisibleTo', label: 'Who sees your IP address' });
    expect(comparison.findings).toEqual([]);
  });

  it('takes the latest measurement of each kind per network, p95 from the RTT’s conditions', () => {
    const measurements = [
      m({ kind: 'rtt', value: 9, measuredAt: '2026-01-01T10:00:00.000Z', conditions: { p95Ms: 12 } }),
      m({ kind: 'rtt', value: 3, measuredAt: '2026-01-01T11:00:00.000Z', conditions: { p95Ms: 4.5, profileName: 'Lab VPN' } }),
      m({ kind: 'throughput', value: 200e6, measuredAt: '2026-01-01T11:00:01.000Z', conditions: { method: 'http' } }),
      m({ kind: 'connectTime', value: 350, measuredAt: '2026-01-01T10:59:59.000Z' }),
      m({ network: 'tor', profileId: 'lab-tor', kind: 'throughput', value: 20e6, measuredAt: '2026-01-01T11:01:00.000Z', conditions: { method: 'http' } }),
      m({ network: 'tor', profileId: 'lab-tor', kind: 'bootstrapTime', value: 2800, measuredAt: '2026-01-01T11:00:30.000Z' }),
      m({ network: 'tor', profileId: 'lab-tor', kind: 'rtt', value: 40, measuredAt: '2026-01-01T11:00:40.000Z', conditions: { p95Ms: 55 } }),
      m({ network: null, profileId: null, kind: 'rtt', value: 0.4, measuredAt: '2026-01-01T09:00:00.000Z', conditions: { p95Ms: 0.6 } }),
    ];
    // Order of the input must not matter.
    const comparison = ComparisonSchema.parse(buildComparison(facts, [...measurements].reverse()));
    const row = (network: string) => comparison.rows.find((r) => r.network === network)?.measured;
    expect(row('wireguard')).toEqual({
      connectTimeMs: 350,
      rttMedianMs: 3,
      rttP95Ms: 4.5,
      throughputBps: 200e6,
      bootstrapTimeMs: null,
      measuredAt: '2026-01-01T11:00:01.000Z',
      throughputMethod: 'http',
      profileName: null,
    });
    expect(row('tor')).toMatchObject({ throughputBps: 20e6, bootstrapTimeMs: 2800, rttMedianMs: 40, rttP95Ms: 55, connectTimeMs: null });
    expect(row('none')).toMatchObject({ rttMedianMs: 0.4, rttP95Ms: 0.6 });
    expect(row('nym')?.measuredAt).toBeNull();
    expect(comparison.findings?.[0]).toBe('Download: WireGuard VPN was fastest (200 Mbit/s), 10× faster than Tor (20.0 Mbit/s).');
    expect(comparison.findings?.[1]).toBe('Round trip: No tunnel had the shortest (median 0.4 ms), Tor the longest (median 40 ms).');
  });

  it('a tie on time goes to the later row; different throughput methods are flagged', () => {
    const at = '2026-01-01T12:00:00.000Z';
    const latest = latestByNetwork([m({ kind: 'rtt', value: 1, measuredAt: at }), m({ kind: 'rtt', value: 2, measuredAt: at })]);
    expect(latest.get('wireguard')?.rtt?.value).toBe(2);
    const mixed = buildComparison(facts, [
      m({ kind: 'throughput', value: 100e6, measuredAt: at, conditions: { method: 'iperf3' } }),
      m({ network: 'tor', kind: 'throughput', value: 10e6, measuredAt: at, conditions: { method: 'http' } }),
    ]);
    expect(mixed.findings?.[0]).toContain('different methods');
  });

  it('counts the latest leak verdict of each test per network', () => {
    const verdict = (test: LeakVerdict['test'], result: LeakVerdict['verdict'], ranAt: string): LeakVerdict => ({
      test,
      verdict: result,
      summary: '',
      evidence: {},
      network: 'wireguard',
      ranAt,
      durationMs: 1,
    });
    const comparison = buildComparison(facts, [], [
      verdict('dns', 'leaked', '2026-01-01T10:00:00.000Z'),
      verdict('dns', 'passed', '2026-01-01T11:00:00.000Z'),
      verdict('exitIp', 'passed', '2026-01-01T11:00:00.000Z'),
      verdict('webrtc', 'not_tested', '2026-01-01T11:00:02.000Z'),
    ]);
    expect(comparison.rows.find((r) => r.network === 'wireguard')?.leaks).toEqual({ passed: 2, leaked: 0, notTested: 1, ranAt: '2026-01-01T11:00:02.000Z' });
  });
});
