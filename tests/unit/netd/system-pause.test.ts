// Issue 12 item 11: the kill-switch probe for the system-wide networks. netd stops the helper its redirect
// leads into (tor under tor-system, redsocks under socks-redirect) only while that policy is in place, never
// signals a pid that is not a process, resumes on request, by its deadline, and before the helper is stopped;
// the host's interrupter for Tor, Nym and dVPN goes through these commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TunnelState } from '../../../app/domain/index.js';
import type { NetdClient } from '../../../app/netd/client.js';
import { createTunnelInterrupter } from '../../../app/netd/tunnel-interrupter.js';
import { createHandlers } from '../../../native/netd/handlers.js';

/** R or S while it runs, T while stopped. */
const stateOf = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').charAt(0);
/** Signals arrive asynchronously: the state a pid settles in within a second. */
async function settled(pid: number, stopped: boolean): Promise<string> {
  for (let i = 0; i < 100 && (stateOf(pid) === 'T') !== stopped; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return stateOf(pid);
}
const caller = { uid: () => Promise.resolve(0) };
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function helperProcess(): number {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  if (child.pid === undefined) throw new Error('sleep did not start');
  return child.pid;
}

function handlersWith(keptKind: string | undefined, pids: { tor?: number | null; redsocks?: number | null }, check: 'ok' | 'failed' = 'ok') {
  const stopped: string[] = [];
  const status = (pid: number | null | undefined) => ({ running: pid !== undefined && pid !== null, pid: pid ?? null });
  const handlers = createHandlers({
    firewall: { keptKind, check: () => Promise.resolve(check) },
    tor: { status: () => status(pids.tor), stop: () => Promise.resolve(void stopped.push('tor')) },
    redirect: { status: () => status(pids.redsocks), stop: () => Promise.resolve(void stopped.push('redsocks')) },
  } as never);
  return { handlers, stopped };
}

describe('systemPause', () => {
  it.each([
    ['no policy', undefined, 'ok'],
    ['the block policy', 'block', 'ok'],
    ['a WireGuard tunnel policy', 'tunnel', 'ok'],
    ['a tor-system table netd could not put back', 'tor-system', 'failed'],
  ] as const)('refuses under %s, and stops nothing', async (_what, kind, check) => {
    const pid = helperProcess();
    const { handlers } = handlersWith(kind, { tor: pid, redsocks: pid }, check);
    await expect(handlers.systemPause({ maxMs: 1000 }, caller)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/netd will not pause the system-wide helper/) as unknown });
    // Long enough for a SIGSTOP to have landed, had one been sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stateOf(pid)).not.toBe('T');
  });

  it('refuses when no helper runs, and never signals a pid that is not a process', async () => {
    for (const pid of [null, -1, 0]) {
      const { handlers } = handlersWith('socks-redirect', { redsocks: pid });
      const answer = await handlers.systemPause({ maxMs: 1000 }, caller).catch((error: unknown) => error);
      expect(answer).toMatchObject(pid === null ? { code: 'conflict' } : { paused: false, helper: null });
    }
  });

  it('stops tor when it runs, else redsocks (Nym, and dVPN under the tor-system shape), and lets it run again on request', async () => {
    const tor = helperProcess();
    const redsocks = helperProcess();
    // dVPN: the tor-system policy shape with redsocks behind it, and no tor (failed before: netd looked for tor).
    const cases = [['tor-system', tor, 'tor', tor], ['socks-redirect', redsocks, 'redsocks', null], ['tor-system', redsocks, 'redsocks', null]] as const;
    for (const [kind, pid, name, torPid] of cases) {
      const { handlers } = handlersWith(kind, { tor: torPid, redsocks });
      expect(await handlers.systemPause({ maxMs: 10_000 }, caller)).toEqual({ paused: true, helper: name, helperPid: pid });
      expect(await settled(pid, true)).toBe('T');
      expect(await handlers.systemResume({}, caller)).toEqual({ paused: false, helper: name, helperPid: pid });
      expect(await settled(pid, false)).not.toBe('T');
    }
  });

  it('resumes by itself after maxMs, and before the helper is stopped for good', async () => {
    const pid = helperProcess();
    const { handlers, stopped } = handlersWith('tor-system', { tor: pid });
    await handlers.systemPause({ maxMs: 100 }, caller);
    expect(await settled(pid, true)).toBe('T');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await settled(pid, false)).not.toBe('T');
    await handlers.systemPause({ maxMs: 10_000 }, caller);
    expect(await settled(pid, true)).toBe('T');
    await handlers.torSystemStop({}, caller);
    expect(stopped).toEqual(['tor']);
    expect(await settled(pid, false)).not.toBe('T');
  });
});

describe('the host’s interrupter for system-wide networks', () => {
  const connected = (network: 'tor' | 'nym' | 'dvpn'): TunnelState => ({
    state: 'connected',
    target: { network, profileId: 'p1', profileName: 'sys' },
    since: new Date(0).toISOString(),
    details: {},
  });

  it('pauses through netd with a deadline, reads the counters and resumes', async () => {
    const calls: string[] = [];
    const answers: Record<string, unknown> = {
      systemPause: { paused: true, helper: 'redsocks', helperPid: 7 },
      systemResume: { paused: false, helper: 'redsocks', helperPid: 7 },
      firewallStatus: { counters: { blocked_out: { packets: 0, bytes: 0 } } },
    };
    const netd = {
      socketPath: '/nonexistent',
      call: (method: string, request: unknown) => {
        calls.push(`${method} ${JSON.stringify(request)}`);
        return Promise.resolve(answers[method]);
      },
    } as unknown as NetdClient;
    for (const network of ['tor', 'nym', 'dvpn'] as const) {
      const tunnel = createTunnelInterrupter(netd, connected(network), { maxPauseMs: 5000 });
      const signal = new AbortController().signal;
      await tunnel?.stopHelper(signal);
      await tunnel?.counters(signal);
      await tunnel?.startHelper(signal);
      await expect(tunnel?.stopHelper(AbortSignal.abort())).rejects.toThrow(/cancelled/);
    }
    expect(calls).toEqual(Array.from({ length: 3 }, () => ['systemPause {"maxMs":5000}', 'firewallStatus {}', 'systemResume {}']).flat());
  });
});
