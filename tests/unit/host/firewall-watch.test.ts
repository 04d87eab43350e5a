// The host's half of issue 12 item 3: netd's reports of a table put back reach the person, and a table
// netd could not put back is applied again through the supervisor.
import { describe, expect, it } from 'vitest';
import type { FirewallStatus } from '../../../app/contract/index.js';
import { watchFirewall } from '../../../app/host/firewall-watch.js';
import type { NetdClient } from '../../../app/netd/client.js';

function fakeNetd(status: () => FirewallStatus): NetdClient {
  return { socketPath: '/nonexistent', call: () => Promise.resolve(status()) } as unknown as NetdClient;
}
const base: FirewallStatus = { exists: true, policyKind: 'block', chains: {}, counters: {} };

describe('watchFirewall', () => {
  it('tells the person once per repair, and re-applies when netd could not', async () => {
    let status: FirewallStatus = base;
    const logs: string[] = [];
    let reapplied = 0;
    const watch = watchFirewall({
      netd: fakeNetd(() => status),
      reapply: () => {
        reapplied++;
        return Promise.resolve();
      },
      log: (level, message) => logs.push(`${level}: ${message}`),
      intervalMs: 3_600_000,
    });
    try {
      await watch.check();
      expect(watch.notice).toBeUndefined();
      status = { ...base, watch: { repairs: 1, broken: false, lastProblem: 'table inet burrow does not exist' } };
      await watch.check();
      await watch.check();
      expect(logs).toEqual([expect.stringMatching(/^warn: Something removed or changed Burrow's firewall rules \(table inet burrow does not exist\); netd put them back\./)]);
      expect(watch.notice).toMatch(/netd put them back/);
      expect(reapplied).toBe(0);
      status = { ...base, exists: false, watch: { repairs: 1, broken: true, lastProblem: 'table inet burrow does not exist' } };
      await watch.check();
      expect(reapplied).toBe(1);
      expect(watch.notice).toMatch(/could not put them back/);
    } finally {
      watch.stop();
    }
  });

  it('a netd that does not answer changes nothing', async () => {
    const netd = { socketPath: '/nonexistent', call: () => Promise.reject(new Error('ECONNREFUSED')) } as unknown as NetdClient;
    let reapplied = 0;
    const watch = watchFirewall({ netd, reapply: () => Promise.resolve(void reapplied++), log: () => undefined, intervalMs: 3_600_000 });
    await watch.check();
    watch.stop();
    expect(reapplied).toBe(0);
    expect(watch.notice).toBeUndefined();
  });

  it('a restarted netd (it has applied nothing) gets the rules again, and its repairs are counted from zero', async () => {
    // Failed before the fix: the watch only read `watch`, so a new netd with no policy was never re-applied.
    let status: FirewallStatus = { ...base, watch: { repairs: 3, broken: false, lastProblem: 'x' } };
    const logs: string[] = [];
    let reapplied = 0;
    const watch = watchFirewall({ netd: fakeNetd(() => status), reapply: () => Promise.resolve(void reapplied++), log: (level, message) => logs.push(`${level}: ${message}`), intervalMs: 3_600_000 });
    try {
      await watch.check();
      expect(reapplied).toBe(0);
      status = { ...base, policyKind: 'none' };
      await watch.check();
      expect(reapplied).toBe(1);
      expect(logs.at(-1)).toMatch(/^warn: netd was restarted/);
      // Applied again: the new netd's first repair is told, although the old one had made three.
      status = { ...base, watch: { repairs: 1, broken: false, lastProblem: 'table inet burrow does not exist' } };
      await watch.check();
      expect(logs.at(-1)).toMatch(/netd put them back/);
      expect(reapplied).toBe(1);
    } finally {
      watch.stop();
    }
  });
});
