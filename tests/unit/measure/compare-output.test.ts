// `burrow compare` text: one line per network with the measured numbers, the findings, and the facts.
import { describe, expect, it } from 'vitest';
import { formatBps, formatComparison, formatMs, formatProgress } from '../../../app/cli/compare-output.js';
import { buildComparison } from '../../../app/measure/build-comparison.js';
import { privacyFacts } from '../../../app/measure/facts.js';

describe('compare text output', () => {
  const comparison = buildComparison(privacyFacts(), [
    { id: 1, network: 'wireguard', profileId: 'vpn', kind: 'throughput', value: 231e6, unit: 'bit/s', conditions: { method: 'http' }, measuredAt: '2026-01-01T10:00:00.000Z' },
    { id: 2, network: 'tor', profileId: 'tor', kind: 'throughput', value: 18.4e6, unit: 'bit/s', conditions: { method: 'http' }, measuredAt: '2026-01-01T10:01:00.000Z' },
    { id: 3, network: 'tor', profileId: 'tor', kind: 'rtt', value: 41.2, unit: 'ms', conditions: { p95Ms: 60 }, measuredAt: '2026-01-01T10:01:00.000Z' },
  ]);

  it('prints one row per network, "—" for what was not measured, and the findings', () => {
    const text = formatComparison(comparison, false);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Network\s+Privacy\s+Connect\s+RTT median \/ p95\s+Download\s+Bootstrap\s+Measured at$/);
    expect(lines.find((l) => l.startsWith('WireGuard VPN'))).toMatch(/231 Mbit\/s \(http\)\s+—\s+2026-01-01T10:00:00.000Z$/);
    expect(lines.find((l) => l.startsWith('Tor'))).toContain('41 ms / 60 ms');
    expect(lines.find((l) => l.startsWith('Nym mixnet'))).toMatch(/never$/);
    expect(text).toContain('Download: WireGuard VPN was fastest (231 Mbit/s), 13× faster than Tor (18.4 Mbit/s).');
    expect(text).not.toContain('Who sees your IP address');
  });

  it('--facts adds every fact with its source', () => {
    const text = formatComparison(comparison, true);
    expect(text).toContain('  Who sees your IP address: Only the entry relay (guard) or bridge');
    expect(text).toContain('<https://');
  });

  it('units and progress lines', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatBps(1.5e9)).toBe('1.50 Gbit/s');
    expect(formatProgress({ runId: 'r', step: 2, of: 3, profileId: 'tor', profileName: 'Lab Tor', network: 'tor', phase: 'rtt', percent: 40, message: 'Round trip 8 of 20' })).toBe(
      '[2/3] Lab Tor rtt 40%: Round trip 8 of 20',
    );
  });
});
