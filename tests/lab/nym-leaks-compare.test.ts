// Leak tests and Compare cover the Nym mixnet (against the STAND-IN client and lab mixnet): system-wide
// through Burrow, the leak server sees the mixnet's exit, not the client, DNS does not reach the ISP's
// resolver, and Compare stores measurements for the mixnet next to WireGuard's.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeakVerdict } from '../../app/domain/index.js';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';
import { startNymStandin, type NymStandin } from './standins/install.js';

const isRoot = process.getuid?.() === 0;

interface Row {
  network: string;
  measured: { rttMedianMs: number | null; throughputBps: number | null };
}

describe.skipIf(!isRoot)('leak tests and Compare over Nym, stand-in client (needs root: network namespaces)', () => {
  let lab: Lab;
  let nym: NymStandin;
  let burrow: BurrowInLab;

  beforeAll(async () => {
    lab = await startLab({ tor: false, vpn: true });
    nym = await startNymStandin(lab);
    burrow = await startBurrowInLab(lab, { name: 'nym-compare', env: { BURROW_NYM_SOCKS5_CLIENT: nym.client } });
    const file = join(burrow.dir, 'mixnet.nym');
    // The stand-in's default mixing: three exponential delays of 15 ms mean per 2 KiB chunk.
    writeFileSync(file, ['[nym]', 'Name = mixnet', 'Mode = system', `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, `DnsServer = ${nym.dnsTcp}`, 'AveragePacketDelay = 15ms', ''].join('\n'));
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
    await nym?.stop();
    await lab?.stop();
  });

  it('leak tests through the mixnet: the exit is not the client, DNS never reaches the ISP’s resolver', async () => {
    const connected = await burrow.cliJson<{ state: string }>(['connect', 'mixnet'], 60_000);
    expect(connected.data.state).toBe('connected');
    const { code, data } = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest'], 60_000);
    expect(code).toBe(0);
    const verdicts = Object.fromEntries(data.verdicts.map((verdict) => [verdict.test, verdict]));
    expect(verdicts.exitIp, `${verdicts.exitIp?.summary ?? ''} ${JSON.stringify(verdicts.exitIp?.evidence)}\n${nym.mixnet.log().slice(-2000)}`).toMatchObject({ verdict: 'passed', network: 'nym' });
    expect(JSON.stringify(verdicts.exitIp?.evidence)).toContain(nym.exitIp);
    // On failure: the per-name failures and the mixnet's own account (streams the exit refused or lost).
    expect(verdicts.dns?.verdict, `${verdicts.dns?.summary ?? ''} ${JSON.stringify(verdicts.dns?.evidence)}\n${nym.mixnet.log().slice(-2000)}\n${burrow.netd.log().slice(-3000)}`).toBe('passed');
    const asked = (verdicts.dns?.evidence as { resolvers: Array<{ ip: string }> }).resolvers.map((resolver) => resolver.ip);
    // Asked by the public resolver the exit uses, and by nothing else (an empty list would prove nothing).
    expect(asked).toEqual([lab.addresses.publicResolver]);
  });

  it('Compare measures both and stores a round trip and a download for each (how much slower mixing is belongs to tests/bench)', async () => {
    const measured = await burrow.cliJson(['compare', '--measure', '--profiles', 'mixnet,lab-vpn', '--samples', '5', '--seconds', '2'], 240_000);
    expect(measured.code).toBe(0);
    const { data } = await burrow.cliJson<{ rows: Row[] }>(['compare']);
    for (const network of ['nym', 'wireguard']) {
      const row = data.rows.find((candidate) => candidate.network === network);
      expect(row?.measured.rttMedianMs, network).toBeGreaterThan(0);
      expect(row?.measured.throughputBps, network).toBeGreaterThan(0);
    }
  });
});
