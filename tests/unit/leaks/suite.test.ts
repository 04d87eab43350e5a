// runLeakSuite: which tests run, deadlines, cancellation, stamping, order; against the real leakd on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leakd } from '../../../app/leakd/server.js';
import { leakServerProblem, parseRouteGet, runLeakSuite, type SuiteDeps } from '../../../app/leaks/index.js';
import type { RunPing } from '../../../app/leaks/out-of-tunnel.js';
import { loopbackLeakd } from './loopback.js';

const NOW = new Date('2026-01-02T03:04:05.000Z');
const noInterfaces: SuiteDeps['local'] = () => ({ v4: ['192.0.2.5'], v6: [], hasIpv6: false });
// The system resolver would send the test names to this machine's real DNS: never in a unit test.
const asked: string[] = [];
const resolve: SuiteDeps['resolve'] = (name) => {
  asked.push(name);
  return Promise.resolve();
};
const hangingPing: RunPing = (_argv, signal) =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));

describe('runLeakSuite', () => {
  let server: { leakd: Leakd; url: string };
  beforeAll(async () => {
    server = await loopbackLeakd();
  });
  afterAll(async () => {
    await server?.leakd.close();
  });

  it('runs every test but the kill-switch probe by default, in the documented order, stamped', async () => {
    const arrived: string[] = [];
    const verdicts = await runLeakSuite(
      { leakServerUrl: server.url, context: { network: null }, now: () => NOW, onVerdict: (v) => arrived.push(v.test) },
      { local: noInterfaces, resolve },
    );
    expect(verdicts.map((v) => v.test)).toEqual(['exitIp', 'dns', 'ipv6', 'webrtc', 'outOfTunnel']);
    expect([...arrived].sort()).toEqual([...verdicts.map((v) => v.test)].sort());
    for (const v of verdicts) {
      expect(v).toMatchObject({ network: null, ranAt: NOW.toISOString() });
      expect(v.durationMs).toBeGreaterThanOrEqual(0);
    }
    const exit = verdicts[0];
    expect(exit).toMatchObject({ test: 'exitIp', verdict: 'leaked', evidence: { v4: '127.0.0.1' } });
    // No IPv6 URL for an IPv4-literal server: said so, not passed.
    expect(verdicts.find((v) => v.test === 'ipv6')?.verdict).toBe('not_tested');
    // Three fresh names from the leak server went to the resolver; nobody asked leakd (it has no DNS here).
    expect(asked.filter((n) => n.endsWith('.leak.test'))).toHaveLength(3);
    expect(verdicts.find((v) => v.test === 'dns')).toMatchObject({ verdict: 'not_tested', evidence: { namesTried: 3 } });
  });

  it('a test past its deadline is not_tested and says so; the others are unaffected', async () => {
    const verdicts = await runLeakSuite(
      {
        leakServerUrl: server.url,
        context: { network: 'wireguard', tunnelEndpoint: '192.0.2.1', physicalInterface: 'eth0' },
        tests: ['outOfTunnel', 'exitIp'],
        deadlines: { outOfTunnel: 150 },
      },
      { local: noInterfaces, runPing: hangingPing, resolve },
    );
    expect(verdicts.map((v) => v.test)).toEqual(['outOfTunnel', 'exitIp']);
    expect(verdicts[0]).toMatchObject({ verdict: 'not_tested', summary: 'Did not finish within 0.2 s, so it says nothing either way.' });
    expect(verdicts[1]?.evidence).toMatchObject({ v4: '127.0.0.1' });
  });

  it('cancelled: every requested test still gets a verdict, not_tested', async () => {
    const controller = new AbortController();
    const running = runLeakSuite(
      { leakServerUrl: server.url, context: { network: 'wireguard', tunnelEndpoint: '192.0.2.1', physicalInterface: 'eth0' }, tests: ['outOfTunnel'], signal: controller.signal },
      { local: noInterfaces, runPing: hangingPing, resolve },
    );
    setTimeout(() => controller.abort(), 50);
    expect(await running).toEqual([expect.objectContaining({ test: 'outOfTunnel', verdict: 'not_tested', summary: 'Cancelled before it finished.' })]);
  });

  it('an unreachable leak server makes the network tests not_tested, never passed', async () => {
    const closed = await loopbackLeakd();
    await closed.leakd.close();
    const verdicts = await runLeakSuite({ leakServerUrl: closed.url, context: { network: 'wireguard' }, tests: ['exitIp', 'dns'] }, { local: noInterfaces, resolve });
    expect(verdicts.map((v) => v.verdict)).toEqual(['not_tested', 'not_tested']);
    expect(verdicts[1]?.summary).toMatch(/^Could not run: .*ECONNREFUSED/);
  });

  it('the kill-switch probe runs only when asked, alone and last', async () => {
    const order: string[] = [];
    const verdicts = await runLeakSuite(
      { leakServerUrl: server.url, context: { network: null, webrtcCandidates: [] }, tests: ['killSwitch', 'webrtc'], onVerdict: (v) => order.push(v.test) },
      { local: noInterfaces, resolve },
    );
    expect(order).toEqual(['webrtc', 'killSwitch']);
    expect(verdicts.map((v) => v.test)).toEqual(['killSwitch', 'webrtc']);
  });

  it('judges the WebRTC candidates the host passes in, against the machine’s own addresses', async () => {
    const [v] = await runLeakSuite(
      {
        leakServerUrl: server.url,
        context: { network: 'wireguard', webrtcCandidates: ['candidate:1 1 udp 1 192.0.2.5 5000 typ srflx raddr 0.0.0.0 rport 0'] },
        tests: ['webrtc'],
      },
      { local: noInterfaces, resolve },
    );
    expect(v).toMatchObject({ test: 'webrtc', verdict: 'leaked', network: 'wireguard' });
  });
});

describe('the leak server setting', () => {
  it('unset or not http(s): the tests that need it say so, the others still run', async () => {
    const verdicts = await runLeakSuite(
      { leakServerUrl: '', context: { network: null, webrtcCandidates: [] }, tests: ['exitIp', 'dns', 'ipv6', 'webrtc'] },
      { local: noInterfaces, resolve },
    );
    // WebRTC's candidates come from the leak server's STUN: with none gathered there is nothing to judge.
    expect(verdicts.map((v) => v.verdict)).toEqual(['not_tested', 'not_tested', 'not_tested', 'not_tested']);
    expect(verdicts[0]?.summary).toBe(leakServerProblem(''));
    expect(verdicts[3]?.summary).toMatch(/^WebRTC could not be judged: the window gathered no ICE candidate at all/);
    expect(leakServerProblem('ftp://x')).toMatch(/not an http\(s\) URL/);
    expect(leakServerProblem('https://leak.example.org')).toBeUndefined();
  });

  it('finds the physical interface from the route to the endpoint when the host does not say', async () => {
    const argvs: string[][] = [];
    const [v] = await runLeakSuite(
      { leakServerUrl: 'http://127.0.0.1:9', context: { network: 'wireguard', tunnelEndpoint: '192.0.2.1' }, tests: ['outOfTunnel'] },
      {
        local: noInterfaces,
        findInterface: (endpoint) => Promise.resolve(endpoint === '192.0.2.1' ? 'eth7' : undefined),
        runPing: (argv) => {
          argvs.push(argv);
          return Promise.resolve({ stdout: '1 packets transmitted, 0 received, 100% packet loss', stderr: '' });
        },
      },
    );
    expect(v).toMatchObject({ verdict: 'passed', evidence: { interface: 'eth7' } });
    expect(argvs.every((a) => a.includes('eth7'))).toBe(true);
  });
});

describe('parseRouteGet', () => {
  it('reads the device of `ip -j route get`', () => {
    expect(parseRouteGet('[{"dst":"10.9.3.2","gateway":"10.9.1.1","dev":"blabci","prefsrc":"10.9.1.2","flags":[],"uid":0,"cache":[]}]')).toBe('blabci');
    expect(parseRouteGet('')).toBeUndefined();
    expect(parseRouteGet('[]')).toBeUndefined();
  });
});
