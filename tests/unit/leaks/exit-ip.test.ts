// Exit IP judgement: each way to pass is paired with the case that proves the same check can fail.
import { describe, expect, it } from 'vitest';
import { ipv4Target, ipv6Target, judgeExitIp, type ExitIpInput } from '../../../app/leaks/exit-ip.js';

const OWN4 = '198.51.100.7';
const OWN6 = '2001:db8:1::7';
const VPN4 = '203.0.113.10';
const VPN6 = '2001:db8:ff::10';

const tunnel = (over: Partial<ExitIpInput> = {}): ExitIpInput => ({
  network: 'wireguard',
  v4: { ip: VPN4 },
  v6: { ip: VPN6 },
  expected: { addresses: [VPN4, VPN6], label: 'the VPN server' },
  baseline: { v4: OWN4, v6: OWN6 },
  own: ['192.168.1.20', 'fe80::1'],
  ...over,
});

describe('judgeExitIp', () => {
  it('no tunnel: the own address is visible, which is reported as leaked with the address', () => {
    const j = judgeExitIp({ network: null, v4: { ip: OWN4 }, v6: { error: 'ENETUNREACH' }, own: [] });
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toBe(`No tunnel is up: sites see your own address, ${OWN4}.`);
    expect(j.evidence).toMatchObject({ v4: OWN4, v6: { error: 'ENETUNREACH' } });
  });

  it('passes when both families arrive from the expected exit…', () => {
    const j = judgeExitIp(tunnel());
    expect(j.verdict).toBe('passed');
    expect(j.summary).toContain(VPN4);
    expect(j.evidence.roles).toEqual({ [VPN4]: 'expected', [VPN6]: 'expected' });
  });

  it('…and leaks when IPv4 still arrives from the baseline address', () => {
    const j = judgeExitIp(tunnel({ v4: { ip: OWN4 } }));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain(`your own address ${OWN4}`);
  });

  it('leaks when only IPv6 gets around the tunnel (IPv4 fine)', () => {
    const j = judgeExitIp(tunnel({ v6: { ip: OWN6.toUpperCase().replace('::', ':0:0:0:0:') } }));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain(OWN6);
  });

  it('leaks when the address seen is on one of the machine’s own interfaces, even with no baseline', () => {
    const j = judgeExitIp(tunnel({ baseline: undefined, v4: { ip: '192.168.1.20' } }));
    expect(j.verdict).toBe('leaked');
  });

  it('passes with an address that is not the announced exit but provably not the own one', () => {
    const j = judgeExitIp(tunnel({ v4: { ip: '203.0.113.99' }, v6: { error: 'timeout' } }));
    expect(j.verdict).toBe('passed');
    expect(j.summary).toContain('not the exit');
  });

  it('is not_tested (never passed) for an address it cannot compare with anything', () => {
    const j = judgeExitIp(tunnel({ baseline: undefined, expected: undefined, v6: { error: 'x' } }));
    expect(j.verdict).toBe('not_tested');
    expect(j.summary).toMatch(/no record of your own address/);
  });

  it('passes on the first run, with no baseline, when IPv4 arrives from the profile endpoint and IPv6 from elsewhere', () => {
    const j = judgeExitIp(tunnel({ baseline: undefined, expected: { addresses: [VPN4], label: 'the VPN server' } }));
    expect(j.verdict).toBe('passed');
    expect(j.summary).toContain(VPN4);
    expect(j.summary).toContain(VPN6);
    expect(j.evidence.roles).toEqual({ [VPN4]: 'expected', [VPN6]: 'unknown' });
  });

  it('still leaks with no baseline when the other family arrives from an own interface address', () => {
    const j = judgeExitIp(tunnel({ baseline: undefined, expected: { addresses: [VPN4], label: 'the VPN server' }, v6: { ip: 'fe80::1' } }));
    expect(j.verdict).toBe('leaked');
  });

  it('is not_tested when the leak server cannot be reached at all', () => {
    const j = judgeExitIp(tunnel({ v4: { error: 'ECONNREFUSED' }, v6: { skipped: 'no IPv6 URL' } }));
    expect(j.verdict).toBe('not_tested');
    expect(j.summary).toContain('ECONNREFUSED');
  });

  it('treats an IPv4-mapped IPv6 report as the IPv4 address', () => {
    expect(judgeExitIp(tunnel({ v4: { ip: `::ffff:${OWN4}` } })).verdict).toBe('leaked');
  });
});

describe('which URL each family asks', () => {
  it('an IPv4-literal server cannot be asked over IPv6 unless an IPv6 URL is given', () => {
    expect(ipv6Target('http://10.1.80.80')).toMatchObject({ skipped: /IPv4 address only/ });
    expect(ipv6Target('http://10.1.80.80', 'http://[fd00::80]')).toEqual({ url: 'http://[fd00::80]' });
    expect(ipv4Target('http://10.1.80.80')).toEqual({ url: 'http://10.1.80.80' });
  });

  it('a host name is asked once per family, forced', () => {
    expect(ipv6Target('https://leak.example.org')).toEqual({ url: 'https://leak.example.org', family: 6 });
    expect(ipv4Target('https://leak.example.org')).toEqual({ url: 'https://leak.example.org', family: 4 });
    expect(ipv4Target('http://[fd00::80]:8080')).toMatchObject({ skipped: /IPv6 address only/ });
  });
});

describe('probeExitIp with one family hanging', () => {
  it('judges on the family that answered when the other never does (a Tor exit that cannot reach IPv6)', async () => {
    const { createServer } = await import('node:net');
    const { DEFAULT_CONFIG, startLeakd } = await import('../../../app/leakd/server.js');
    const { probeExitIp } = await import('../../../app/leaks/exit-ip.js');
    const leakd = await startLeakd({ ...DEFAULT_CONFIG, http: [{ host: '127.0.0.1', port: 0 }], dns: [], stun: [] });
    // Accepts and never answers: the request hangs until something gives up.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      const verdict = await probeExitIp(
        { leakServerUrl: `http://${leakd.http[0]}`, leakServerUrlV6: `http://127.0.0.1:${port}`, signal: new AbortController().signal, perFamilyTimeoutMs: 300 },
        { network: 'wireguard', expectedExit: { addresses: ['127.0.0.1'], label: 'the VPN server' } },
        [],
      );
      expect(verdict.verdict).toBe('passed');
      // The silent server never answers: that the probe returned at all, with this error, is the give-up.
      expect(verdict.evidence.v6).toEqual({ error: 'no answer within 0.3 s' });
    } finally {
      silent.close();
      await leakd.close();
    }
  });
});
