// System-wide Nym and dVPN with the host running as a person, as on a desktop (`burrow host` as an ordinary
// user, netd as root): the host cannot start a program as another uid, so netd runs nym-socks5-client and myst
// (the lab's STAND-INS) as burrow-nym and burrow-dvpn in homes of its own (native/netd/proxy-helpers.ts).
// Before, such a host refused these profiles ("needs a host running as root"). Judged as for a root host:
// an ordinary program with no proxy settings reaches the echo through the network, and the capture on the
// client's outside interface holds nothing but the network's own flow; with the firewall lifted the same
// program is seen (the anti-test).
import { readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProcesses, startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { uidOf } from './burrow-users.js';
import { startLab, type Lab } from './lab.js';
import { sleep, waitFor, type ExecResult } from './process.js';
import { capturedWithFirewallLifted, strayLines, strays as strayPackets, type Flow } from './strays.js';
import { PROVIDER_PORT, startMystStandin, startNymStandin, type MystStandin, type NymStandin } from './standins/install.js';

const isRoot = process.getuid?.() === 0;
/** The person the host runs as. */
const PERSON = { uid: 65_534, gid: 65_534 };
/** Another ordinary program's user, neither the host's nor a helper's. */
const OTHER = ['setpriv', '--reuid=4242', '--regid=4242', '--clear-groups', '--'];

describe.skipIf(!isRoot)('system-wide Nym and dVPN for a host that is not root (needs root: network namespaces)', () => {
  let lab: Lab;
  let nym: NymStandin;
  let myst: MystStandin;
  let burrow: BurrowInLab;
  const other = (argv: string[], timeoutMs = 20_000): Promise<ExecResult> => lab.exec('client', [...OTHER, ...argv], { check: false, timeoutMs });
  const echo = async (): Promise<string> => {
    const r = await other(['curl', '-sS', '--fail', '--max-time', '10', `${lab.leakd.url}/json`]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { ip: string }).ip;
  };
  /** The user a process in the client namespace runs as, by a piece of its command line. */
  const processOwner = async (match: string): Promise<string | undefined> =>
    (await lab.exec('client', ['ps', '-o', 'user:20=,args=', '-e'])).stdout
      .split('\n')
      .find((line) => line.includes(match))
      ?.trim()
      .split(/\s+/)[0];

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    [nym, myst] = await Promise.all([startNymStandin(lab), startMystStandin(lab)]);
    // Both find the programs, as both would on a desktop's PATH: the host to say whether they are installed,
    // netd to run them.
    const programs = { BURROW_NYM_SOCKS5_CLIENT: nym.client, BURROW_MYST: myst.myst };
    burrow = await startBurrowInLab(lab, { name: 'desktop', hostUser: PERSON, env: programs, netdEnv: programs });
    const profile = (name: string, lines: string[]): string => {
      const path = join(burrow.dir, name);
      writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o644 });
      return path;
    };
    const nymFile = profile('mix.nym', ['[nym]', 'Name = mixnet', 'Mode = system', `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, `DnsServer = ${nym.dnsTcp}`, 'AveragePacketDelay = 5ms']);
    const dvpnFile = profile('node.dvpn', ['[dvpn]', 'Name = dvpn', 'Mode = system', 'Country = DE', `DnsServer = ${myst.dnsTcp}`]);
    for (const file of [nymFile, dvpnFile]) {
      const imported = await burrow.cli(['profile', 'import', file]);
      expect(imported.code, imported.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await burrow?.stop();
    await Promise.all([nym?.stop(), myst?.stop()]);
    await lab?.stop();
  });

  it('the host runs as the person, not root', async () => {
    expect(await processOwner(' host --data ')).toBe('nobody');
  });

  it('Nym: netd runs the client as burrow-nym in its own home; every other program goes through the mixnet, only the gateway is on the wire', async () => {
    const watch = await lab.capture('client', lab.interfaces.client);
    const { code, data } = await burrow.cliJson<{ state: string; details: { extra: Record<string, string> } }>(['connect', 'mixnet'], 90_000);
    expect(code, JSON.stringify(data)).toBe(0);
    expect(data.state).toBe('connected');
    expect(data.details.extra.helper).toBe('runs as user burrow-nym');
    expect(await processOwner('nym-socks5-client.mjs --no-banner run')).toBe('burrow-nym');
    const client = clientProcesses(lab).find((p) => p.cmdline.includes('nym-socks5-client.mjs') && p.cmdline.includes(' run '));
    const home = readlinkSync(`/proc/${client?.pid ?? 0}/cwd`);
    expect(home).toBe(join(burrow.dir, 'helpers', 'nym', String(PERSON.uid)));
    const stat = statSync(home);
    expect({ uid: stat.uid, mode: (stat.mode & 0o7777).toString(8) }).toEqual({ uid: uidOf('burrow-nym'), mode: '700' });
    expect(await echo()).toBe(nym.exitIp);
    const allowed: Flow[] = [{ host: nym.gateway.ip, port: nym.gateway.port }];
    const packets = await watch.stop();
    expect(packets.some((p) => p.dst === nym.gateway.ip)).toBe(true);
    expect(strayLines(packets, allowed)).toEqual([]);

    // The anti-test: with Burrow's table lifted, the same program is on the wire in the clear.
    const open = await capturedWithFirewallLifted(lab, async () => {
      await other(['curl', '-s', '-o', '/dev/null', '--max-time', '3', `${lab.leakd.url}/json`]);
      await sleep(300);
    });
    expect(strayPackets(open, allowed).filter((p) => p.dst === lab.addresses.echo).length).toBeGreaterThan(0);

    expect((await burrow.cli(['disconnect'])).code).toBe(0);
    expect(clientProcesses(lab).filter((p) => p.cmdline.includes('nym-socks5-client.mjs'))).toEqual([]);
  }, 180_000);

  it('dVPN: netd runs myst as burrow-dvpn; every other program leaves from the provider, only the provider is on the wire', async () => {
    // The step starts once the mixnet's connection is closed (TIME-WAIT is closed): until then the stopped
    // client's socket, which outlives its process, still exchanges its last data with the gateway. That is
    // Nym's flow, not this step's.
    let open = '';
    await waitFor('the connection to the Nym gateway to close', 60_000, async () => {
      open = (await lab.exec('client', ['ss', '-Htanoe', 'exclude', 'time-wait', 'dst', nym.gateway.ip], { check: false })).stdout.trim();
      return open === '' ? true : undefined;
    }, 250).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; still open: ${open}`);
    });
    const watch = await lab.capture('client', lab.interfaces.client);
    const { code, data } = await burrow.cliJson<{ state: string; details: { extra: Record<string, string> } }>(['connect', 'dvpn'], 120_000);
    expect(code, JSON.stringify(data)).toBe(0);
    expect(data.state).toBe('connected');
    expect(await processOwner('/myst.mjs')).toBe('burrow-dvpn');
    expect(await echo()).toBe(lab.addresses.vpn);
    const packets = await watch.stop();
    expect(strayLines(packets, [{ host: lab.addresses.vpn, port: PROVIDER_PORT, proto: 'tcp' }])).toEqual([]);
    expect((await burrow.cli(['disconnect'])).code).toBe(0);
    expect(clientProcesses(lab).filter((p) => p.cmdline.includes('/myst.mjs'))).toEqual([]);
  }, 180_000);
});
