// DNS judgement: which resolvers asked the leak server for the test names, and whose they are.
import { describe, expect, it } from 'vitest';
import { judgeDns, roleOfResolver, systemResolvers, type DnsInput } from '../../../app/leaks/dns-leak.js';

const ISP = '10.7.1.1';
const TUNNEL = '10.7.53.53';
const EXIT = '10.7.4.16';

const input = (over: Partial<DnsInput> = {}): DnsInput => ({
  network: 'wireguard',
  seen: [TUNNEL, TUNNEL, TUNNEL],
  names: ['a.leak.lab', 'b.leak.lab', 'c.leak.lab'],
  failures: [],
  tunnelResolvers: [TUNNEL],
  exits: [],
  yours: [ISP],
  ...over,
});

describe('judgeDns', () => {
  it('no tunnel: the resolver that asked is named as the leak', () => {
    const j = judgeDns(input({ network: null, seen: [ISP, ISP, ISP], tunnelResolvers: [] }));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain(ISP);
    expect(j.evidence.resolvers).toEqual([{ ip: ISP, names: 3, role: 'yours' }]);
  });

  it('passes when only the tunnel’s resolver asked…', () => {
    const j = judgeDns(input());
    expect(j.verdict).toBe('passed');
    expect(j.evidence.resolvers).toEqual([{ ip: TUNNEL, names: 3, role: 'tunnel' }]);
  });

  it('…and leaks, naming the ISP resolver, when it asked for even one of the names', () => {
    const j = judgeDns(input({ seen: [TUNNEL, TUNNEL, ISP] }));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toBe(`DNS leaks: names you look up reach your own resolver ${ISP}.`);
  });

  it('with the tunnel’s resolvers known, any other resolver is a leak too (named as unexpected)', () => {
    const j = judgeDns(input({ seen: [TUNNEL, '192.0.2.53'] }));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain("192.0.2.53, which is not the tunnel's resolver");
  });

  it('the network’s exit counts as the tunnel’s (providers resolve from their exit address)', () => {
    expect(judgeDns(input({ seen: [EXIT], exits: [EXIT] })).verdict).toBe('passed');
  });

  it('Tor-like (no resolver list): passes when none of the resolvers is the person’s own…', () => {
    const j = judgeDns(input({ network: 'tor', seen: ['10.7.53.53'], tunnelResolvers: [], exits: [EXIT] }));
    expect(j.verdict).toBe('passed');
    expect(j.evidence.resolvers).toEqual([{ ip: '10.7.53.53', names: 1, role: 'unattributed' }]);
  });

  it('…and leaks when the own resolver shows up among them', () => {
    const j = judgeDns(input({ network: 'tor', seen: ['10.7.53.53', ISP], tunnelResolvers: [] }));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain(ISP);
  });

  it('Tor-like without knowing the own resolvers either: not_tested, never passed', () => {
    const j = judgeDns(input({ network: 'tor', seen: ['10.7.53.53'], tunnelResolvers: [], yours: [] }));
    expect(j.verdict).toBe('not_tested');
  });

  it('no resolver asked: not_tested, with the resolution error when there was one', () => {
    expect(judgeDns(input({ seen: [], failures: ['a.leak.lab: ENOTFOUND'] })).summary).toContain('ENOTFOUND');
    expect(judgeDns(input({ seen: [] })).verdict).toBe('not_tested');
  });

  it('a leaked query counts even when the answer never came back', () => {
    const j = judgeDns(input({ seen: [ISP], failures: ['x: timeout', 'y: timeout', 'z: timeout'] }));
    expect(j.verdict).toBe('leaked');
  });

  it('compares IPv6 resolvers in canonical form', () => {
    expect(roleOfResolver('2001:DB8:0:0::53', { tunnelResolvers: ['2001:db8::53'], exits: [], yours: [] })).toBe('tunnel');
  });
});

describe('systemResolvers', () => {
  it('keeps the configured resolvers that are not the tunnel’s, drops local stubs and ports', () => {
    expect(systemResolvers(['10.7.53.53'], ['10.7.1.1', '10.7.53.53', '127.0.0.53', '[2001:db8::1]:53', '192.0.2.1:5353'])).toEqual([
      '10.7.1.1',
      '2001:db8::1',
      '192.0.2.1',
    ]);
  });
});
