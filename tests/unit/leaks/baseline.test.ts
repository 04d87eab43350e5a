// The no-tunnel baseline the host derives from stored verdicts.
import { describe, expect, it } from 'vitest';
import type { LeakVerdict } from '../../../app/domain/index.js';
import { baselineFromVerdicts } from '../../../app/leaks/index.js';

const verdict = (over: Partial<LeakVerdict>): LeakVerdict => ({
  test: 'exitIp',
  verdict: 'leaked',
  summary: '',
  evidence: {},
  network: null,
  ranAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  ...over,
});

describe('baselineFromVerdicts', () => {
  it('takes the newest no-tunnel exit IP and DNS resolvers', () => {
    const b = baselineFromVerdicts([
      verdict({ evidence: { v4: '198.51.100.1', v6: { error: 'x' } }, ranAt: '2026-01-01T00:00:00.000Z' }),
      verdict({ evidence: { v4: '198.51.100.2', v6: '2001:db8::2' }, ranAt: '2026-01-02T00:00:00.000Z' }),
      verdict({ test: 'dns', evidence: { resolvers: [{ ip: '10.0.0.1', names: 3, role: 'yours' }] }, ranAt: '2026-01-02T00:00:01.000Z' }),
    ]);
    expect(b).toEqual({ v4: '198.51.100.2', v6: '2001:db8::2', resolvers: ['10.0.0.1'], measuredAt: '2026-01-02T00:00:01.000Z' });
  });

  it('ignores runs with a tunnel (what the VPN shows is not the person’s address)', () => {
    expect(baselineFromVerdicts([verdict({ network: 'wireguard', evidence: { v4: '203.0.113.10' } })])).toBeUndefined();
  });

  it('ignores a no-tunnel run that saw nothing', () => {
    expect(baselineFromVerdicts([verdict({ verdict: 'not_tested', evidence: { v4: { error: 'ECONNREFUSED' } } })])).toBeUndefined();
  });
});
