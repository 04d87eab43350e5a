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

  it('exit IP is the lab’s exit relay, DNS passes, IPv6 and WebRTC pass', async () => {
    const connected = await burrow.cliJson<{ state: string }>(['connect', 'tor-system'], 120_000);
    expect(connected.data.state).toBe('connected');
    // No app window here to gather ICE candidates: WebRTC must not claim a leak it could not see.
    const { code, data } = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest'], 60_000);
    expect(code).toBe(0);
    const verdicts = Object.fromEntries(data.verdicts.map((verdict) => [verdict.test, verdict]));
    expect(verdicts.exitIp).toMatchObject({ verdict: 'passed', network: 'tor' });
    expect(JSON.stringify(verdicts.exitIp?.evidence)).toContain(lab.addresses.tor.exit);
    expect(JSON.stringify(verdicts.exitIp?.evidence)).not.toContain(`"${lab.addresses.client}"`);
    expect(verdicts.dns).toMatchObject({ verdict: 'passed' });
    // The names were asked for by the exit's resolver only (the ISP's appears only as "yours", never as asking).
    const asked = (verdicts.dns?.evidence as { resolvers: Array<{ ip: string }> }).resolvers.map((resolver) => resolver.ip);
    expect(asked).toEqual([lab.addresses.publicResolver]);
    expect(verdicts.ipv6?.verdict).toBe('passed');
    expect(verdicts.webrtc?.verdict).not.toBe('leaked');
  });
});
