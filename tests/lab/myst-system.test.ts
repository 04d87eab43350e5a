// Mysterium system-wide through Burrow, against the STAND-IN myst and provider: netd's redsocks in
// http-connect mode in front of myst's proxy, DNS through the stub over CONNECT, myst's own uid (Burrow's `burrow-dvpn`)
// exempt, every other program redirected. The echo sees the lab WireGuard server's host; the capture sees
// only the provider; a killed myst leaks nothing and comes back.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProcesses, startBurrowInLab, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { freshLeakName, resolversOf } from './http.js';
import { startLab, type Lab } from './lab.js';
import { findLeftovers } from './leftovers.js';
import type { Packet } from './pcap.js';
import { sleep, waitFor, type ExecResult, type LabProcess } from './process.js';
import { capturedWithFirewallLifted, strayLines, strays as strayPackets, type Flow } from './strays.js';
import { PROVIDER_PORT, startMystStandin, type MystStandin } from './standins/install.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

describe.skipIf(!isRoot)('Mysterium through Burrow, system-wide, stand-in myst (needs root: network namespaces)', () => {
  let lab: Lab;
  let myst: MystStandin;
  let burrow: BurrowInLab;
  const asNobody = (argv: string[], timeoutMs = 20_000): Promise<ExecResult> => lab.exec('client', [...NOBODY, ...argv], { check: false, timeoutMs });
  const plainEcho = async (): Promise<string> => {
    const r = await asNobody(['curl', '-sS', '--fail', '--max-time', '10', `${lab.leakd.url}/json`]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { ip: string }).ip;
  };
  /** The provider's connection is the one allowed flow; every other packet on the NIC is a stray (tests/lab/strays.ts). */
  const allowed = (): Flow[] => [{ host: lab.addresses.vpn, port: PROVIDER_PORT, proto: 'tcp' }];
  const strays = (packets: Packet[]): string[] => strayLines(packets, allowed());
  const EXIT = (): string => lab.addresses.vpn;
  const daemons = (): { pid: number; cmdline: string }[] => clientProcesses(lab).filter((p) => p.cmdline.includes('/myst.mjs'));
  const requestLoop = (): LabProcess =>
    lab.spawn('client', [...NOBODY, 'sh', '-c', `while true; do curl -s -o /dev/null --max-time 2 ${lab.leakd.url}/json; dig +short +time=1 +tries=1 loop-$$.${lab.leakd.zone} >/dev/null; sleep 0.1; done`], { name: 'request-loop' });

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    myst = await startMystStandin(lab);
    burrow = await startBurrowInLab(lab, { name: 'myst-system', env: { BURROW_MYST: myst.myst } });
    const file = join(burrow.dir, 'system.dvpn');
    writeFileSync(file, ['[dvpn]', 'Name = dvpn', 'Mode = system', 'Country = DE', `DnsServer = ${myst.dnsTcp}`, ''].join('\n'));
    expect((await burrow.cli(['profile', 'import', file])).code).toBe(0);
  });
  afterAll(async () => {
    await burrow?.stop();
    await myst?.stop();
    await lab?.stop();
  });

  it('connects; plain curl of an ordinary program sees the lab WireGuard server\'s address; only the provider on the wire', async () => {
    const watch = await lab.capture('client', lab.interfaces.client);
    const { code, data } = await burrow.cliJson<{ state: string; details: { endpoint: string; extra: Record<string, string> } }>(['connect', 'dvpn'], 120_000);
    expect(code).toBe(0);
    expect(data.state).toBe('connected');
    expect(data.details.endpoint).toBe('0x2222…2222 (DE, Frankfurt)');
    expect(data.details.extra.mode).toBe('every program (system-wide)');
    expect(burrow.netd.log()).toMatch(/"msg":"system-wide redirect started".*"proxy":"http-connect"/);
    expect(await plainEcho()).toBe(lab.addresses.vpn);
    const packets = await watch.stop();
    expect(packets.some((p) => p.dst === lab.addresses.vpn && p.dstPort === PROVIDER_PORT)).toBe(true);
    expect(strays(packets)).toEqual([]);
  });

  it('DNS goes through the stub and the node; the ISP\'s resolver hears nothing; UDP is refused', async () => {
    const name = await freshLeakName(lab);
    expect((await asNobody(['dig', '+short', '+time=5', '+tries=1', name])).stdout.trim()).toBe(lab.addresses.echo);
    expect(await resolversOf(lab, name)).toEqual([lab.addresses.publicResolver]);
    expect(lab.resolverQueries('isp').filter((q) => q.name === name)).toEqual([]);
    const byName = await asNobody(['curl', '-sS', '--fail', '--max-time', '10', `http://${await freshLeakName(lab)}/json`]);
    expect((JSON.parse(byName.stdout) as { ip: string }).ip).toBe(lab.addresses.vpn);
    expect((await asNobody(['ping', '-c1', '-W1', lab.addresses.echo])).code).not.toBe(0);
  });

  it('kill -9 of myst under load: 0 packets outside the provider, the state leaves connected, and it recovers', async () => {
    const loop = requestLoop();
    try {
      await sleep(1000);
      const watch = await lab.capture('client', lab.interfaces.client);
      const [daemon] = daemons();
      // Never signal a pid we did not get (as root, -1 is every process on the machine).
      if (daemon === undefined) throw new Error('no myst in the client namespace');
      process.kill(daemon.pid, 'SIGKILL');
      await waitFor('the host to notice', 10_000, async () => (/The tunnel was lost: myst was killed by SIGKILL/.test((await burrow.cli(['logs', '--limit', '300'])).stdout) ? true : undefined));
      await waitForState(burrow, ['connected'], 60_000);
      await sleep(1500);
      expect(strays(await watch.stop())).toEqual([]);
    } finally {
      await loop.stop();
    }
    expect(daemons()).toHaveLength(1);
    expect(await plainEcho()).toBe(lab.addresses.vpn);
  });

  it('anti-test: connected under load with Burrow’s table deleted, the same capture and filter count the loop’s requests', async () => {
    const loop = requestLoop();
    try {
      await sleep(500);
      const found = strayPackets(await capturedWithFirewallLifted(lab, () => sleep(3000)), allowed());
      expect(found.filter((p) => p.src === lab.addresses.client && p.dst === lab.addresses.echo).length).toBeGreaterThan(0);
    } finally {
      await loop.stop();
    }
    expect(await plainEcho()).toBe(EXIT());
  });

  it('disconnect: myst and redsocks stop, programs go out directly again', async () => {
    const { data } = await burrow.cliJson<Record<string, unknown>>(['disconnect']);
    expect(data).toEqual({ state: 'disconnected', lockedDown: false });
    expect(daemons()).toEqual([]);
    expect(clientProcesses(lab).filter((p) => /\bredsocks -c /.test(p.cmdline))).toEqual([]);
    expect(await plainEcho()).toBe(lab.addresses.client);
  });

  it('stopping Burrow and the lab leaves nothing behind', async () => {
    await burrow.stop();
    await myst.stop();
    const report = await lab.stop();
    expect(report.survivors).toEqual([]);
    expect(findLeftovers(lab)).toEqual({ namespaces: [], processes: [], files: [] });
  });
});
