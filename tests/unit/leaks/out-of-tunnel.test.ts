// Out-of-tunnel probe: ping's output (taken from real runs in the lab) and the judgement.
import { describe, expect, it } from 'vitest';
import { judgeOutOfTunnel, parsePing, pingArgv, probeOutOfTunnel, type HopResult } from '../../../app/leaks/out-of-tunnel.js';

const EXCEEDED = `PING 10.200.3.2 (10.200.3.2) from 10.200.1.2 bl0f16ci: 56(84) bytes of data.
From 10.200.1.1 icmp_seq=1 Time to live exceeded

--- 10.200.3.2 ping statistics ---
1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms
`;
const REPLY = `PING 10.200.3.2 (10.200.3.2) from 10.200.1.2 bl0f16ci: 56(84) bytes of data.
64 bytes from 10.200.3.2: icmp_seq=1 ttl=62 time=0.065 ms

--- 10.200.3.2 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
`;
const SILENT = `PING 10.176.3.2 (10.176.3.2) from 10.176.1.2 bl508cci: 56(84) bytes of data.

--- 10.176.3.2 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms
`;

describe('parsePing', () => {
  it('reads a router’s time-exceeded, the endpoint’s reply and silence', () => {
    expect(parsePing(1, EXCEEDED, '')).toMatchObject({ ttl: 1, outcome: 'time-exceeded', from: '10.200.1.1' });
    expect(parsePing(3, REPLY, '')).toMatchObject({ outcome: 'reply', from: '10.200.3.2' });
    expect(parsePing(2, SILENT, '')).toMatchObject({ outcome: 'no-answer' });
  });

  it('tells the firewall refusing the packet from ping lacking the right to send', () => {
    expect(parsePing(1, '', 'ping: sendmsg: Operation not permitted')).toMatchObject({ outcome: 'blocked' });
    expect(parsePing(1, '', 'ping: socket: Operation not permitted')).toMatchObject({ outcome: 'error' });
    expect(parsePing(1, '', 'ping: SO_BINDTODEVICE eth9: No such device')).toMatchObject({ outcome: 'error' });
  });
});

const hops = (...outcomes: HopResult['outcome'][]): HopResult[] => outcomes.map((outcome, i) => ({ ttl: i + 1, outcome, detail: outcome, from: '10.0.0.1' }));
const base = { network: 'wireguard' as const, endpoint: '203.0.113.10', physicalInterface: 'eth0' };

describe('judgeOutOfTunnel', () => {
  it('passes when nothing answers at TTL 1–3…', () => {
    expect(judgeOutOfTunnel({ ...base, hops: hops('no-answer', 'no-answer', 'blocked') }).verdict).toBe('passed');
  });

  it('…and leaks on any time-exceeded, naming the router', () => {
    const j = judgeOutOfTunnel({ ...base, hops: hops('no-answer', 'time-exceeded', 'no-answer') });
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain('TTL 2');
    expect(j.summary).toContain('router 10.0.0.1');
  });

  it('an answer from the endpoint itself is a leak too', () => {
    expect(judgeOutOfTunnel({ ...base, hops: hops('reply') }).verdict).toBe('leaked');
  });

  it('not_tested when ping could not send at all, when no tunnel is up, or the endpoint is unknown', () => {
    expect(judgeOutOfTunnel({ ...base, hops: hops('error', 'error', 'error') }).verdict).toBe('not_tested');
    expect(judgeOutOfTunnel({ ...base, network: null, hops: [] }).verdict).toBe('not_tested');
    expect(judgeOutOfTunnel({ ...base, endpoint: undefined, hops: [] }).verdict).toBe('not_tested');
  });
});

describe('probeOutOfTunnel', () => {
  it('pings TTL 1, 2 and 3 out of the physical interface, and a missing ping is not_tested', async () => {
    const seen: string[][] = [];
    const j = await probeOutOfTunnel({ ...base, signal: new AbortController().signal }, (argv) => {
      seen.push(argv);
      return Promise.reject(new Error('spawn ping ENOENT'));
    });
    expect(seen).toEqual([1, 2, 3].map((ttl) => pingArgv(ttl, 'eth0', '203.0.113.10')));
    expect(seen[0]).toEqual(['-n', '-t', '1', '-I', 'eth0', '-c', '1', '-W', '1', '203.0.113.10']);
    expect(j.verdict).toBe('not_tested');
    expect(j.summary).toContain('ENOENT');
  });
});
