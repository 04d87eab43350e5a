// A desktop with a plain resolv.conf (no systemd-resolved; NetworkManager with dns=none), and the crash
// paths of the resolver (issue 12 item 9): a rewrite by another program while connected is adopted, and
// after SIGKILL of netd, SIGTERM of netd and a hard power-off while connected the system's own resolver is
// back. The power-off is real: the guest resets itself (sysrq b) and boots the same overlay again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolversOf, startLab, type Lab } from '../lab/index.js';
import { prepareBurrowJob, uniqueNames } from './job.js';
import { bootVm, removeScratch, type VmRun } from './vm.js';

let lab: Lab;
let run: VmRun;
const names = uniqueNames(['BEFORE', 'CONNECTED', 'REWRITE', 'POWEROFF', 'REMOVED']);
const r = (name: string): string => run.results.get(name) ?? `(no result ${name})`;
const HEADER = '# Written by Burrow netd';

beforeAll(async () => {
  lab = await startLab({ tor: false });
  const job = await prepareBurrowJob(lab, 'desktop-static.sh', names);
  run = await bootVm(lab, { ...job, reboots: true, timeoutMs: 600_000 });
}, 900_000);

afterAll(async () => {
  await lab?.stop();
  removeScratch();
});

describe('desktop with a static resolv.conf', () => {
  it('boots twice (the second time after a hard reset) and runs both jobs to the end', () => {
    expect(r('boot'), run.lines.join('\n')).toBe('2');
    expect(run.jobExits).toEqual([0]);
  });

  it('connected: resolv.conf names the VPN\'s resolver, written in place; names resolve through it only', async () => {
    expect(r('connect')).toMatch(/"state": ?"connected"/);
    expect(r('connected_conf')).toContain(HEADER);
    expect(r('connected_conf')).toContain(`nameserver ${lab.addresses.publicResolver}`);
    expect(r('connected_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.CONNECTED)).toEqual([lab.addresses.publicResolver]);
  });

  it('another program\'s rewrite is noticed: the tunnel\'s resolver goes back on top, no leak', async () => {
    expect(r('rewrite_conf')).toContain(HEADER);
    expect(r('rewrite_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.REWRITE)).toEqual([lab.addresses.publicResolver]);
    const isp = lab.resolverQueries('isp').map((query) => query.name);
    for (const name of [names.CONNECTED, names.REWRITE]) expect(isp).not.toContain(name);
  });

  it('netd killed with SIGKILL: the restarted netd puts back the system\'s latest resolv.conf, removes the tunnel, keeps the firewall', () => {
    expect(r('sigkill_conf')).toContain('# written by the DHCP client');
    expect(r('sigkill_conf')).not.toContain(HEADER);
    expect(r('sigkill_links')).toBe('0');
    expect(r('sigkill_firewall')).toBe('1');
    expect(r('sigkill_backup')).toBe('');
  });

  it('netd stopped with SIGTERM while connected: resolv.conf is the system\'s again', () => {
    expect(r('sigterm_connected_conf')).toContain(HEADER);
    expect(r('sigterm_conf')).toContain('# written by the DHCP client');
    expect(r('sigterm_conf')).not.toContain(HEADER);
  });

  it('hard power-off while connected: after the boot the backup (kept in /var/lib) is back and names resolve', async () => {
    expect(r('poweroff_before_conf')).toContain(HEADER);
    expect(r('poweroff_conf')).toContain('# written by the DHCP client');
    expect(r('poweroff_conf')).not.toContain(HEADER);
    expect(r('poweroff_backup')).toBe('');
    expect(r('poweroff_links')).toBe('0');
    expect(r('poweroff_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.POWEROFF)).toEqual([lab.addresses.ispResolver]);
  });

  it('removal while netd is dead and the resolver still Burrow\'s: the pre-remove script puts the system\'s back', async () => {
    expect(r('deadnetd_before_conf')).toContain(HEADER);
    expect(r('deadnetd_state')).not.toBe('active');
    expect(r('deadnetd_backup')).toContain('backup.json');
    expect(r('deadnetd_remove_rc')).toBe('0');
    expect(r('deadnetd_remove_log')).toContain('the resolver configuration netd had replaced was put back');
    expect(r('deadnetd_conf')).toContain('# written by the DHCP client');
    expect(r('deadnetd_conf')).not.toContain(HEADER);
    expect(r('deadnetd_links')).toBe('0');
    expect(r('deadnetd_tables')).toBe('0');
    expect(r('deadnetd_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.REMOVED)).toEqual([lab.addresses.ispResolver]);
  });

  it('anti-test: before Burrow, this machine\'s names went to the ISP', async () => {
    expect(r('static_before')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.BEFORE)).toEqual([lab.addresses.ispResolver]);
  });
});
