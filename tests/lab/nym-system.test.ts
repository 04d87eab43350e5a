// Nym system-wide through Burrow, against the STAND-IN client and lab mixnet: netd runs redsocks and the
// DNS stub, the firewall lets only the client's uid (Burrow's own `burrow-nym`) reach its gateway, and every other
// program — plain curl and dig as `nobody`, with no proxy settings — goes through the mixnet. UDP, ICMP and
// IPv6 are refused. The capture on the client's outside interface is the judge, also when the client is
// killed under load.
import { readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProcesses, startBurrowInLab, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { freshLeakName, resolversOf } from './http.js';
import { startLab, type Lab } from './lab.js';
import { findLeftovers } from './leftovers.js';
import type { Packet } from './pcap.js';
import { sleep, waitFor, type ExecResult, type LabProcess } from './process.js';
import { capturedWithFirewallLifted, strayLines, strays as strayPackets, type Flow } from './strays.js';
import { startNymStandin, type NymStandin } from './standins/install.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

describe.skipIf(!isRoot)('Nym through Burrow, system-wide, stand-in client (needs root: network namespaces)', () => {
  let lab: Lab;
  let nym: NymStandin;
  let burrow: BurrowInLab;
  const asNobody = (argv: string[], timeoutMs = 20_000): Promise<ExecResult> => lab.exec('client', [...NOBODY, ...argv], { check: false, timeoutMs });
  const plainEcho = async (): Promise<string> => {
    const r = await asNobody(['curl', '-sS', '--fail', '--max-time', '10', `${lab.leakd.url}/json`]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { ip: string }).ip;
  };
  /** The gateway's connection is the one allowed flow; every other packet on the NIC is a stray (tests/lab/strays.ts). */
  const allowed = (): Flow[] => [{ host: nym.gateway.ip, port: nym.gateway.port }];
  const strays = (packets: Packet[]): string[] => strayLines(packets, allowed());
  const clients = (): { pid: number; cmdline: string }[] => clientProcesses(lab).filter((p) => p.cmdline.includes('nym-socks5-client.mjs') && p.cmdline.includes(' run '));
  const redsocks = (): { pid: number; cmdline: string }[] => clientProcesses(lab).filter((p) => /^(\S*\/)?redsocks -c /.test(p.cmdline));
  const requestLoop = (): LabProcess =>
    lab.spawn('client', [...NOBODY, 'sh', '-c', `while true; do curl -s -o /dev/null --max-time 2 ${lab.leakd.url}/json; dig +short +time=1 +tries=1 loop-$$.${lab.leakd.zone} >/dev/null; ping -c1 -W1 ${lab.addresses.echo} >/dev/null; sleep 0.1; done`], { name: 'request-loop' });

  beforeAll(async () => {
    lab = await startLab({ tor: false, vpn: false });
    nym = await startNymStandin(lab);
    burrow = await startBurrowInLab(lab, { name: 'nym-system', env: { BURROW_NYM_SOCKS5_CLIENT: nym.client } });
    const file = join(burrow.dir, 'system.nym');
    writeFileSync(file, ['[nym]', 'Name = mixnet', 'Mode = system', `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, `DnsServer = ${nym.dnsTcp}`, 'AveragePacketDelay = 5ms', ''].join('\n'));
    expect((await burrow.cli(['profile', 'import', file])).code).toBe(0);
  });
  afterAll(async () => {
    await burrow?.stop();
    await nym?.stop();
    await lab?.stop();
  });

  it('connects: the client runs as burrow-nym, netd runs redsocks as its own user, only the gateway is on the wire', async () => {
    const watch = await lab.capture('client', lab.interfaces.client);
    const { code, data } = await burrow.cliJson<{ state: string; details: { extra: Record<string, string> } }>(['connect', 'mixnet']);
    expect(code).toBe(0);
    expect(data.state).toBe('connected');
    expect(data.details.extra.mode).toBe('every program (system-wide)');
    expect(data.details.extra.helper).toBe('runs as user burrow-nym');
    const ps = (await lab.exec('client', ['ps', '-o', 'user:20=,args=', '-e'])).stdout.split('\n');
    expect(ps.find((line) => line.includes('nym-socks5-client.mjs --no-banner run'))).toMatch(/^burrow-nym /);
    expect(ps.find((line) => /\bredsocks -c /.test(line))).toMatch(/^redsocks /);
    // Its home (its cwd) is a private directory under the root-only /run/burrow-helpers, not a /tmp path.
    const home = readlinkSync(`/proc/${clients()[0]?.pid}/cwd`);
    expect(home).toMatch(/^\/run\/burrow-helpers\/nym-\d+-[0-9a-f]{8}$/);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(burrow.netd.log()).toMatch(/"msg":"system-wide redirect started".*"proxy":"socks5"/);
    expect(await plainEcho()).toBe(nym.exitIp);
    const packets = await watch.stop();
    expect(packets.some((p) => p.dst === nym.gateway.ip)).toBe(true);
    expect(strays(packets)).toEqual([]);
  });

  it('DNS of an ordinary program goes through the stub and the exit: the public resolver asks, the ISP\'s hears nothing', async () => {
    const name = await freshLeakName(lab);
    const answer = await asNobody(['dig', '+short', '+time=5', '+tries=1', name]);
    expect(answer.stdout.trim()).toBe(lab.addresses.echo);
    expect(await resolversOf(lab, name)).toEqual([lab.addresses.publicResolver]);
    expect(lab.resolverQueries('public').filter((q) => q.name === name).map((q) => q.from)).toEqual([nym.dnsTcp]);
    expect(lab.resolverQueries('isp').filter((q) => q.name === name)).toEqual([]);
    // A program that asks the ISP's resolver by itself is answered by the stub all the same.
    const sneaky = await freshLeakName(lab);
    expect((await asNobody(['dig', '+short', '+time=5', '+tries=1', `@${lab.addresses.ispResolver}`, sneaky])).stdout.trim()).toBe(lab.addresses.echo);
    expect(lab.resolverQueries('isp').filter((q) => q.name === sneaky)).toEqual([]);
    // And by name, end to end: stub, then redsocks, then the exit.
    const byName = await asNobody(['curl', '-sS', '--fail', '--max-time', '10', `http://${await freshLeakName(lab)}/json`]);
    expect((JSON.parse(byName.stdout) as { ip: string }).ip).toBe(nym.exitIp);
    expect(burrow.netd.log()).not.toMatch(/"msg":"redsocks exited"/);
  });

  it('UDP, ICMP and IPv6 of ordinary programs are refused, not leaked', async () => {
    const watch = await lab.capture('client', lab.interfaces.client);
    const stun = `const s=require('node:dgram').createSocket('udp4'); s.on('message',()=>{console.log('answer');process.exit(0)}); s.on('error',(e)=>{console.log('error '+e.code);process.exit(0)});
      const q=Buffer.alloc(20); q.writeUInt16BE(1,0); q.writeUInt32BE(0x2112a442,4); s.send(q,3478,'${lab.addresses.echo}'); setTimeout(()=>{s.send(q,3478,'${lab.addresses.echo}')},300); setTimeout(()=>{console.log('silence');process.exit(0)},2000);`;
    expect((await asNobody([process.execPath, '-e', stun])).stdout.trim()).not.toBe('answer');
    expect((await asNobody(['ping', '-c1', '-W1', lab.addresses.echo])).code).not.toBe(0);
    expect((await asNobody(['curl', '-sS', '--max-time', '3', `${lab.leakd.urlV6}/json`])).code).not.toBe(0);
    expect(strays(await watch.stop())).toEqual([]);
  });

  it('kill -9 of the client under load: 0 packets outside the gateway, the state leaves connected, and it recovers', async () => {
    const loop = requestLoop();
    try {
      await sleep(1000);
      const watch = await lab.capture('client', lab.interfaces.client);
      const [client] = clients();
      // Never signal a pid we did not get (as root, -1 is every process on the machine).
      if (client === undefined) throw new Error('no nym-socks5-client in the client namespace');
      process.kill(client.pid, 'SIGKILL');
      await waitFor('the host to notice', 10_000, async () => (/The tunnel was lost: nym-socks5-client was killed by SIGKILL/.test((await burrow.cli(['logs', '--limit', '300'])).stdout) ? true : undefined));
      await waitForState(burrow, ['connected'], 30_000);
      await sleep(1500);
      const packets = await watch.stop();
      expect(strays(packets)).toEqual([]);
      const logs = (await burrow.cli(['logs', '--limit', '300'])).stdout;
      expect(logs.slice(logs.lastIndexOf('The tunnel was lost'))).toMatch(/State: (connecting to mixnet \(attempt \d\)|error)[\s\S]*State: connected to mixnet/);
    } finally {
      await loop.stop();
    }
    expect(clients()).toHaveLength(1);
    expect(redsocks()).toHaveLength(1);
    expect(await plainEcho()).toBe(nym.exitIp);
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
    expect(await plainEcho()).toBe(nym.exitIp);
  });

  it('disconnect stops the client and redsocks and opens the way again', async () => {
    const { data } = await burrow.cliJson<Record<string, unknown>>(['disconnect']);
    expect(data).toEqual({ state: 'disconnected', lockedDown: false });
    expect(clients()).toEqual([]);
    expect(redsocks()).toEqual([]);
    expect(await plainEcho()).toBe(lab.addresses.client);
  });

  it('stopping Burrow and the lab leaves nothing behind', async () => {
    await burrow.stop();
    await nym.stop();
    const report = await lab.stop();
    expect(report.survivors).toEqual([]);
    expect(findLeftovers(lab)).toEqual({ namespaces: [], processes: [], files: [] });
  });
});
