// System-wide Tor under the installed unit, on a Debian desktop with NetworkManager and systemd-resolved:
// netd (burrow-netd.service, its real sandbox) starts tor, which drops to its own user; the echo sees the
// lab's Tor exit, names are asked by the exit's resolver only (resolved's own queries go to tor's
// DNSPort too), and after the disconnect tor is gone and the machine is itself again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolversOf, startLab, type Lab } from '../lab/index.js';
import { prepareBurrowJob, uniqueNames } from './job.js';
import { bootVm, removeScratch, type VmRun } from './vm.js';

let lab: Lab;
let run: VmRun;
const names = uniqueNames(['TOR', 'AFTER']);
const r = (name: string): string => run.results.get(name) ?? `(no result ${name})`;

beforeAll(async () => {
  lab = await startLab({ tor: true, vpn: false });
  const job = await prepareBurrowJob(lab, 'desktop-tor.sh', names);
  const profile = ['[tor]', 'Mode system', ...lab.tor!.dirAuthorityLines, 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67', ''];
  writeFileSync(join(job.job.dir, 'tor.conf'), profile.join('\n'), { mode: 0o644 });
  run = await bootVm(lab, { ...job, timeoutMs: 600_000 });
}, 900_000);

afterAll(async () => {
  await lab?.stop();
  removeScratch();
});

describe('Debian desktop: system-wide Tor under burrow-netd.service', () => {
  it('connects: netd started tor under the unit, and tor runs as its own user, not root', () => {
    expect(run.jobExits, run.lines.join('\n')).toEqual([0]);
    expect(r('import_rc')).toBe('0');
    expect(r('status'), `${r('connect')}\n${r('netd_errors')}\n${r('host_log')}`).toMatch(/connected/);
    expect(r('tor_users').trim()).not.toBe('');
    expect(r('tor_users')).not.toMatch(/\broot\b/);
  });

  it('every program goes through Tor: the echo sees the exit', () => {
    expect(r('before_echo')).toBe(`10.${lab.octet}.6.50`);
    expect(r('connected_echo')).toBe(lab.addresses.tor.exit);
  });

  // Found by this test's first runs: glibc asks resolved's stub (127.0.0.53), which the tor-system rules
  // refused as "another resolver", so no name resolved. The stub now goes to tor's DNSPort as 127.0.0.1 does.
  it('names resolve through the stub and tor\'s DNSPort, asked by the exit\'s resolver only', async () => {
    const paths = ['dig_torport', 'dig_stub', 'dig_isp', 'resolve_again', 'resolved_status', 'resolved_log'].map((name) => `${name}: ${r(name)}`).join('\n');
    expect(r('connected_resolve'), paths).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.TOR)).toEqual([lab.addresses.publicResolver]);
    expect(lab.resolverQueries('isp').map((query) => query.name)).not.toContain(names.TOR);
  });

  it('after the disconnect tor is gone and the machine is itself again (anti-test: the ISP asks)', async () => {
    expect(r('disconnect')).toMatch(/disconnected/);
    expect(r('after_tor')).toBe('0');
    expect(r('after_echo')).toBe(`10.${lab.octet}.6.50`);
    expect(r('after_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.AFTER)).toEqual([lab.addresses.ispResolver]);
  });
});
