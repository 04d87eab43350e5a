// The leak suite as a person runs it: `burrow leaktest --json` against Burrow's own host and netd in the
// lab, first with no tunnel (the leaks must be found and named), then through Burrow's WireGuard tunnel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeakVerdict } from '../../app/domain/index.js';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';

const isRoot = process.getuid?.() === 0;

function byTest(verdicts: LeakVerdict[]): Record<string, LeakVerdict> {
  return Object.fromEntries(verdicts.map((verdict) => [verdict.test, verdict]));
}

describe.skipIf(!isRoot)('burrow leaktest in the lab (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab);
    expect((await burrow.cli(['settings', 'set', `leakServer=${lab.leakd.url}`])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'Lab VPN'])).code).toBe(0);
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  it('with no tunnel, sees the client’s own address and names the ISP resolver as a DNS leak', async () => {
    const { code, data } = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest'], 30_000);
    expect(code).toBe(0);
    const verdicts = byTest(data.verdicts);
    expect(verdicts.exitIp).toMatchObject({ verdict: 'leaked', network: null });
    expect(JSON.stringify(verdicts.exitIp?.evidence)).toContain(lab.addresses.client);
    expect(verdicts.dns?.verdict).toBe('leaked');
    expect(JSON.stringify(verdicts.dns?.evidence)).toContain(lab.addresses.ispResolver);
    // The kill-switch probe interrupts the tunnel: it never runs unless asked for.
    expect(verdicts.killSwitch).toBeUndefined();
  });

  it('through Burrow’s WireGuard tunnel, the exit is the VPN server and DNS stays in the tunnel', async () => {
    const connected = await burrow.cliJson<{ state: string }>(['connect', 'lab-vpn'], 60_000);
    expect(connected.data.state).toBe('connected');
    const { code, data } = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest'], 30_000);
    expect(code).toBe(0);
    const verdicts = byTest(data.verdicts);
    expect(verdicts.exitIp).toMatchObject({ verdict: 'passed', network: 'wireguard' });
    expect(JSON.stringify(verdicts.exitIp?.evidence)).toContain(lab.addresses.vpn);
    expect(verdicts.dns).toMatchObject({ verdict: 'passed' });
    // Only the tunnel's resolver asked for the test names (the ISP's is listed as "yours", never as asking).
    const dnsEvidence = verdicts.dns?.evidence as { resolvers: Array<{ ip: string; role: string }> };
    expect(dnsEvidence.resolvers).toEqual([expect.objectContaining({ ip: lab.addresses.publicResolver, role: 'tunnel' })]);
    expect(verdicts.outOfTunnel?.verdict).toBe('passed');
    // Stored: the history shows both runs.
    const history = await burrow.cliJson<{ leaks: LeakVerdict[] }>(['history', '--limit', '50']);
    expect(history.data.leaks.filter((verdict) => verdict.test === 'dns').map((verdict) => verdict.verdict)).toEqual(['passed', 'leaked']);
  });
});
