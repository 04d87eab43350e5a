// Leak tests and Compare cover the dVPN (against the STAND-IN myst): system-wide through Burrow, the leak
// server sees the node's exit (the lab's WireGuard server host), not the client; DNS does not reach the ISP's
// resolver; and Compare stores measurements for the dVPN next to WireGuard's.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeakVerdict } from '../../app/domain/index.js';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';
import { startMystStandin, type MystStandin } from './standins/install.js';

const isRoot = process.getuid?.() === 0;

interface Row {
  network: string;
  measured: { rttMedianMs: number | null; throughputBps: number | null };
}

describe.skipIf(!isRoot)('leak tests and Compare over the dVPN, stand-in myst (needs root: network namespaces)', () => {
  let lab: Lab;
  let myst: MystStandin;
  let burrow: BurrowInLab;

  beforeAll(async () => {
    lab = await startLab({ tor: false, vpn: true });
    myst = await startMystStandin(lab);
    burrow = await startBurrowInLab(lab, { name: 'myst-compare', env: { BURROW_MYST: myst.myst } });
    const file = join(burrow.dir, 'dvpn.conf');
    writeFileSync(file, ['[dvpn]', 'Name = dvpn', 'Mode = system', 'Country = DE', `DnsServer = ${myst.dnsTcp}`, ''].join('\n'));
    expect((await burrow.cli(['profile', 'import', file])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'Lab VPN'])).code).toBe(0);
    expect((await burrow.cli(['settings', 'set', `leakServer=${lab.leakd.url}`])).code).toBe(0);
    // A run with no tunnel first: the baseline that lets "not your address" be proven. It must say what
    // is true with no tunnel, or the passing run below proves nothing: sites see the client, the ISP's resolver asks.
    const base = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest', '--tests', 'exitIp,dns'], 30_000);
    expect(base.code).toBe(0);
    const before = Object.fromEntries(base.data.verdicts.map((verdict) => [verdict.test, verdict]));
    expect(before.exitIp).toMatchObject({ verdict: 'leaked', evidence: { v4: lab.addresses.client } });
    expect(before.dns?.verdict).toBe('leaked');
    expect((before.dns?.evidence as { resolvers: Array<{ ip: string }> }).resolvers.map((resolver) => resolver.ip)).toEqual([lab.addresses.ispResolver]);
  });
  afterAll(async () => {
    await burrow?.stop();
    await myst?.stop();
    await lab?.stop();
  });

  it('leak tests through the dVPN: the exit is not the client, DNS never reaches the ISP’s resolver', async () => {
    const connected = await burrow.cliJson<{ state: string }>(['connect', 'dvpn'], 90_000);
    expect(connected.data.state).toBe('connected');
    const { code, data } = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest'], 60_000);
    expect(code).toBe(0);
    const verdicts = Object.fromEntries(data.verdicts.map((verdict) => [verdict.test, verdict]));
    expect(verdicts.exitIp).toMatchObject({ verdict: 'passed', network: 'dvpn' });
    // The stand-in node leaves from the lab's WireGuard server host; the client's own address is only the baseline.
    const seen = verdicts.exitIp?.evidence as { v4: string; baseline: { v4: string } };
    expect(seen.v4).toBe(lab.addresses.vpn);
    expect(seen.baseline.v4).toBe(lab.addresses.client);
    expect(verdicts.dns?.verdict, verdicts.dns?.summary).toBe('passed');
    const asked = (verdicts.dns?.evidence as { resolvers: Array<{ ip: string }> }).resolvers.map((resolver) => resolver.ip);
    // Asked by the public resolver the node uses, and by nothing else (an empty list would prove nothing).
    expect(asked).toEqual([lab.addresses.publicResolver]);
  });

  it('Compare stores measurements for the dVPN next to WireGuard’s', async () => {
    const measured = await burrow.cliJson(['compare', '--measure', '--profiles', 'dvpn,lab-vpn', '--samples', '5', '--seconds', '2'], 240_000);
    expect(measured.code).toBe(0);
    const { data } = await burrow.cliJson<{ rows: Row[] }>(['compare']);
    for (const network of ['dvpn', 'wireguard']) {
      const row = data.rows.find((candidate) => candidate.network === network);
      expect(row?.measured.rttMedianMs, network).toBeGreaterThan(0);
      expect(row?.measured.throughputBps, network).toBeGreaterThan(0);
    }
  });
});
