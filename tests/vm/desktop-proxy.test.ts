// System-wide Nym and dVPN under the installed unit, with the host as a desktop user (not root): netd runs
// the Nym client and myst as burrow-nym and burrow-dvpn (native/netd/proxy-helpers.ts), inside
// burrow-netd.service's sandbox. The programs are the lab's STAND-INS (no mixnet or Mysterium network can
// exist here), bundled into the job and installed on the guest's PATH; their gateway, exit and provider
// run in the lab, reached over the ISP's LAN as a real network would be.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolversOf, startLab, type Lab } from '../lab/index.js';
import { startMystStandin, startNymStandin, type MystStandin, type NymStandin } from '../lab/standins/install.js';
import { prepareBurrowJob, uniqueNames } from './job.js';
import { bootVm, removeScratch, type VmRun } from './vm.js';

let lab: Lab;
let nym: NymStandin;
let myst: MystStandin;
let run: VmRun;
const names = uniqueNames(['NYM', 'DVPN', 'AFTER']);
const r = (name: string): string => run.results.get(name) ?? `(no result ${name})`;

/** The stand-in as the guest runs it: its bundle and data file on the job disk, the guest's Node. */
function guestWrapper(dir: string, program: string, bundle: string, envName: string, dataFile: string): void {
  copyFileSync(join(bundle), join(dir, `${program}.mjs`));
  copyFileSync(dataFile, join(dir, `${program}.json`));
  const text = `#!/bin/sh\n# STAND-IN (Burrow's VM suite): not the real ${program}.\n${envName}=/job/standins/${program}.json exec /job/bin/node /job/standins/${program}.mjs "$@"\n`;
  writeFileSync(join(dir, program), text, { mode: 0o755 });
}

beforeAll(async () => {
  lab = await startLab({ tor: false });
  [nym, myst] = await Promise.all([startNymStandin(lab), startMystStandin(lab)]);
  const job = await prepareBurrowJob(lab, 'desktop-proxy.sh', names);
  const dir = join(job.job.dir, 'standins');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  guestWrapper(dir, 'nym-socks5-client', join(nym.binDir, 'nym-socks5-client.mjs'), 'NYM_STANDIN_NETWORK', nym.networkFile);
  guestWrapper(dir, 'myst', join(myst.binDir, 'myst.mjs'), 'MYST_STANDIN_NETWORK', myst.marketFile);
  const profile = (file: string, lines: string[]): void => writeFileSync(join(job.job.dir, file), `${lines.join('\n')}\n`, { mode: 0o644 });
  profile('nym.conf', ['[nym]', 'Name = mixnet', 'Mode = system', `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, `DnsServer = ${nym.dnsTcp}`, 'AveragePacketDelay = 5ms']);
  profile('dvpn.conf', ['[dvpn]', 'Name = dvpn', 'Mode = system', 'Country = DE', `DnsServer = ${myst.dnsTcp}`]);
  run = await bootVm(lab, { ...job, timeoutMs: 600_000 });
}, 900_000);

afterAll(async () => {
  await Promise.all([nym?.stop(), myst?.stop()]);
  await lab?.stop();
  removeScratch();
});

describe('Debian desktop: system-wide Nym and dVPN for a desktop user, run by burrow-netd.service', () => {
  it('the host is alice, and both profiles import', () => {
    expect(run.jobExits, run.lines.join('\n')).toEqual([0]);
    expect(r('host_user')).toBe('alice');
    expect([r('nym_import'), r('dvpn_import')]).toEqual(['0', '0']);
  });

  it('Nym: connected, the client runs as burrow-nym, every program leaves from the stand-in exit, names through it', async () => {
    expect(r('nym_status'), `${r('nym_connect')}\n${r('netd_errors')}\n${r('host_log')}`).toMatch(/connected/);
    expect(r('nym_user').trim()).toBe('burrow-nym');
    expect(r('nym_echo')).toBe(nym.exitIp);
    expect(r('nym_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.NYM)).toEqual([lab.addresses.publicResolver]);
    expect(lab.resolverQueries('isp').map((query) => query.name)).not.toContain(names.NYM);
    expect(r('nym_disconnect')).toMatch(/disconnected/);
    expect(r('nym_after')).toBe('0');
  });

  it('dVPN: connected, myst runs as burrow-dvpn, every program leaves from the provider, names through it', async () => {
    expect(r('dvpn_status'), `${r('dvpn_connect')}\n${r('netd_errors')}\n${r('host_log')}`).toMatch(/connected/);
    expect(r('dvpn_user').trim()).toBe('burrow-dvpn');
    expect(r('dvpn_echo')).toBe(lab.addresses.vpn);
    expect(r('dvpn_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.DVPN)).toEqual([lab.addresses.publicResolver]);
    expect(lab.resolverQueries('isp').map((query) => query.name)).not.toContain(names.DVPN);
    expect(r('dvpn_disconnect')).toMatch(/disconnected/);
    expect(r('dvpn_after')).toBe('0');
  });

  it('after both, the machine is itself again (anti-test: the echo sees the guest, the ISP resolves)', async () => {
    expect(r('before_echo')).toBe(`10.${lab.octet}.6.50`);
    expect(r('after_echo')).toBe(`10.${lab.octet}.6.50`);
    expect(r('after_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.AFTER)).toEqual([lab.addresses.ispResolver]);
  });
});
