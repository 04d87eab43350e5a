// The leak suite run for real inside the lab's client namespace: without a tunnel, through a hand-made
// WireGuard tunnel guarded by Burrow's own kill-switch ruleset (all pass), and every leak paired with the
// broken setup that proves the test can fail: resolver back to the ISP outside the firewall, an IPv4-only
// tunnel, a split tunnel, no kill switch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineFromVerdicts, type LeakBaseline, type LeakContext } from '../../app/leaks/index.js';
import { startLab, type Lab } from './lab.js';
import {
  applyLabKillSwitch, clearLabFirewall, labWebrtc, labWireguardContext, runLeakSuiteIn, setLabResolver, verdictOf, type RunnerOutput,
} from './leak-runner.js';
import { wgQuickUp, type WgQuickTunnel } from './wg-quick.js';

const isRoot = process.getuid?.() === 0;
const FWMARK = 51820;

describe.skipIf(!isRoot)('leak suite in the lab: no tunnel and WireGuard (needs root)', () => {
  let lab: Lab;
  let baseline: LeakBaseline | undefined;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const a = () => lab.addresses;
  const server = () => ({ leakServerUrl: lab.leakd.url, leakServerUrlV6: lab.leakd.urlV6 });
  const webrtc = () => labWebrtc(lab);
  const setResolver = (ip: string) => setLabResolver(lab, ip);
  const killSwitch = (ipv6InTunnel: boolean) => applyLabKillSwitch(lab, { ipv6InTunnel, fwmark: FWMARK });
  const clearFirewall = () => clearLabFirewall(lab);
  const wgContext = (carriesIpv6 = true): LeakContext => labWireguardContext(lab, { carriesIpv6, baseline });
  /** Runs `body` with a tunnel up; always takes tunnel, firewall and resolver back down. */
  const withTunnel = async <T>(conf: string, body: (t: WgQuickTunnel) => Promise<T>): Promise<T> => {
    const tunnel = await wgQuickUp(lab, 'client', conf);
    try {
      return await body(tunnel);
    } finally {
      await clearFirewall();
      await setResolver(a().ispResolver);
      await tunnel.down();
    }
  };
  const summary = (out: RunnerOutput) => Object.fromEntries(out.verdicts.map((v) => [v.test, v.verdict]));

  it('without a tunnel: sites see the client’s own address, DNS names the ISP resolver, WebRTC shows the own address', async () => {
    const out = await runLeakSuiteIn(lab, { suite: { ...server(), context: { network: null } }, webrtc: webrtc() });
    const exit = verdictOf(out, 'exitIp');
    expect(exit.verdict).toBe('leaked');
    expect(exit.evidence).toMatchObject({ v4: a().client, v6: a().clientV6 });
    expect(exit.summary).toContain(a().client);
    const dns = verdictOf(out, 'dns');
    expect(dns.verdict).toBe('leaked');
    expect(dns.evidence.resolvers).toEqual([expect.objectContaining({ ip: a().ispResolver })]);
    expect(dns.summary).toContain(a().ispResolver);
    expect(verdictOf(out, 'ipv6')).toMatchObject({ verdict: 'leaked', evidence: { v6: a().clientV6 } });
    expect(verdictOf(out, 'webrtc').verdict).toBe('leaked');
    expect(verdictOf(out, 'webrtc').summary).toContain(a().client);
    expect(verdictOf(out, 'outOfTunnel').verdict).toBe('not_tested');
    expect(out.verdicts.every((v) => v.network === null)).toBe(true);
    // The host keeps these; the next runs with a tunnel are judged against them.
    baseline = baselineFromVerdicts(out.verdicts);
    expect(baseline).toMatchObject({ v4: a().client, v6: a().clientV6, resolvers: [a().ispResolver] });
  });

  it('WireGuard with Burrow’s kill switch and the tunnel’s DNS: every test passes', async () => {
    const out = await withTunnel(lab.wireguard?.clientConf ?? '', async () => {
      await killSwitch(true);
      await setResolver(a().publicResolver);
      return runLeakSuiteIn(lab, { suite: { ...server(), context: wgContext() }, webrtc: webrtc() });
    });
    expect(summary(out), JSON.stringify(out.verdicts, null, 1)).toEqual({
      exitIp: 'passed',
      dns: 'passed',
      ipv6: 'passed',
      webrtc: 'passed',
      outOfTunnel: 'passed',
    });
    expect(verdictOf(out, 'exitIp').evidence).toMatchObject({ v4: a().vpn, v6: a().vpnV6 });
    expect(verdictOf(out, 'dns').evidence.resolvers).toEqual([expect.objectContaining({ ip: a().publicResolver, role: 'tunnel' })]);
    // Cross-checked with the ISP resolver's own log: it never saw the test names.
    const names = verdictOf(out, 'dns').evidence.names as string[];
    expect(lab.resolverQueries('isp').filter((q) => names.includes(q.name))).toEqual([]);
    expect(verdictOf(out, 'webrtc').summary).toContain(a().vpn);
  });

  it('anti-test: the resolver switched back to the ISP’s, outside any firewall: the DNS test names the ISP resolver, the probe finds the way around', async () => {
    const out = await withTunnel(lab.wireguard?.clientConf ?? '', async () => {
      await setResolver(a().ispResolver);
      // No physical interface given: the suite finds it from the route to the endpoint (fwmark 51820).
      return runLeakSuiteIn(lab, { suite: { ...server(), context: { ...wgContext(), physicalInterface: undefined }, tests: ['exitIp', 'dns', 'outOfTunnel'] } });
    });
    // The tunnel itself works: the exit is the VPN's...
    expect(verdictOf(out, 'exitIp').verdict).toBe('passed');
    // ...but the ISP's resolver is on a directly attached subnet, so queries to it bypass the tunnel.
    const dns = verdictOf(out, 'dns');
    expect(dns.verdict).toBe('leaked');
    expect(dns.summary).toContain(a().ispResolver);
    expect(dns.evidence.resolvers).toEqual([expect.objectContaining({ ip: a().ispResolver, role: 'yours' })]);
    const names = dns.evidence.names as string[];
    expect(new Set(lab.resolverQueries('isp').filter((q) => names.includes(q.name)).map((q) => q.from))).toEqual(new Set([a().client]));
    const probe = verdictOf(out, 'outOfTunnel');
    expect(probe.verdict).toBe('leaked');
    expect(probe.evidence.interface).toBe(lab.interfaces.client);
    expect(probe.evidence.hops).toContainEqual(expect.objectContaining({ ttl: 1, outcome: 'time-exceeded', from: a().ispLan }));
  });

  it('an IPv4-only tunnel: IPv6 leaks without the kill switch, and is blocked with it', async () => {
    const v4only = (lab.wireguard?.clientConf ?? '').replace(/^AllowedIPs = .*$/m, 'AllowedIPs = 0.0.0.0/0');
    const suite = { ...server(), context: wgContext(false), tests: ['ipv6', 'exitIp'] as const };
    const open = await withTunnel(v4only, () => runLeakSuiteIn(lab, { suite: { ...suite, tests: [...suite.tests] } }));
    expect(verdictOf(open, 'ipv6')).toMatchObject({ verdict: 'leaked', evidence: { v6: a().clientV6 } });
    // The exit-IP test sees the own IPv6 address too.
    expect(verdictOf(open, 'exitIp').verdict).toBe('leaked');
    expect(verdictOf(open, 'exitIp').summary).toContain(a().clientV6);
    const guarded = await withTunnel(v4only, async () => {
      await killSwitch(false);
      return runLeakSuiteIn(lab, { suite: { ...suite, tests: [...suite.tests] } });
    });
    expect(verdictOf(guarded, 'ipv6').verdict).toBe('passed');
    expect(verdictOf(guarded, 'exitIp')).toMatchObject({ verdict: 'passed', evidence: { v4: a().vpn } });
  });

  it('anti-test: a split tunnel that does not take the default route: sites still see the own address', async () => {
    const split = (lab.wireguard?.clientConf ?? '').replace(/^AllowedIPs = .*$/m, `AllowedIPs = ${a().vpnTunnelServer}/32`);
    const out = await withTunnel(split, () => runLeakSuiteIn(lab, { suite: { ...server(), context: wgContext(), tests: ['exitIp'] } }));
    const exit = verdictOf(out, 'exitIp');
    expect(exit.verdict).toBe('leaked');
    expect(exit.summary).toContain(a().client);
  });

  it('kill-switch probe: with the tunnel’s helper stopped, Burrow’s ruleset lets nothing out and counts it; without it, traffic escapes', async () => {
    const interrupt = { ifname: 'wg0', fwmarkTable: String(FWMARK), families: ['-4', '-6'] as ('-4' | '-6')[] };
    const held = await withTunnel(lab.wireguard?.clientConf ?? '', async () => {
      await killSwitch(true);
      return runLeakSuiteIn(lab, { suite: { ...server(), context: wgContext(), tests: ['killSwitch', 'exitIp'] }, interrupt });
    });
    const hold = verdictOf(held, 'killSwitch');
    expect(hold.verdict, hold.summary).toBe('passed');
    expect(hold.evidence).toMatchObject({ gotOut: 0 });
    expect((hold.evidence.counterDelta as Record<string, number>).blocked_out).toBeGreaterThan(0);
    // The exit-IP test ran first (the probe runs alone, last) and the tunnel came back after it.
    expect(held.order).toEqual(['exitIp', 'killSwitch']);
    expect(hold.evidence.restartError).toBeNull();

    const open = await withTunnel(lab.wireguard?.clientConf ?? '', () =>
      runLeakSuiteIn(lab, { suite: { ...server(), context: wgContext(), tests: ['killSwitch'] }, interrupt }),
    );
    const broken = verdictOf(open, 'killSwitch');
    expect(broken.verdict).toBe('leaked');
    expect(broken.evidence.seenAs).toEqual([a().client]);
  });

  it('the kill-switch probe is not run unless asked, and says why it cannot run without netd’s help', async () => {
    const out = await runLeakSuiteIn(lab, { suite: { ...server(), context: { network: 'wireguard' }, tests: ['killSwitch'] } });
    expect(verdictOf(out, 'killSwitch')).toMatchObject({ verdict: 'not_tested' });
    expect(verdictOf(out, 'killSwitch').summary).toMatch(/netd/);
    const all = await runLeakSuiteIn(lab, { suite: { ...server(), context: { network: null } } });
    expect(all.verdicts.map((v) => v.test)).not.toContain('killSwitch');
  });
});
