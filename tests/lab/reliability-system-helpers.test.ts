// The reliability suite (issue 12, item 11): the kill-switch probe for the system-wide networks, where the
// redirect IS the tunnel. While connected, the helper that carries everyone's traffic is stopped (SIGSTOP:
// hung, as a wedged process is) or killed (SIGKILL), and every probe of tests/lab/reliability-probes.ts
// runs as root and as an ordinary user. The capture on the client's outside interface counts what got out
// besides the helper's own flows (Tor's relays, Nym's gateway): it must be 0. Each network's anti-test
// stops the same helper, lifts Burrow's table (netd held, tests/lab/strays.ts) and the same probes and
// judge must count > 0, so a capture that could not see a leak never passes. Tor, Nym and dVPN (both
// stand-ins: tests/lab/standins).
// Burrow's own `leaktest --tests killSwitch` covers these networks too: netd stops the helper its redirect
// leads into (native/netd/system-pause.ts); its pass is checked against the same wire, and with the table
// gone netd refuses, so the probe says "not tested", never "passed".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeakVerdict } from '../../app/domain/index.js';
import { clientProcesses, startBurrowInLab, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { sleep, waitFor } from './process.js';
import { curlAsNobody, figuresLine, newFigures, probeLoop, probeRound, resume } from './reliability-probes.js';
import { PROVIDER_PORT, startMystStandin, startNymStandin, type MystStandin, type NymStandin } from './standins/install.js';
import { liftFirewall, strayLines, strays, torFlows, type Flow } from './strays.js';

const isRoot = process.getuid?.() === 0;
const figures = newFigures();

interface Helper {
  name: string;
  pid(): number | undefined;
}

/** The cases every system-wide network gets, against its own helpers and allowed flows. */
function helperCases(ctx: { profile: string; lab: () => Lab; burrow: () => BurrowInLab; allowed: () => Flow[]; exitIp: () => string; helpers: readonly Helper[] }): void {
  const wire = async (work: () => Promise<void>): Promise<Packet[]> => {
    const capture = await ctx.lab().capture('client', ctx.lab().interfaces.client);
    await work();
    return capture.stop();
  };
  const mustPid = (helper: Helper): number => {
    const pid = helper.pid();
    // Never signal a pid we did not get (as root, -1 is every process on the machine).
    if (pid === undefined || pid <= 0) throw new Error(`no ${helper.name} in the client namespace`);
    return pid;
  };
  const backOnline = async (): Promise<void> => {
    await waitForState(ctx.burrow(), ['connected'], 90_000);
    await waitFor('traffic through the network again', 60_000, async () => ((await curlAsNobody(ctx.lab(), 10)).ip === ctx.exitIp() ? true : undefined), 500);
  };

  it('Burrow’s own kill-switch probe (`burrow leaktest --tests killSwitch`) stops the helper, passes, and the wire agrees', async () => {
    figures.cases++;
    const packets = await wire(async () => {
      const { code, data } = await ctx.burrow().cliJson<{ verdicts: LeakVerdict[] }>(['leaktest', '--tests', 'killSwitch'], 60_000);
      expect(code).toBe(0);
      const [verdict] = data.verdicts;
      // The summary in the failure: it says why when the probe could not run.
      expect({ test: verdict?.test, verdict: verdict?.verdict, summary: verdict?.summary }).toMatchObject({ test: 'killSwitch', verdict: 'passed' });
      const evidence = verdict?.evidence as { sent: number; gotOut: number; restartError: string | null };
      expect(evidence.sent).toBeGreaterThan(5);
      expect(evidence.gotOut).toBe(0);
      expect(evidence.restartError).toBeNull();
    });
    const found = strayLines(packets, ctx.allowed());
    figures.leaked += found.length;
    expect(found).toEqual([]);
    // netd stopped the helper and let it go on request, not by its deadline.
    const netdLog = ctx.burrow().netd.log();
    expect(netdLog).toContain('system-wide helper paused for the kill-switch probe');
    expect(netdLog).toContain('system-wide helper resumed after the kill-switch probe');
    expect(netdLog).not.toContain('resuming the system-wide helper by itself');
    await backOnline();
    figures.faults++;
  });

  it('with the firewall taken away, netd refuses to stop the helper: the probe says why and never passes', async () => {
    figures.cases++;
    const cleared = JSON.parse(await ctx.burrow().netdRaw('{"id":1,"method":"clearFirewall","params":{}}\n', 2000)) as { ok: boolean };
    expect(cleared.ok).toBe(true);
    const { data } = await ctx.burrow().cliJson<{ verdicts: LeakVerdict[] }>(['leaktest', '--tests', 'killSwitch'], 60_000);
    expect(data.verdicts.map((v) => v.verdict)).toEqual(['not_tested']);
    expect(JSON.stringify(data.verdicts)).toMatch(/will not pause the system-wide helper/);
    // The host re-applies on a real change of policy: reconnect.
    await ctx.burrow().cliJson(['disconnect']);
    expect((await ctx.burrow().cliJson<{ state: string }>(['connect', ctx.profile], 150_000)).data.state).toBe('connected');
    await backOnline();
  });

  /** Probe loops as root and as nobody around `during`; what the wire saw outside the allowed flows is counted and must be nothing. */
  const judgedUnderLoad = async (tag: string, during: () => Promise<Packet[]>): Promise<void> => {
    const loops = [probeLoop(ctx.lab(), 'root', tag), probeLoop(ctx.lab(), 'nobody', tag)];
    let packets: Packet[];
    try {
      await sleep(500);
      packets = await during();
    } finally {
      await Promise.all(loops.map((l) => l.stop()));
    }
    const found = strayLines(packets, ctx.allowed());
    figures.leaked += found.length;
    expect(found).toEqual([]);
    await backOnline();
    figures.faults++;
  };

  for (const helper of ctx.helpers) {
    it(`${helper.name} stopped (SIGSTOP) under load: root and nobody probe TCP/UDP/ICMP/DNS/IPv6, 0 packets get out`, async () => {
      figures.cases++;
      await judgedUnderLoad('stop', async () => {
        const pid = mustPid(helper);
        return wire(async () => {
          process.kill(pid, 'SIGSTOP');
          try {
            await sleep(3000);
            await probeRound(ctx.lab(), `stop-${helper.name}`);
          } finally {
            resume(pid);
          }
        });
      });
    });
  }

  const [first] = ctx.helpers;
  it(`${first?.name ?? 'the helper'} killed (SIGKILL) under load: 0 packets get out before, while and after the host brings it back`, async () => {
    figures.cases++;
    const helper = first;
    if (helper === undefined) throw new Error('no helper');
    await judgedUnderLoad('kill', async () => {
      const pid = mustPid(helper);
      return wire(async () => {
        process.kill(pid, 'SIGKILL');
        // Right away, while no helper runs.
        await probeRound(ctx.lab(), 'kill');
        await waitFor(`a new ${helper.name}`, 60_000, () => {
          const now = helper.pid();
          return now !== undefined && now !== pid ? true : undefined;
        });
        await waitForState(ctx.burrow(), ['connected'], 90_000);
        await sleep(1000);
      });
    });
  });

  it('anti-test: the helper stopped and Burrow’s table lifted, the same probes and judge count what gets out', async () => {
    figures.cases++;
    const helper = first;
    if (helper === undefined) throw new Error('no helper');
    const pid = mustPid(helper);
    process.kill(pid, 'SIGSTOP');
    let found: Packet[];
    try {
      const restore = await liftFirewall(ctx.lab());
      try {
        found = strays(await wire(() => probeRound(ctx.lab(), 'anti')), ctx.allowed());
      } finally {
        await restore();
      }
    } finally {
      resume(pid);
    }
    figures.antiTestLeaks += found.length;
    const a = ctx.lab().addresses;
    // Each kind the probes send is seen: TCP and ICMP to the echo, DNS to the ISP, IPv6.
    expect(found.filter((p) => p.dst === a.echo && p.proto === 'tcp').length).toBeGreaterThan(0);
    expect(found.filter((p) => p.dst === a.echo && p.proto === 'icmp').length).toBeGreaterThan(0);
    expect(found.filter((p) => p.dst === a.ispResolver && p.dstPort === 53).length).toBeGreaterThan(0);
    expect(found.filter((p) => p.family === 6 && p.dst === a.echoV6).length).toBeGreaterThan(0);
    await backOnline();
  });
}

describe.skipIf(!isRoot)('reliability: system-wide Tor with its helper stopped or killed (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  const torPid = (): number | undefined => clientProcesses(lab).find((p) => /^(\S*\/)?tor --defaults-torrc /.test(p.cmdline))?.pid;

  beforeAll(async () => {
    lab = await startLab({ tor: true, vpn: false });
    burrow = await startBurrowInLab(lab, { name: 'rel-tor' });
    const file = join(burrow.dir, 'system.conf');
    writeFileSync(file, ['[tor]', 'Mode system', ...lab.tor!.dirAuthorityLines, 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67', ''].join('\n'), { mode: 0o600 });
    expect((await burrow.cli(['settings', 'set', `leakServer=${lab.leakd.url}`])).code).toBe(0);
    expect((await burrow.cliJson(['profile', 'import', file, '--name', 'system'])).code).toBe(0);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'system'], 150_000)).data.state).toBe('connected');
    expect((await curlAsNobody(lab, 10)).ip).toBe(lab.addresses.tor.exit);
  }, 240_000);
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  helperCases({
    profile: 'system',
    lab: () => lab,
    burrow: () => burrow,
    allowed: () => torFlows(lab),
    exitIp: () => lab.addresses.tor.exit,
    // tor is the one helper of system-wide Tor (netd redirects into its TransPort and DNSPort).
    helpers: [{ name: 'tor', pid: () => torPid() }],
  });
});

describe.skipIf(!isRoot)('reliability: system-wide Nym (stand-in) with nym-socks5-client or redsocks stopped or killed (needs root)', () => {
  let lab: Lab;
  let nym: NymStandin;
  let burrow: BurrowInLab;
  const pidOf = (pattern: RegExp): number | undefined => clientProcesses(lab).find((p) => pattern.test(p.cmdline))?.pid;

  beforeAll(async () => {
    lab = await startLab({ tor: false, vpn: false });
    nym = await startNymStandin(lab);
    burrow = await startBurrowInLab(lab, { name: 'rel-nym', env: { BURROW_NYM_SOCKS5_CLIENT: nym.client } });
    const file = join(burrow.dir, 'system.nym');
    writeFileSync(file, ['[nym]', 'Name = mixnet', 'Mode = system', `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, `DnsServer = ${nym.dnsTcp}`, 'AveragePacketDelay = 5ms', ''].join('\n'));
    expect((await burrow.cli(['settings', 'set', `leakServer=${lab.leakd.url}`])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', file])).code).toBe(0);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'mixnet'], 90_000)).data.state).toBe('connected');
    expect((await curlAsNobody(lab, 10)).ip).toBe(nym.exitIp);
  }, 180_000);
  afterAll(async () => {
    await burrow?.stop();
    await nym?.stop();
    await lab?.stop();
  });

  helperCases({
    profile: 'mixnet',
    lab: () => lab,
    burrow: () => burrow,
    allowed: () => [{ host: nym.gateway.ip, port: nym.gateway.port }],
    exitIp: () => nym.exitIp,
    // The mixnet client (runs as `proxy`, the only uid let out, to its gateway) and redsocks (netd's, which
    // takes every other program's TCP into it).
    helpers: [
      { name: 'nym-socks5-client', pid: () => pidOf(/nym-socks5-client\.mjs.* run /) },
      { name: 'redsocks', pid: () => pidOf(/^(\S*\/)?redsocks -c /) },
    ],
  });
});

describe.skipIf(!isRoot)('reliability: system-wide dVPN (stand-in myst) with myst or redsocks stopped or killed (needs root)', () => {
  let lab: Lab;
  let myst: MystStandin;
  let burrow: BurrowInLab;
  const pidOf = (pattern: RegExp): number | undefined => clientProcesses(lab).find((p) => pattern.test(p.cmdline))?.pid;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    myst = await startMystStandin(lab);
    burrow = await startBurrowInLab(lab, { name: 'rel-dvpn', env: { BURROW_MYST: myst.myst } });
    const file = join(burrow.dir, 'system.dvpn');
    writeFileSync(file, ['[dvpn]', 'Name = dvpn', 'Mode = system', 'Country = DE', `DnsServer = ${myst.dnsTcp}`, ''].join('\n'));
    expect((await burrow.cli(['settings', 'set', `leakServer=${lab.leakd.url}`])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', file])).code).toBe(0);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'dvpn'], 120_000)).data.state).toBe('connected');
    expect((await curlAsNobody(lab, 10)).ip).toBe(lab.addresses.vpn);
  }, 180_000);
  afterAll(async () => {
    await burrow?.stop();
    await myst?.stop();
    await lab?.stop();
    console.log(figuresLine('system-wide helpers', figures));
  });

  helperCases({
    profile: 'dvpn',
    lab: () => lab,
    burrow: () => burrow,
    // The provider's connection (myst's, as `proxy`) is the one allowed flow.
    allowed: () => [{ host: lab.addresses.vpn, port: PROVIDER_PORT, proto: 'tcp' }],
    exitIp: () => lab.addresses.vpn,
    helpers: [
      { name: 'myst', pid: () => pidOf(/\/myst\.mjs/) },
      { name: 'redsocks', pid: () => pidOf(/^(\S*\/)?redsocks -c /) },
    ],
  });
});
