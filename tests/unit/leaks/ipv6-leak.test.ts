// IPv6 judgement: an IPv4-only tunnel must make IPv6 fail; an IPv6 tunnel must not show the own address.
import { describe, expect, it } from 'vitest';
import { judgeIpv6, type Ipv6Input } from '../../../app/leaks/ipv6-leak.js';

const OWN6 = '2001:db8:1::7';
const input = (over: Partial<Ipv6Input> = {}): Ipv6Input => ({
  network: 'wireguard',
  v6: { error: 'connect ENETUNREACH' },
  tunnelCarriesIpv6: false,
  machineHasIpv6: true,
  ownV6: [OWN6],
  expectedV6: [],
  ...over,
});

describe('judgeIpv6', () => {
  it('IPv4-only tunnel: an IPv6 request that fails passes…', () => {
    const j = judgeIpv6(input());
    expect(j.verdict).toBe('passed');
    expect(j.summary).toMatch(/blocked while the tunnel carries only IPv4/);
  });

  it('…and one that succeeds is a leak, whatever address it shows', () => {
    const j = judgeIpv6(input({ v6: { ip: '2001:db8:99::1' } }));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain('2001:db8:99::1');
  });

  it('IPv6 tunnel: arriving from the exit passes…', () => {
    expect(judgeIpv6(input({ tunnelCarriesIpv6: true, v6: { ip: '2001:db8:ff::10' }, expectedV6: ['2001:db8:ff::10'] })).verdict).toBe('passed');
  });

  it('…and arriving from the machine’s own address is a leak', () => {
    const j = judgeIpv6(input({ tunnelCarriesIpv6: true, v6: { ip: OWN6 } }));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain(`your own address ${OWN6}`);
  });

  it('no IPv6 on the machine: not_tested and says why, never passed', () => {
    const j = judgeIpv6(input({ machineHasIpv6: false }));
    expect(j.verdict).toBe('not_tested');
    expect(j.summary).toMatch(/no IPv6 address/);
  });

  it('no IPv6 URL for the leak server: not_tested with the reason', () => {
    expect(judgeIpv6(input({ v6: { skipped: 'the leak server has no IPv6 address' } }))).toMatchObject({ verdict: 'not_tested' });
  });

  it('no tunnel: a working IPv6 shows the own address (leaked); a failing one cannot be judged', () => {
    expect(judgeIpv6(input({ network: null, v6: { ip: OWN6 } })).verdict).toBe('leaked');
    expect(judgeIpv6(input({ network: null })).verdict).toBe('not_tested');
  });
});
