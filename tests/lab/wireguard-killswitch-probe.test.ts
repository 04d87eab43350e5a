// The kill-switch probe as a person runs it: `burrow leaktest --tests killSwitch --json` through Burrow's own
// WireGuard tunnel. netd pauses wireguard-go and lifts the tunnel's routing rules, so only the firewall is
// left between the probe's requests and the outside: the verdict must be "passed" with the refusals counted,
// a capture on the client's outside interface must see nothing but the tunnel's own packets, the state must
// never leave `connected`, and the tunnel must carry traffic again afterwards. The anti-test takes the
// firewall away and the same probe must report the leak. Plus the lockdown flag netd keeps for the next boot.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeakVerdict } from '../../app/domain/index.js';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { waitFor } from './process.js';
import { strayLines, strays, wireguardFlow } from './strays.js';

const isRoot = process.getuid?.() === 0;

interface ProbeEvidence {
  sent: number;
  gotOut: number;
  seenAs: string[];
  counterDelta: Record<string, number> | null;
  restartError: string | null;
}

describe.skipIf(!isRoot)('the kill-switch probe through Burrow’s WireGuard tunnel (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  /** Every packet on the client's NIC that is not the tunnel's own (tests/lab/strays.ts). */
  const leaks = (packets: Packet[]): string[] => strayLines(packets, [wireguardFlow(lab)]);

  const probe = async (): Promise<{ verdict: LeakVerdict; evidence: ProbeEvidence }> => {
    const { code, data } = await burrow.cliJson<{ verdicts: LeakVerdict[] }>(['leaktest', '--tests', 'killSwitch'], 60_000);
    expect(code).toBe(0);
    expect(data.verdicts.map((v) => v.test)).toEqual(['killSwitch']);
    const verdict = data.verdicts[0] as LeakVerdict;
    return { verdict, evidence: verdict.evidence as unknown as ProbeEvidence };
  };

  const logs = async (): Promise<string> => (await burrow.cli(['logs', '--limit', '300'])).stdout;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab);
    expect((await burrow.cli(['settings', 'set', `leakServer=${lab.leakd.url}`])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
  });

  it('with the kill switch on: passes, the firewall counted the refusals, nothing but the tunnel left, and the tunnel carries again', async () => {
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab'], 60_000)).data.state).toBe('connected');
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
    const logsBefore = await logs();
    const capture = await lab.capture('client', lab.interfaces.client);
    const { verdict, evidence } = await probe();
    const packets = await capture.stop();

    expect(verdict).toMatchObject({ test: 'killSwitch', verdict: 'passed', network: 'wireguard' });
    expect(evidence.sent).toBeGreaterThan(5);
    expect(evidence.gotOut).toBe(0);
    expect(evidence.counterDelta?.blocked_out).toBeGreaterThan(0);
    expect(evidence.restartError).toBeNull();
    expect(verdict.summary).toMatch(/none of \d+ requests got out and the firewall refused \d+ packets/);
    // The probe's requests really took the physical route (rules lifted) and were refused there: no packet
    // to the leak server or anywhere else reached the wire.
    expect(leaks(packets)).toEqual([]);

    // The supervisor never saw the pause as a lost tunnel.
    const during = (await logs()).slice(logsBefore.length);
    expect(during).not.toMatch(/The tunnel was lost|State: (error|connecting)/);
    expect((await burrow.cliJson<{ state: string }>(['status'])).data.state).toBe('connected');
    // netd's own log: paused, then resumed on request (not by its deadline).
    const netdLog = burrow.netd.log();
    expect(netdLog).toContain('tunnel paused for the kill-switch probe');
    expect(netdLog).toContain('tunnel resumed after the kill-switch probe');
    expect(netdLog).not.toContain('resuming the tunnel by itself');
    // Back: the routing rules are in place and traffic goes through the tunnel again.
    const rules = (await lab.exec('client', ['ip', '-4', 'rule'])).stdout;
    // Burrow's own table and priorities (native/netd/wireguard/routing.ts), not wg-quick's 51820.
    // And Burrow's own mark (0x6275, as its table), not wg-quick's and NetworkManager's 51820 (0xca6c).
    expect(rules).toMatch(/25205:\s+not from all fwmark 0x6275 lookup 25205/);
    expect(rules).toMatch(/25204:\s+from all lookup main suppress_prefixlength 0/);
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
  });

  it('with the firewall taken away, netd refuses to interrupt the tunnel: the probe says why and never passes (and the tunnel comes back)', async () => {
    // The capture-level anti-test (the same judge counting a real leak with Burrow's table gone) lives in
    // wireguard-killswitch.test.ts: netd now refuses to lift a tunnel's routes unless its tunnel policy is
    // in place, so this probe can no longer make the leak it would measure; what a person must see instead
    // is that nothing was tested, never a pass.
    const cleared = JSON.parse(await burrow.netdRaw('{"id":1,"method":"clearFirewall","params":{}}\n', 2000)) as { ok: boolean };
    expect(cleared.ok).toBe(true);
    const capture = await lab.capture('client', lab.interfaces.client);
    const { verdict } = await probe();
    const packets = await capture.stop();
    expect(verdict.verdict).not.toBe('passed');
    expect(JSON.stringify(verdict)).toMatch(/will not pause/);
    // Not interrupted, the tunnel carried the probe's requests: nothing outside it on the wire.
    expect(strays(packets, [wireguardFlow(lab)]).length).toBe(0);
    // Restore the rules the host holds (it re-applies on a real change of policy).
    await burrow.cliJson(['disconnect']);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab'], 60_000)).data.state).toBe('connected');
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
  });

  it('netd keeps the lockdown flag for the next boot in step with the settings (in the lab’s run dir)', async () => {
    const flag = join(burrow.dir, 'lockdown');
    const read = (): string | undefined => {
      try {
        return readFileSync(flag, 'utf8');
      } catch {
        return undefined;
      }
    };
    await burrow.cliJson(['settings', 'set', 'lockdown=on', 'allowLan=off']);
    await waitFor('the lockdown flag', 5000, () => Promise.resolve(read() === 'allow-lan=no\n' ? true : undefined));
    const stats = statSync(flag);
    expect(stats.uid).toBe(0);
    expect(stats.mode & 0o777).toBe(0o644);
    await burrow.cliJson(['settings', 'set', 'allowLan=on']);
    await waitFor('allow-lan=yes', 5000, () => Promise.resolve(read() === 'allow-lan=yes\n' ? true : undefined));
    await burrow.cliJson(['settings', 'set', 'lockdown=off', 'allowLan=off']);
    await waitFor('the flag to go', 5000, () => Promise.resolve(read() === undefined ? true : undefined));
    // netd refuses anything but the two booleans (a path, for one).
    const refused = JSON.parse(await burrow.netdRaw('{"id":2,"method":"setLockdownFlag","params":{"lockdown":true,"allowLan":false,"path":"/etc/x"}}\n', 2000)) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(read()).toBeUndefined();
  });
});
