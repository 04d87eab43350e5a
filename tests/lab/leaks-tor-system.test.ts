// The leak suite against Burrow's system-wide Tor, as a person runs it (`burrow leaktest --json`): the exit
// the leak server sees is the lab's exit relay, DNS goes through Tor, IPv6 and WebRTC give nothing away.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeakVerdict } from '../../app/domain/index.js';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('burrow leaktest with system-wide Tor (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;

  beforeAll(async () => {
    lab = await startLab({ tor: true, vpn: false });
    burrow = await startBurrowInLab(lab, { name: 'leaks-tor' });
    const tor = lab.tor;
    if (!tor) throw new Error('the lab started without its Tor network');
    const profile = ['[tor]', 'Mode system', ...tor.dirAuthorityLines, 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67', ''].join('\n');
    const file = join(burrow.dir, 'leaks-tor.conf');
    writeFileSync(file, profile, { mode: 0o600 });
    expect((await burrow.cli(['profile', 'import', file, '--name', 'Tor system'])).code).toBe(0);
    expect((await burrow.cli(['settings', 'set', `leakServer=${lab.leakd.url}`])).code).toBe(0);
    // Set apart, to prove the IPv6 URL alone keeps the IPv4 one.
    expect((await burrow.cli(['settings', 'set', `leakServerV6=${lab.leakd.urlV6}`])).code).toBe(0);
    const { data } = await burrow.cliJson<{ leakServer: { url: string; urlV6: string } }>(['settings']);
    expect(data.leakServer).toEqual({ url: lab.leakd.url, urlV6: lab.leakd.urlV6 });
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  it('exit IP is the lab’s exit relay, DNS and IPv6 pass, WebRTC says it was not tested here', async () => {
    // A run with no tunnel first (the baseline below compares with it): the baseline that lets "not your address" be proven. It must say what
    // is true with no tunnel, or the passing run below proves nothing: sites see the client, the ISP's resolver asks.
    const base = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest', '--tests', 'exitIp,dns,ipv6'], 30_000);
    expect(base.code).toBe(0);
    const before = Object.fromEntries(base.data.verdicts.map((verdict) => [verdict.test, verdict]));
    expect(before.exitIp).toMatchObject({ verdict: 'leaked', evidence: { v4: lab.addresses.client } });
    expect(before.dns?.verdict).toBe('leaked');
    expect(before.ipv6).toMatchObject({ verdict: 'leaked', evidence: { v6: lab.addresses.clientV6 } });
    expect((before.dns?.evidence as { resolvers: Array<{ ip: string }> }).resolvers.map((resolver) => resolver.ip)).toEqual([lab.addresses.ispResolver]);
    const connected = await burrow.cliJson<{ state: string }>(['connect', 'tor-system'], 120_000);
    expect(connected.data.state).toBe('connected');
    const { code, data } = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest'], 60_000);
    expect(code).toBe(0);
    const verdicts = Object.fromEntries(data.verdicts.map((verdict) => [verdict.test, verdict]));
    expect(verdicts.exitIp).toMatchObject({ verdict: 'passed', network: 'tor' });
    // Seen as the exit relay, judged "expected"; the client's own address appears only as the baseline.
    expect(verdicts.exitIp?.evidence).toMatchObject({ v4: lab.addresses.tor.exit, roles: { [lab.addresses.tor.exit]: 'expected' }, baseline: { v4: lab.addresses.client } });
    expect(Object.values((verdicts.exitIp?.evidence as { roles: Record<string, string> }).roles)).not.toContain('own');
    expect(verdicts.dns).toMatchObject({ verdict: 'passed' });
    // The names were asked for by the exit's resolver only (the ISP's appears only as "yours", never as asking).
    const asked = (verdicts.dns?.evidence as { resolvers: Array<{ ip: string }> }).resolvers.map((resolver) => resolver.ip);
    expect(asked).toEqual([lab.addresses.publicResolver]);
    expect(verdicts.ipv6?.verdict).toBe('passed');
    // The CLI has no window to gather ICE candidates in, so the one honest answer is "not tested" and why
    // (Chromium's own gathering is tested in tests/ui/leaks.test.ts).
    expect(verdicts.webrtc).toMatchObject({ verdict: 'not_tested', summary: expect.stringMatching(/app window/) as unknown });
  });
});
