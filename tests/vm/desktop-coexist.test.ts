// Burrow next to what a desktop already has (NetworkManager + systemd-resolved image): a wg-quick work VPN
// and the rules a full-tunnel wg-quick writes keep their routes and rules through Burrow's connect and
// disconnect; `systemctl restart nftables` (Debian's config flushes the whole ruleset) while connected is
// noticed, put back and told to the person, and the wire shows nothing outside the tunnel meanwhile;
// systemd's SIGKILL of netd keeps the table and the connection comes back by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type Packet } from '../lab/index.js';
import { prepareBurrowJob, uniqueNames } from './job.js';
import { bootVm, removeScratch, type VmRun } from './vm.js';

let lab: Lab;
let run: VmRun;
const names = uniqueNames(['NFT', 'KILL']);
const r = (name: string): string => run.results.get(name) ?? `(no result ${name})`;

beforeAll(async () => {
  lab = await startLab({ tor: false });
  const job = await prepareBurrowJob(lab, 'desktop-coexist.sh', names);
  run = await bootVm(lab, { ...job, captureFromStart: true, timeoutMs: 480_000 });
}, 900_000);

afterAll(async () => {
  await lab?.stop();
  removeScratch();
});

const guest = (): string => `10.${lab.octet}.6.50`;
const isDhcp = (p: Packet): boolean => p.proto === 'udp' && [67, 68].includes(p.srcPort ?? 0) && [67, 68].includes(p.dstPort ?? 0);
const isLinkLocalV6 = (p: Packet): boolean => p.family === 6 && (p.src.startsWith('fe80:') || p.src === '::') && (p.dst.startsWith('ff02:') || p.dst.startsWith('fe80:'));
const isTunnel = (p: Packet): boolean => p.proto === 'udp' && p.dst === lab.addresses.vpn && p.dstPort === 51820;
/** The guest's packets between two markers (host time; markers are polled every 100 ms). */
const between = (from: string, to: string): Packet[] => {
  const start = run.markers.get(from);
  const end = run.markers.get(to);
  if (start === undefined || end === undefined) throw new Error(`markers ${from}/${to} not seen: ${run.lines.slice(-30).join('\n')}`);
  return run.packets.filter((p) => p.time * 1000 >= start - 200 && p.time * 1000 <= end && (p.src === guest() || p.family === 6));
};
/** What left the guest outside the tunnel (DHCP and IPv6 link-local housekeeping aside). */
const strays = (packets: Packet[]): Packet[] => packets.filter((p) => !isTunnel(p) && !isDhcp(p) && !isLinkLocalV6(p));
const show = (packets: Packet[]): string => packets.slice(0, 5).map((p) => `${p.proto} ${p.src}:${p.srcPort ?? ''} → ${p.dst}:${p.dstPort ?? ''}`).join('\n');

describe('Burrow next to wg-quick, nftables.service and systemd', () => {
  it('a wg-quick work VPN and a full-tunnel wg-quick\'s rules keep their routes and rules through connect and disconnect', () => {
    expect(run.jobExits, run.lines.join('\n')).toEqual([0]);
    expect(r('wgquick_rc')).toBe('0');
    expect(r('others_before')).toContain('10.251.0.0/24 proto kernel scope link src 10.251.0.2');
    expect(r('others_before')).toContain('10.252.0.0/24 dev wg0');
    expect(r('others_before')).toContain('not from all fwmark 0xca6c lookup 51820');
    expect(r('others_before')).toContain('from all lookup main suppress_prefixlength 0');
    expect(r('connect')).toMatch(/"state": ?"connected"/);
    expect(r('connected_echo')).toBe(lab.addresses.vpn);
    expect(r('others_connected')).toBe(r('others_before'));
    expect(r('others_after')).toBe(r('others_before'));
    expect(r('wg0_after')).toBe('up');
  });

  it('`systemctl restart nftables` while connected: the table is back, the person is told, the tunnel stays', () => {
    expect(r('nft_conf_flush')).toBe('1');
    expect(r('nft_restart_rc')).toBe('0');
    expect(r('nft_table_back')).toBe('yes');
    expect(r('nft_echo')).toBe(lab.addresses.vpn);
    expect(r('nft_notice')).toContain('netd put them back');
    expect(r('nft_state')).toMatch(/"connected"/);
  });

  it('…and on the wire nothing left outside the tunnel around the restart (TCP, DNS to the ISP, ICMP)', () => {
    const window = between('nft_restart', 'nft_done');
    expect(window.some(isTunnel), `${run.packets.length} packets captured`).toBe(true);
    const leaked = strays(window);
    expect(leaked, show(leaked)).toEqual([]);
  });

  it('netd killed by systemd while connected: the table stays, netd is back, the connection comes back by itself', () => {
    expect(r('killed_tables')).toBe('1');
    expect(r('netd_back')).toBe('active');
    expect(Number(r('netd_restarts'))).toBeGreaterThanOrEqual(1);
    const story = `states ${r('after_kill_states')}\nstatus ${r('after_kill_status')}\nhost log:\n${r('kill_log')}\nnetd log:\n${r('kill_netd_log')}`;
    expect(r('after_kill_state'), story).toMatch(/"connected"/);
    expect(r('after_kill_echo'), story).toBe(lab.addresses.vpn);
    expect(r('after_kill_resolve')).not.toBe('FAILED');
    const leaked = strays(between('netd_kill', 'netd_done'));
    expect(leaked, show(leaked)).toEqual([]);
  });

  it('after the last disconnect: no Burrow link left (the work VPN stays), the link\'s DNS is the system\'s', () => {
    expect(r('final_links').trim()).toBe('wg0');
    expect(r('final_eth0_dns')).toContain(lab.addresses.ispResolver);
  });

  it('anti-test: disconnected, the same talker is on the wire outside the tunnel (the filter sees it)', () => {
    const open = strays(between('open_start', 'open_done'));
    expect(open.some((p) => p.dst === lab.addresses.echo && p.proto === 'tcp')).toBe(true);
    expect(open.some((p) => p.dst === lab.addresses.ispResolver && p.dstPort === 53)).toBe(true);
    expect(open.some((p) => p.dst === lab.addresses.echo && p.proto === 'icmp')).toBe(true);
  });
});
