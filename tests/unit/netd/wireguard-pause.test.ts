// The kill-switch probe's pause, netd side: wireguard-go really stopped (SIGSTOP) and continued, the
// tunnel's routing rules lifted and put back in wg-quick's order, wgStatus answered from before the pause,
// a pause that outlives its deadline undone by netd itself; and the host's interrupter calling all of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TunnelState } from '../../../app/domain/index.js';
import type { NetdClient } from '../../../app/netd/client.js';
import { createTunnelInterrupter } from '../../../app/netd/tunnel-interrupter.js';
import type { Runner } from '../../../native/netd/exec.js';
import { TunnelPauses } from '../../../native/netd/wireguard/pause.js';
import { capturingLogger } from './fixtures.js';

/** R (running) or S (sleeping) until stopped, then T. */
const stateOf = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').charAt(0);

/** `ip` that knows the IPv4 rules only (an IPv4-only tunnel). */
function fakeIp(): { run: Runner; calls: string[] } {
  const calls: string[] = [];
  const run: Runner = (file, args) => {
    calls.push([file, ...args].join(' '));
    const ok = args[0] === '-4' || args[2] === 'add';
    return Promise.resolve({ stdout: '', stderr: ok ? '' : 'RTNETLINK answers: No such file or directory', code: ok ? 0 : 2 });
  };
  return { run, calls };
}

let helper: ChildProcess | undefined;
afterEach(() => {
  helper?.kill('SIGKILL');
  helper = undefined;
});

const startHelper = (): number => {
  helper = spawn('sleep', ['60'], { stdio: 'ignore' });
  return helper.pid ?? -1;
};
const peers = [{ publicKey: 'x', lastHandshakeSec: 1000, rxBytes: 5, txBytes: 6 }];

describe('TunnelPauses', () => {
  it('lifts the rules of the families that have them, stops the helper, and undoes both on resume', async () => {
    const { run, calls } = fakeIp();
    const pauses = new TunnelPauses(run, capturingLogger().logger);
    const pid = startHelper();
    const paused = await pauses.pause({ ifname: 'burrow0', table: 51820, pid }, peers, 10_000);
    expect(paused).toEqual({ ifname: 'burrow0', paused: true, helperPid: pid, liftedFamilies: ['-4'] });
    expect(calls).toEqual([
      'ip -4 rule del not fwmark 51820 table 51820',
      'ip -4 rule del table main suppress_prefixlength 0',
      'ip -6 rule del not fwmark 51820 table 51820',
    ]);
    await expect.poll(() => stateOf(pid)).toBe('T');
    expect(pauses.isPaused('burrow0')).toBe(true);
    expect(pauses.peersOf('burrow0')).toEqual(peers);

    calls.length = 0;
    expect(await pauses.resume('burrow0')).toEqual({ ifname: 'burrow0', paused: false, helperPid: pid, liftedFamilies: ['-4'] });
    expect(calls).toEqual(['ip -4 rule add not fwmark 51820 table 51820', 'ip -4 rule add table main suppress_prefixlength 0']);
    await expect.poll(() => stateOf(pid)).not.toBe('T');
    expect(pauses.peersOf('burrow0')).toBeUndefined();
    expect((await pauses.resume('burrow0')).paused).toBe(false);
  });

  it('resumes by itself when nobody asks within maxMs (a host that died mid-probe)', async () => {
    const { run, calls } = fakeIp();
    const { logger, text } = capturingLogger();
    const pauses = new TunnelPauses(run, logger);
    const pid = startHelper();
    await pauses.pause({ ifname: 'burrow0', table: 51820, pid }, peers, 150);
    await expect.poll(() => stateOf(pid)).toBe('T');
    await new Promise((resolve) => setTimeout(resolve, 400));
    await expect.poll(() => stateOf(pid)).not.toBe('T');
    expect(pauses.isPaused('burrow0')).toBe(false);
    expect(calls).toContain('ip -4 rule add not fwmark 51820 table 51820');
    expect(text()).toContain('resuming the tunnel by itself');
  });

  it('release (before a tunnel goes down) continues the helper without touching routing', async () => {
    const { run, calls } = fakeIp();
    const pauses = new TunnelPauses(run, capturingLogger().logger);
    const pid = startHelper();
    await pauses.pause({ ifname: 'burrow0', table: 51820, pid }, peers, 10_000);
    calls.length = 0;
    pauses.release('burrow0');
    await expect.poll(() => stateOf(pid)).not.toBe('T');
    expect(calls).toEqual([]);
  });
});

describe('createTunnelInterrupter', () => {
  const target = { network: 'wireguard' as const, profileId: 'p1', profileName: 'lab' };
  const connected = (network: 'wireguard' | 'tor' = 'wireguard'): TunnelState => ({
    state: 'connected',
    target: { ...target, network },
    since: new Date(0).toISOString(),
    details: { interface: 'burrow0' },
  });
  const fakeNetd = (alive = true): { netd: NetdClient; calls: string[] } => {
    const calls: string[] = [];
    const answers: Record<string, unknown> = {
      wgPause: { ifname: 'burrow0', paused: true, helperPid: 9, liftedFamilies: ['-4'] },
      wgResume: { ifname: 'burrow0', paused: false, helperPid: 9, liftedFamilies: ['-4'] },
      wgStatus: { ifname: 'burrow0', exists: true, implementation: 'userspace', process: { pid: 9, alive, exitCode: null, signal: alive ? null : 'SIGKILL' }, peers: [] },
      firewallStatus: { exists: true, policyKind: 'tunnel', chains: {}, counters: { blocked_out: { packets: 3, bytes: 180 } } },
    };
    const call = (method: string, request: unknown): Promise<unknown> => {
      calls.push(`${method} ${JSON.stringify(request)}`);
      return Promise.resolve(answers[method]);
    };
    return { netd: { socketPath: '/nowhere', call } as unknown as NetdClient, calls };
  };

  it('exists only for a connected WireGuard tunnel', () => {
    const { netd } = fakeNetd();
    expect(createTunnelInterrupter(netd, { state: 'disconnected', lockedDown: false })).toBeUndefined();
    expect(createTunnelInterrupter(netd, connected('tor'))).toBeUndefined();
    expect(createTunnelInterrupter(netd, { ...connected(), details: { interface: 'eth0' } } as TunnelState)).toBeUndefined();
    expect(createTunnelInterrupter(netd, connected())).toBeDefined();
  });

  it('pauses with a deadline, reads the counters, resumes and checks wireguard-go is still there', async () => {
    const { netd, calls } = fakeNetd();
    const tunnel = createTunnelInterrupter(netd, connected(), { maxPauseMs: 5000 });
    const signal = new AbortController().signal;
    await tunnel?.stopHelper(signal);
    expect(await tunnel?.counters(signal)).toEqual({ blocked_out: { packets: 3, bytes: 180 } });
    await tunnel?.startHelper(signal);
    expect(calls).toEqual(['wgPause {"ifname":"burrow0","maxMs":5000}', 'firewallStatus {}', 'wgResume {"ifname":"burrow0"}', 'wgStatus {"ifname":"burrow0"}']);
  });

  it('startHelper fails when wireguard-go did not survive, and a cancelled probe does not pause', async () => {
    const { netd, calls } = fakeNetd(false);
    const tunnel = createTunnelInterrupter(netd, connected());
    await expect(tunnel?.startHelper(new AbortController().signal)).rejects.toThrow(/did not survive the kill-switch probe/);
    await expect(tunnel?.stopHelper(AbortSignal.abort())).rejects.toThrow(/cancelled/);
    expect(calls.filter((c) => c.startsWith('wgPause'))).toEqual([]);
  });
});
