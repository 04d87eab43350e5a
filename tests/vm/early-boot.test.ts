// Lockdown from the first packet, across a real reboot: Burrow installed and lockdown turned on in the first
// boot; the guest's wire (the tap) captured from before the second power-on. Until the user connects
// nothing but DHCP (and IPv6 link-local housekeeping) leaves; the connect then goes out as WireGuard to the
// VPN's endpoint only, and the echo sees the VPN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type Packet } from '../lab/index.js';
import { prepareBurrowJob, uniqueNames } from './job.js';
import { bootVm, removeScratch, type VmRun } from './vm.js';

let lab: Lab;
let run: VmRun;
const names = uniqueNames(['BLOCKED']);
const r = (name: string): string => run.results.get(name) ?? `(no result ${name})`;

beforeAll(async () => {
  lab = await startLab({ tor: false });
  const job = await prepareBurrowJob(lab, 'early-boot.sh', names);
  run = await bootVm(lab, { ...job, reboots: true, captureAfterReboot: true, timeoutMs: 600_000 });
}, 900_000);

afterAll(async () => {
  await lab?.stop();
  removeScratch();
});

const isDhcp = (p: Packet): boolean => p.proto === 'udp' && [67, 68].includes(p.srcPort ?? 0) && [67, 68].includes(p.dstPort ?? 0);
const isLinkLocalV6 = (p: Packet): boolean => p.family === 6 && (p.src.startsWith('fe80:') || p.src === '::') && (p.dst.startsWith('ff02:') || p.dst.startsWith('fe80:'));

describe('early-boot blocking across a reboot', () => {
  it('boot 1 is open and turns lockdown on; boot 2 runs to the end', () => {
    expect(r('open_echo'), run.lines.join('\n')).toBe(`10.${lab.octet}.6.50`);
    expect(r('lockdown_set')).toBe('"lockdown":true');
    expect(r('flag')).toMatch(/^allow-lan=(yes|no)$/);
    expect(r('boot')).toBe('2');
    expect(run.jobExits).toEqual([100, 0]);
  });

  it('the blocking unit ran before the network and the table was there at boot', () => {
    expect(r('early_unit')).toBe('active');
    expect(r('early_log')).toContain('Lockdown is on');
    expect(r('tables')).toContain('table inet burrow');
    // DHCP still works under the block: the guest has its lease.
    expect(r('lease')).toBe(`10.${lab.octet}.6.50/24`);
  });

  it('until the user connects, the guest reaches nothing (inside) and nothing but DHCP leaves it (on the wire)', () => {
    expect(r('blocked_echo')).toBe('FAILED');
    expect(r('blocked_dig')).not.toContain(lab.addresses.echo);
    expect(r('blocked_ping')).toBe('blocked');
    const connectAt = run.markers.get('connect');
    expect(connectAt).toBeDefined();
    // DHCP before the lease comes from 0.0.0.0.
    const fromGuest = run.packets.filter((p) => p.src === `10.${lab.octet}.6.50` || p.src === '0.0.0.0' || p.family === 6);
    const before = fromGuest.filter((p) => p.time * 1000 < connectAt!);
    // The capture was running from before power-on: it has the second boot's DHCP exchange.
    expect(before.some(isDhcp), `${run.packets.length} packets captured`).toBe(true);
    const leaked = before.filter((p) => !isDhcp(p) && !isLinkLocalV6(p));
    expect(leaked, JSON.stringify(leaked.slice(0, 5))).toEqual([]);
  });

  it('after the connect: WireGuard to the endpoint only, and the echo sees the VPN', () => {
    expect(r('connect')).toMatch(/"state": *"connected"/);
    expect(r('connected_echo')).toBe(lab.addresses.vpn);
    const guest = `10.${lab.octet}.6.50`;
    const other = run.packets.filter((p) => p.src === guest && !isDhcp(p) && !(p.proto === 'udp' && p.dst === lab.addresses.vpn && p.dstPort === 51820));
    expect(other, JSON.stringify(other.slice(0, 5))).toEqual([]);
    expect(run.packets.some((p) => p.src === guest && p.dst === lab.addresses.vpn && p.dstPort === 51820)).toBe(true);
  });
});
