// WireGuard over an obfuscating transport through Burrow itself (netd and the host in `client`, kill switch
// on), as a person uses it: import the provider's .conf with its [Obfuscation] section, `burrow connect`.
// Under the WireGuard-DPI censor the plain profile is blocked and the Shadowsocks one gets out; under the
// GFW's fully-encrypted-traffic heuristic the VLESS-over-TLS one does. A capture on the client's uplink
// shows nothing but the transport flow left (and, as the anti-test, that with Burrow's table lifted a
// program's DNS to the ISP does leave). The transport servers are the lab provider's (censor-transports.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBFS_HELPER_USER } from '../../app/contract/index.js';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { SHADOWSOCKS_PORT, startTransportServers, VLESS_PORT, type TransportServers } from './censor-transports.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import { ensureBurrowUsers } from './burrow-users.js';
import { sleep } from './process.js';
import { describePacket, inFlow, isLinkTraffic, liftFirewall, strayLines, strays, type Flow } from './strays.js';
import { namespacePids, readCmdline } from './teardown.js';

const isRoot = process.getuid?.() === 0;

interface Connected { state: string; details: { endpoint: string; extra: Record<string, string> } }
interface Smart { rung?: string; startedAt?: string; sentence: string; steps: { rung: string; status: string; ms?: number }[] }

function uidOf(pid: number): number | undefined {
  const line = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) : undefined;
}

describe.skipIf(!isRoot)('WireGuard over an obfuscating transport through burrow connect (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let transports: TransportServers;
  let helperUid: number;

  beforeAll(async () => {
    // The lab makes Burrow's users as the package does (tests/lab/burrow-users.ts), burrow-obfs among them.
    lab = await startLab({ tor: false });
    helperUid = ensureBurrowUsers()[OBFS_HELPER_USER];
    transports = await startTransportServers(lab);
    burrow = await startBurrowInLab(lab, { name: 'obfs' });
    const conf = lab.wireguard?.clientConf ?? '';
    const file = (name: string, text: string): string => {
      const path = join(burrow.dir, name);
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    };
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'Lab VPN'])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', file('ss.conf', `${conf}\n${transports.shadowsocksSection}`), '--name', 'Lab VPN SS'])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', file('tls.conf', `${conf}\n${transports.vlessSection}`), '--name', 'Lab VPN TLS'])).code).toBe(0);
    expect((await burrow.cli(['settings', 'set', 'killSwitch=on'])).code).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  const helperPids = (): number[] => namespacePids(lab.namespaces.client).filter((pid) => /^(\S*\/)?(ss-tunnel|v2ray) /.test(readCmdline(pid)));
  const uplink = (): ReturnType<Lab['capture']> => lab.capture('client', lab.interfaces.client);

  /** Connected over `profile`: what the person reads, the echo, the helper's uid; strays on the wire outside `flow`. */
  async function connectOver(profile: string, flow: Flow): Promise<{ details: Connected['details']; strays: string[]; inFlow: number }> {
    const watch = await uplink();
    const { code, data } = await burrow.cliJson<Connected>(['connect', profile]);
    expect(code, JSON.stringify(data)).toBe(0);
    expect(data.state).toBe('connected');
    // The internet sees the VPN server, not the client: the traffic rode WireGuard through the transport.
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
    const [pid, ...more] = helperPids();
    expect(more).toEqual([]);
    expect(pid === undefined ? undefined : uidOf(pid)).toBe(helperUid);
    const packets = await watch.stop();
    return { details: data.details, strays: strayLines(packets, [flow]), inFlow: packets.length - strays(packets, [flow]).length };
  }

  it('under WireGuard DPI: plain WireGuard is blocked; over Shadowsocks it gets out and nothing leaves but the transport flow', async () => {
    await lab.censor.use('wireguard-dpi');
    try {
      const plain = await burrow.cliJson<{ error?: { code: string }; state?: { state: string } }>(['connect', 'lab-vpn'], 90_000);
      expect(plain.code).not.toBe(0);
      expect(plain.data.error?.code).toBe('handshake_timeout');
      await burrow.cliJson(['disconnect']);

      const flow: Flow = { host: transports.address, port: SHADOWSOCKS_PORT, proto: 'udp' };
      const over = await connectOver('lab-vpn-ss', flow);
      expect(over.details.extra.transport).toBe('WireGuard over Shadowsocks');
      expect(over.details.extra.transportServer).toBe(`${transports.address}:${SHADOWSOCKS_PORT}/udp`);
      expect(over.details.endpoint).toBe(lab.wireguard?.endpoint);
      expect(over.strays).toEqual([]);
      expect(over.inFlow).toBeGreaterThan(0);

      // Anti-test: the same capture and judge, Burrow's table lifted: a program asking the ISP's resolver
      // (directly attached, so only the firewall stops it) is seen.
      const restore = await liftFirewall(lab);
      try {
        const watch = await uplink();
        await lab.exec('client', ['dig', '+short', '+time=1', '+tries=1', `@${lab.addresses.ispResolver}`, `anti-${Date.now()}.${lab.leakd.zone}`], { check: false });
        await sleep(200);
        expect(strayLines(await watch.stop(), [flow]).length).toBeGreaterThan(0);
      } finally {
        await restore();
      }
      // With the table back, the same program is refused again and nothing leaves.
      const again = await uplink();
      await lab.exec('client', ['dig', '+short', '+time=1', '+tries=1', `@${lab.addresses.ispResolver}`, `again-${Date.now()}.${lab.leakd.zone}`], { check: false });
      await sleep(200);
      expect(strayLines(await again.stop(), [flow])).toEqual([]);

      await burrow.cliJson(['disconnect']);
      // Disconnect takes the helper and its routing rule with it.
      expect(helperPids()).toEqual([]);
      expect((await lab.exec('client', ['ip', 'rule', 'show'])).stdout).not.toContain('uidrange');
    } finally {
      await burrow.cliJson(['disconnect']);
      await lab.censor.clear();
    }
  }, 300_000);

  it('under the GFW heuristic: WireGuard over TLS (VLESS) gets out and nothing leaves but the TLS flow', async () => {
    await lab.censor.use('fet');
    try {
      const over = await connectOver('lab-vpn-tls', { host: transports.address, port: VLESS_PORT, proto: 'tcp' });
      expect(over.details.extra.transport).toBe('WireGuard over TLS (VLESS)');
      expect(over.strays).toEqual([]);
      expect(over.inFlow).toBeGreaterThan(0);
      // The censor judged the TLS flow and let it pass.
      const judged = lab.censor.proxyEvents().filter((e) => e.event === 'flow' && e.dst === transports.address && e.port === VLESS_PORT);
      expect(judged.map((e) => e.verdict)).toContain('pass');
      expect(judged.map((e) => e.verdict)).not.toContain('block');
    } finally {
      await burrow.cliJson(['disconnect']);
      await lab.censor.clear();
    }
  }, 300_000);

  it('under the protocol allowlist: Smart connect climbs WireGuard → over Shadowsocks → over TLS, sends only to the rung it tries, and starts at TLS next time', async () => {
    const flows: Record<string, Flow> = {
      wireguard: { host: lab.addresses.vpn, port: 51820, proto: 'udp' },
      'wireguard-shadowsocks': { host: transports.address, port: SHADOWSOCKS_PORT, proto: 'udp' },
      'wireguard-vless': { host: transports.address, port: VLESS_PORT, proto: 'tcp' },
    };
    const smart = async (): Promise<{ result: Smart; strays: string[] }> => {
      const watch = await uplink();
      const t0 = Date.now() / 1000;
      const { data } = await burrow.cliJson<Smart>(['connect', '--smart'], 240_000);
      const packets = await watch.stop();
      // Each rung's window from its step's time (the walk is sequential); the connected rung keeps its tunnel.
      let from = t0;
      const windows = data.steps.filter((step) => step.status !== 'trying').map((step) => {
        const to = step.status === 'through' ? Infinity : from + (step.ms ?? 0) / 1000;
        const w = { from, to, flow: flows[step.rung] };
        from = to;
        return w;
      });
      // 1 s of slack: the CLI, the host and the capture keep their own clocks of when a rung began.
      const outside = packets.filter((p) => !isLinkTraffic(p) && p.time >= t0
        && !windows.some((w) => w.flow !== undefined && p.time >= w.from - 1 && p.time <= w.to + 1 && inFlow(p, w.flow)));
      return { result: data, strays: outside.map(describePacket) };
    };
    await lab.censor.use('allowlist');
    try {
      const first = await smart();
      expect(first.result.rung, first.result.sentence).toBe('wireguard-vless');
      expect(first.result.steps.filter((s) => s.status !== 'trying').map((s) => `${s.rung} ${s.status}`)).toEqual([
        'wireguard blocked', 'wireguard-shadowsocks blocked', 'wireguard-vless through',
      ]);
      expect(first.strays).toEqual([]);
      expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
      await burrow.cliJson(['disconnect']);
      const second = await smart();
      expect(second.result.startedAt).toBe('wireguard-vless');
      expect(second.result.steps.filter((s) => s.status !== 'trying').map((s) => s.rung)).toEqual(['wireguard-vless']);
      expect(second.strays).toEqual([]);
    } finally {
      await burrow.cliJson(['disconnect']);
      await lab.censor.clear();
    }
  }, 400_000);
});
