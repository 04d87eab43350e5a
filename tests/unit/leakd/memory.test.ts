import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../app/leakd/rate-limit.js';
import { ResolverLog } from '../../../app/leakd/resolver-log.js';
import { rateKey, normaliseIp, parseHostPort } from '../../../app/leakd/ip.js';

describe('resolver log', () => {
  it('records each resolver once per name with a query count', () => {
    const log = new ResolverLog({ ttlMs: 1000, maxNames: 10, maxResolversPerName: 4 });
    log.record('A.leak.lab', '10.0.1.1');
    log.record('a.leak.lab', '10.0.1.1');
    log.record('a.leak.lab', 'fd00::1');
    expect(log.lookup('a.leak.lab').map((r) => [r.ip, r.family, r.queries])).toEqual([
      ['10.0.1.1', 'IPv4', 2],
      ['fd00::1', 'IPv6', 1],
    ]);
  });

  it('forgets names after their time to live', () => {
    let now = 0;
    const log = new ResolverLog({ ttlMs: 1000, maxNames: 10, maxResolversPerName: 4, now: () => now });
    log.record('old.leak.lab', '10.0.1.1');
    now = 600;
    log.record('new.leak.lab', '10.0.1.1');
    now = 1001;
    expect(log.lookup('old.leak.lab')).toEqual([]);
    expect(log.lookup('new.leak.lab')).toHaveLength(1);
    expect(log.size).toBe(1);
  });

  it('keeps at most maxNames names and maxResolversPerName resolvers', () => {
    const log = new ResolverLog({ ttlMs: 60_000, maxNames: 100, maxResolversPerName: 3 });
    for (let i = 0; i < 10_000; i += 1) log.record(`n${i}.leak.lab`, '10.0.0.1');
    expect(log.size).toBe(100);
    expect(log.lookup('n0.leak.lab')).toEqual([]);
    expect(log.lookup('n9999.leak.lab')).toHaveLength(1);
    for (let i = 0; i < 10; i += 1) log.record('busy.leak.lab', `10.0.0.${i}`);
    expect(log.lookup('busy.leak.lab')).toHaveLength(3);
  });
});

describe('rate limiter', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 10, burst: 5, maxKeys: 10, now: () => now });
    const first = Array.from({ length: 8 }, () => limiter.allow('a'));
    expect(first.filter(Boolean)).toHaveLength(5);
    expect(limiter.allow('b')).toBe(true); // budgets are per caller
    now = 300; // 3 tokens back
    expect(Array.from({ length: 5 }, () => limiter.allow('a')).filter(Boolean)).toHaveLength(3);
  });

  it('remembers a bounded number of callers', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, maxKeys: 50 });
    for (let i = 0; i < 10_000; i += 1) limiter.allow(`k${i}`);
    expect(limiter.size).toBe(50);
  });

  it('counts an IPv6 caller by its /64 and an IPv4 caller by its address', () => {
    expect(rateKey('fd00:1:2:3::1')).toBe(rateKey('fd00:1:2:3:ffff::9'));
    expect(rateKey('fd00:1:2:3::1')).not.toBe(rateKey('fd00:1:2:4::1'));
    expect(rateKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
  });
});

describe('addresses', () => {
  it('normalises mapped and differently spelled addresses', () => {
    expect(normaliseIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(normaliseIp('FD00:0:0::0001')).toBe('fd00::1');
    expect(normaliseIp('fe80::1%eth0')).toBe('fe80::1');
  });

  it('parses listen addresses and rejects host names', () => {
    expect(parseHostPort('10.0.80.80:80')).toEqual({ host: '10.0.80.80', port: 80 });
    expect(parseHostPort('[fd00::1]:53')).toEqual({ host: 'fd00::1', port: 53 });
    expect(() => parseHostPort('example.com:80')).toThrow();
    expect(() => parseHostPort('fd00::1:53')).toThrow();
    expect(() => parseHostPort('10.0.0.1:99999')).toThrow();
  });
});
