// The kill-switch probe's pause, netd side: wireguard-go really stopped (SIGSTOP) and continued, the
// tunnel's routing rules (Burrow's own, by priority) lifted and put back, wgStatus answered from before the pause,
// a pause that outlives its deadline undone by netd itself; and the host's interrupter calling all of it.
// The routing side runs the real `ip` in a throwaway namespace and reads the kernel's rules back.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TunnelState } from '../../../app/domain/index.js';
import type { NetdClient } from '../../../app/netd/client.js';
import { createTunnelInterrupter } from '../../../app/netd/tunnel-interrupter.js';
import type { Runner } from '../../../native/netd/exec.js';
import { TunnelPauses } from '../../../native/netd/wireguard/pause.js';
import { BURROW_TABLE, tunnelRules } from '../../../native/netd/wireguard/routing.js';
import { IP, Netns, canUseNetns } from '../firewall/netns.js';
import { capturingLogger } from './fixtures.js';

/** R (running) or S (sleeping) until stopped, then T. */
const stateOf = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').charAt(0);

/** The routing rules of a namespace, one family, as `ip rule` lists them. */
const rules = async (ns: Netns, family: '-4' | '-6'): Promise<string> => ns.execOk([IP, family, 'rule']);

/**
 * The real `ip` inside a throwaway namespace that holds an IPv4-only tunnel's rules, added as netd's routing
 * adds them; failing like netd's own runner (native/netd/exec.ts) unless asked not to.
 */
const FWMARK = 51820;
async function realIp(ns: Netns): Promise<{ run: Runner; calls: string[] }> {
  for (const rule of tunnelRules(FWMARK, BURROW_TABLE)) await ns.execOk([IP, '-4', 'rule', 'add', ...rule.add]);
  const calls: string[] = [];
  const run: Runner = async (file, args, options = {}) => {
    expect(file).toBe('ip');
    calls.push([file, ...args].join(' '));
    const result = await ns.exec([IP, ...args]);
    const code = result.code ?? -1;
    if (code !== 0 && options.allowFailure !== true) throw new Error(`ip ${args.join(' ')} failed (exit ${code}): ${result.stderr.trim()}`);
    return { stdout: result.stdout, stderr: result.stderr, code };
  };
  return { run, calls };
}

let helper: ChildProcess | undefined;
let ns: Netns | undefined;
afterEach(async () => {
  helper?.kill('SIGKILL');
  helper = undefined;
  await ns?.destroy();
  ns = undefined;
});

const startHelper = (): number => {
  helper = spawn('sleep', ['60'], { stdio: 'ignore' });
  // Never hand on a pid we did not get (signalling -1 as root reaches every process).
  if (helper.pid === undefined) throw new Error('could not start the stand-in helper process');
  return helper.pid;
};
const newNetns = async (): Promise<Netns> => {
  ns = new Netns();
  await ns.create();
  return ns;
};
const peers = [{ publicKey: 'x', lastHandshakeSec: 1000, rxBytes: 5, txBytes: 6 }];

describe.skipIf(!canUseNetns)('TunnelPauses, with the real ip in a throwaway namespace (needs root)', () => {
  it('lifts the rules of the families that have them, stops the helper, and puts both back on resume', async () => {
    const space = await newNetns();
    const { run, calls } = await realIp(space);
    const before4 = await rules(space, '-4');
    const before6 = await rules(space, '-6');
    expect(before4).toMatch(new RegExp(`not from all fwmark 0xca6c lookup ${BURROW_TABLE}`));
    expect(before4).toMatch(/from all lookup main suppress_prefixlength 0/);
    const pauses = new TunnelPauses(run, capturingLogger().logger);
    const pid = startHelper();
    const paused = await pauses.pause({ ifname: 'burrow0', table: BURROW_TABLE, fwmark: FWMARK, pid }, peers, 10_000);
    expect(paused).toEqual({ ifname: 'burrow0', paused: true, helperPid: pid, liftedFamilies: ['-4'] });
    // The kernel's rules, not a list of commands: the tunnel's two are gone, IPv6 (which had none) untouched.
    const during = await rules(space, '-4');
    expect(during).not.toMatch(/fwmark 0xca6c|suppress_prefixlength/);
    expect(await rules(space, '-6')).toBe(before6);
    expect(calls).toContain(`ip -6 rule del ${tunnelRules(FWMARK, BURROW_TABLE)[0]?.del.join(' ')}`);
    await expect.poll(() => stateOf(pid)).toBe('T');
    expect(pauses.isPaused('burrow0')).toBe(true);
    expect(pauses.peersOf('burrow0')).toEqual(peers);

    expect(await pauses.resume('burrow0')).toEqual({ ifname: 'burrow0', paused: false, helperPid: pid, liftedFamilies: ['-4'] });
    // Back exactly as netd had them: same rules, same priorities, same order.
    expect(await rules(space, '-4')).toBe(before4);
    expect(await rules(space, '-6')).toBe(before6);
    await expect.poll(() => stateOf(pid)).not.toBe('T');
    expect(pauses.peersOf('burrow0')).toBeUndefined();
    expect((await pauses.resume('burrow0')).paused).toBe(false);
  });

  it('resumes by itself when nobody asks within maxMs (a host that died mid-probe)', async () => {
    const space = await newNetns();
    const { run } = await realIp(space);
    const before4 = await rules(space, '-4');
    const { logger, text } = capturingLogger();
    const pauses = new TunnelPauses(run, logger);
    const pid = startHelper();
    await pauses.pause({ ifname: 'burrow0', table: BURROW_TABLE, fwmark: FWMARK, pid }, peers, 150);
    await expect.poll(() => stateOf(pid)).toBe('T');
    // No sleep of a guessed length: wait for the behaviour (netd's own resume) itself.
    await expect.poll(() => pauses.isPaused('burrow0'), { timeout: 5000 }).toBe(false);
    await expect.poll(() => stateOf(pid)).not.toBe('T');
    // The pause ends (and the helper runs) before the rules are back: wait for the rules themselves.
    await expect.poll(() => rules(space, '-4'), { timeout: 5000 }).toBe(before4);
    expect(text()).toContain('resuming the tunnel by itself');
  });

  it('release (before a tunnel goes down) continues the helper without touching routing', async () => {
    const space = await newNetns();
    const { run, calls } = await realIp(space);
    const pauses = new TunnelPauses(run, capturingLogger().logger);
    const pid = startHelper();
    await pauses.pause({ ifname: 'burrow0', table: BURROW_TABLE, fwmark: FWMARK, pid }, peers, 10_000);
    const during = await rules(space, '-4');
    calls.length = 0;
    pauses.release('burrow0');
    await expect.poll(() => stateOf(pid)).not.toBe('T');
    expect(calls).toEqual([]);
    expect(await rules(space, '-4')).toBe(during);
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

  it('exists only for a connected tunnel (WireGuard on a valid interface; Tor, Nym and dVPN through netd’s system pause)', () => {
    const { netd } = fakeNetd();
    expect(createTunnelInterrupter(netd, { state: 'disconnected', lockedDown: false })).toBeUndefined();
    expect(createTunnelInterrupter(netd, connected('tor'))).toBeDefined();
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
