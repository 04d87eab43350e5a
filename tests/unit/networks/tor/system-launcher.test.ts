// The host's side of system-wide Tor against a fake netd: while netd's tor runs, resolv.conf names 127.0.0.1
// (the one resolver the tor-system policy sends to DNSPort), and stopping puts the original back.
import { describe, expect, it } from 'vitest';
import { TOR_SYSTEM_PORTS, type NetdCommandName } from '../../../../app/contract/index.js';
import { TOR_SYSTEM_RESOLVER } from '../../../../app/firewall/index.js';
import type { NetdClient } from '../../../../app/netd/client.js';
import type { CheckedTorConfig } from '../../../../app/networks/tor/config.js';
import { systemLauncher } from '../../../../app/networks/tor/system-launcher.js';

const CONFIG: CheckedTorConfig = { version: 1, mode: 'system', useBridges: false, bridges: [], dirAuthorities: [], options: {}, parsedBridges: [] };

function fakeNetd(fail: Partial<Record<NetdCommandName, string>> = {}): { netd: NetdClient; calls: [NetdCommandName, unknown][] } {
  const calls: [NetdCommandName, unknown][] = [];
  const answers: Partial<Record<NetdCommandName, unknown>> = {
    torSystemStart: { pid: 42, controlSocket: '/run/x/control', torUid: 4242, user: 'burrow-tor', socksPort: 9150, ...TOR_SYSTEM_PORTS },
    torSystemStop: { stopped: true },
    setDns: { set: true },
    restoreDns: { restored: true },
  };
  const netd = {
    socketPath: '/fake',
    call: (method: NetdCommandName, request: unknown) => {
      calls.push([method, request]);
      const problem = fail[method];
      return problem === undefined ? Promise.resolve(answers[method]) : Promise.reject(new Error(problem));
    },
  } as unknown as NetdClient;
  return { netd, calls };
}

const launch = (netd: NetdClient) => systemLauncher({ netd, uid: 1000 }).launch({ profileId: 'p', config: CONFIG, signal: new AbortController().signal });

describe('system-wide Tor and the system resolver', () => {
  it('points resolv.conf at 127.0.0.1 once tor runs, and restores it after stopping tor (once)', async () => {
    const { netd, calls } = fakeNetd();
    const launched = await launch(netd);
    expect(TOR_SYSTEM_RESOLVER).toBe('127.0.0.1');
    expect(calls.map(([method]) => method)).toEqual(['torSystemStart', 'setDns']);
    expect(calls[1]?.[1]).toEqual({ servers: ['127.0.0.1'], search: [] });
    await launched.stop();
    await launched.stop();
    expect(calls.map(([method]) => method)).toEqual(['torSystemStart', 'setDns', 'torSystemStop', 'restoreDns']);
    expect(launched.running()).toBe(false);
  });

  it('restores resolv.conf even when stopping tor fails, and reports the failure', async () => {
    const { netd, calls } = fakeNetd({ torSystemStop: 'netd went away' });
    const launched = await launch(netd);
    await expect(launched.stop()).rejects.toThrow('netd went away');
    expect(calls.map(([method]) => method)).toContain('restoreDns');
  });

  it('stops tor again when the resolver cannot be set', async () => {
    const { netd, calls } = fakeNetd({ setDns: 'read-only file system' });
    await expect(launch(netd)).rejects.toThrow('read-only file system');
    expect(calls.map(([method]) => method)).toEqual(['torSystemStart', 'setDns', 'torSystemStop', 'restoreDns']);
  });
});
