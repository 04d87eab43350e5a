// The reliability suite (issue 12): `kill -9` of Burrow's own processes, the host (the brain) and netd (the
// hands), while a WireGuard tunnel is connected and while it is connecting. The kernel keeps the nftables
// table whoever dies, so nothing may leak during; after a restart the rules must still be, or again be,
// what the state needs, and netd must be watching them again (a table deleted after netd's restart is put
// back). The judge is the capture on the client's outside interface: every packet but the tunnel's own to
// its endpoint is a stray, and there must be 0 (probes as root and as nobody: tests/lab/reliability-probes.ts).
// The anti-test lifts Burrow's table with the host dead and the same probes and judge count > 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BURROW_WG_FWMARK } from '../../app/contract/index.js';
import { clientProcesses, startBurrowInLab, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { sleep, waitFor } from './process.js';
import { curlAsNobody, figuresLine, newFigures, probeLoop, probeRound } from './reliability-probes.js';
import { liftFirewall, netdPidIn, strayLines, strays, wireguardFlow } from './strays.js';

const isRoot = process.getuid?.() === 0;
const figures = newFigures();

describe.skipIf(!isRoot)('reliability: kill -9 of the host and of netd, connected and connecting (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;

  const pidOf = (pattern: RegExp, what: string): number => {
    const pid = clientProcesses(lab).find((p) => pattern.test(p.cmdline))?.pid;
    // Never signal a pid we did not get (as root, -1 is every process on the machine).
    if (pid === undefined || pid <= 0) throw new Error(`no ${what} in the client namespace`);
    return pid;
  };
  const hostPid = (): number => pidOf(/burrow\.mjs host\b/, 'host');
  const netdPid = (): number => {
    const pid = netdPidIn(lab);
    if (pid === undefined || pid <= 0) throw new Error('no netd in the client namespace');
    return pid;
  };
  const waitGone = (pid: number): Promise<true> => waitFor(`pid ${pid} to go`, 10_000, () => (clientProcesses(lab).some((p) => p.pid === pid) ? undefined : true));

  /** Runs `work` with probe loops as root and nobody and a capture on the wire; returns the strays. */
  const underLoad = async (tag: string, work: () => Promise<void>): Promise<string[]> => {
    const loops = [probeLoop(lab, 'root', tag), probeLoop(lab, 'nobody', tag)];
    let packets: Packet[];
    try {
      await sleep(500);
      const capture = await lab.capture('client', lab.interfaces.client);
      await work();
      await probeRound(lab, `${tag}-round`);
      packets = await capture.stop();
    } finally {
      await Promise.all(loops.map((l) => l.stop()));
    }
    const found = strayLines(packets, [wireguardFlow(lab)]);
    figures.leaked += found.length;
    return found;
  };

  /** The tunnel's fwmark as nft lists it in the connecting rules (Burrow's own, not wg-quick's 0xca6c). */
  const CONNECTING_MARK = BURROW_WG_FWMARK.toString(16);

  /** The host's tunnel state machine connecting for as long as the censor drops the handshakes. */
  const connecting = async (): Promise<void> => {
    await burrow.cliJson(['disconnect']);
    await lab.censor.dropWireguardHandshakes();
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab', '--no-wait'])).data.state).toBe('connecting');
    await waitFor('the connecting rules', 15_000, async () => ((await lab.exec('client', ['nft', 'list', 'table', 'inet', 'burrow'], { check: false })).stdout.includes(CONNECTING_MARK) ? true : undefined));
  };

  /** netd watches its table again: a deleted table is put back, and once it is back nothing leaks. */
  const tableWatched = async (tag: string): Promise<void> => {
    await lab.exec('client', ['nft', 'delete', 'table', 'inet', 'burrow']);
    // While the table is out (up to netd's one-second check) traffic does get out: that window is the
    // tamper case's own (reliability-killswitch.test.ts); here what counts is that netd repairs it at all.
    await waitFor('netd to put the table back', 10_000, async () => ((await lab.exec('client', ['nft', 'list', 'table', 'inet', 'burrow'], { check: false })).code === 0 ? true : undefined), 50);
    const found = await underLoad(tag, () => sleep(1500));
    expect(found).toEqual([]);
  };

  /** waitForState, and on a time-out the host's and netd's last words (what a person would read). */
  const settle = async (states: string[], timeoutMs: number): Promise<Record<string, unknown>> => {
    try {
      return await waitForState(burrow, states, timeoutMs);
    } catch (error) {
      const logs = (await burrow.cli(['logs', '--limit', '40'])).stdout;
      throw new Error(`${String(error)}\nhost logs:\n${logs}\nnetd log:\n${burrow.netd.log().split('\n').slice(-30).join('\n')}`, { cause: error });
    }
  };

  const reconnect = async (): Promise<void> => {
    await lab.censor.clear();
    await burrow.cliJson(['disconnect']);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab'], 60_000)).data.state).toBe('connected');
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
  };

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab, { name: 'rel-crash' });
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab'], 60_000)).data.state).toBe('connected');
  });
  afterAll(async () => {
    await lab?.censor.clear().catch(() => undefined);
    await burrow?.stop();
    await lab?.stop();
    console.log(figuresLine('kill -9 of host and netd', figures));
  });

  it('host killed while connected (lockdown on): nothing leaves; with wireguard-go killed too and nobody to restart it, curl gets nowhere', async () => {
    figures.cases++;
    // Lockdown on: a host that starts again after a crash comes up disconnected, and only lockdown keeps that
    // blocked (without it, disconnected is open by design; the report names this).
    await burrow.cliJson(['settings', 'set', 'lockdown=on']);
    const pid = hostPid();
    const found = await underLoad('host-connected', async () => {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid);
      burrow.host = undefined;
      // netd keeps the tunnel: an answer is through it (the VPN's address), never the client's own.
      const through = await curlAsNobody(lab);
      if (through.ok) expect(through.ip).toBe(lab.addresses.vpn);
      process.kill(pidOf(/^(\S*\/)?wireguard-go\b/, 'wireguard-go'), 'SIGKILL');
      await sleep(500);
      expect(await curlAsNobody(lab, 2)).toEqual({ ok: false, ip: undefined });
    });
    expect(found).toEqual([]);
    figures.faults += 2;
  });

  it('anti-test: the host dead and Burrow’s table lifted, the same probes and judge count what gets out', async () => {
    figures.cases++;
    const restore = await liftFirewall(lab);
    let found: Packet[];
    try {
      const capture = await lab.capture('client', lab.interfaces.client);
      await probeRound(lab, 'anti');
      found = strays(await capture.stop(), [wireguardFlow(lab)]);
    } finally {
      await restore();
    }
    figures.antiTestLeaks += found.length;
    // The tunnel's routing still sends most of it nowhere (its rules outlive wireguard-go); the ISP's
    // resolver on the directly attached subnet is the classic leak the firewall alone stops (shared/LAB.md).
    expect(found.filter((p) => p.dst === lab.addresses.ispResolver && p.dstPort === 53).length).toBeGreaterThan(0);
  });

  it('host restarted after the crash: locked down, nothing leaves, and it connects again', async () => {
    figures.cases++;
    const found = await underLoad('host-restart', async () => {
      await burrow.startHost();
      expect(await settle(['disconnected'], 30_000)).toMatchObject({ state: 'disconnected', lockdown: true, blocking: true });
      expect((await curlAsNobody(lab, 2)).ok).toBe(false);
      await reconnect();
    });
    expect(found).toEqual([]);
  });

  it('host killed while connecting, under lockdown: nothing leaves, and the restarted host keeps it locked down', async () => {
    figures.cases++;
    await connecting();
    const pid = hostPid();
    const found = await underLoad('host-connecting', async () => {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid);
      burrow.host = undefined;
      expect((await curlAsNobody(lab, 2)).ok).toBe(false);
      await burrow.startHost();
      expect(['disconnected', 'error']).toContain((await settle(['disconnected', 'error'], 30_000)).state);
      expect((await curlAsNobody(lab, 2)).ok).toBe(false);
    });
    expect(found).toEqual([]);
    figures.faults++;
    await tableWatched('host-connecting-watch');
    await reconnect();
    // The netd cases below start with the kill switch alone (lockdown off), then lockdown again.
    await burrow.cliJson(['settings', 'set', 'lockdown=off']);
  });

  it('netd killed while connected: nothing leaves; restarted, the blocking rules are in place and watched, and connecting again works', async () => {
    figures.cases++;
    const pid = netdPid();
    const found = await underLoad('netd-connected', async () => {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid);
      await sleep(2000);
      await burrow.startNetd();
      // The host saw netd go and kept trying under blocking rules (netd away is retried, as systemd brings
      // it back); with the new netd it connects again by itself, and the new netd holds the tunnel's rules.
      expect(await settle(['connected'], 60_000)).toMatchObject({ state: 'connected' });
      await waitFor('the tunnel rules applied to the new netd', 10_000, async () => (/"policyKind":"tunnel"/.test(await burrow.netdRaw('{"id":1,"method":"firewallStatus","params":{}}\n', 2000)) ? true : undefined), 500);
      expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
    });
    expect(found).toEqual([]);
    figures.faults++;
    await tableWatched('netd-connected-watch');
    await reconnect();
  });

  it('netd killed while connecting, under lockdown: nothing leaves; restarted, the rules are in place and watched', async () => {
    figures.cases++;
    await burrow.cliJson(['settings', 'set', 'lockdown=on']);
    await connecting();
    const pid = netdPid();
    const found = await underLoad('netd-connecting', async () => {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid);
      await sleep(2000);
      expect((await curlAsNobody(lab, 2)).ok).toBe(false);
      await burrow.startNetd();
      await sleep(3000);
      expect((await curlAsNobody(lab, 2)).ok).toBe(false);
    });
    expect(found).toEqual([]);
    figures.faults++;
    await tableWatched('netd-connecting-watch');
    await reconnect();
  });

  it('netd killed while disconnected under lockdown: restarted, the block is in place and watched', async () => {
    figures.cases++;
    expect((await burrow.cliJson(['disconnect'])).data).toEqual({ state: 'disconnected', lockedDown: true });
    const pid = netdPid();
    const found = await underLoad('netd-lockdown', async () => {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid);
      await burrow.startNetd();
      await sleep(3000);
      expect((await curlAsNobody(lab, 2)).ok).toBe(false);
    });
    expect(found).toEqual([]);
    figures.faults++;
    await tableWatched('netd-lockdown-watch');
    await burrow.cliJson(['settings', 'set', 'lockdown=off']);
    expect((await curlAsNobody(lab)).ip).toBe(lab.addresses.client);
  });
});
