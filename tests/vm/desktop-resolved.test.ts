// A Debian desktop with NetworkManager and systemd-resolved (resolv.conf = resolved's stub), booted on the
// lab's ISP LAN: Burrow installed from its .deb, netd as burrow-netd.service under its real sandbox, the
// headless host and CLI as a desktop user. WireGuard through the kernel module; DNS the way resolved
// wants it (per-link servers and `~.` on the tunnel link over D-Bus).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolversOf, startLab, type Lab } from '../lab/index.js';
import { bootVm, removeScratch, type VmRun } from './vm.js';
import { prepareBurrowJob, uniqueNames } from './job.js';
import { secondIspResolverAddress, startSecondIspResolver, type SecondResolver } from './second-resolver.js';

let lab: Lab;
let run: VmRun;
let second: SecondResolver;
const names = uniqueNames(['BEFORE', 'CONNECTED', 'RESOLVED_RESTART', 'REAPPLY', 'DHCP', 'NSS_RESOLVE', 'AFTER', 'REMOVED']);
const r = (name: string): string => run.results.get(name) ?? `(no result ${name})`;

beforeAll(async () => {
  lab = await startLab({ tor: false });
  const job = await prepareBurrowJob(lab, 'desktop-resolved.sh', names, { SECOND_RESOLVER: secondIspResolverAddress(lab) });
  second = startSecondIspResolver(lab);
  run = await bootVm(lab, { ...job, timeoutMs: 480_000, onMarker: { 'dhcp-change': () => job.lan.setDnsServers([second.address]) } });
}, 900_000);

afterAll(async () => {
  await lab?.stop();
  removeScratch();
});

describe('Debian desktop: NetworkManager + systemd-resolved', () => {
  it('boots on the ISP LAN and runs the job to the end', () => {
    expect(run.jobExits, run.lines.join('\n')).toEqual([0]);
    expect(r('resolv_conf_link')).toBe('../run/systemd/resolve/stub-resolv.conf');
    expect(r('before_echo')).toBe(`10.${lab.octet}.6.50`);
  });

  it('installs the .deb: netd runs as burrow-netd.service with the unit\'s capability set', () => {
    expect(r('dpkg_rc')).toBe('0');
    expect(r('netd_active')).toBe('active');
    expect(r('netd_user')).toBe('root');
    expect(r('netd_caps')).toContain('cap_net_admin');
    expect(r('netd_caps')).not.toContain('cap_sys_admin');
  });

  it('connects WireGuard through the kernel module with a real handshake, under rp_filter=1; the echo sees the VPN', () => {
    expect(r('rp_filter')).toBe('1');
    expect(r('import_rc')).toBe('0');
    expect(r('connect')).toMatch(/"state": ?"connected"/);
    expect(r('wg_module')).toBe('loaded');
    expect(r('wg_link_kind')).toBe('wireguard');
    expect(r('wireguard_go')).toBe('0');
    expect(r('status')).toMatch(/"implementation": ?"kernel"/);
    expect(Number(r('wg_handshake'))).toBeGreaterThan(0);
    expect(r('connected_echo')).toBe(lab.addresses.vpn);
  });

  it('DNS goes to the tunnel link in resolved: names resolve, through the VPN\'s resolver only', async () => {
    expect(r('resolved_link_dns')).toContain(lab.addresses.publicResolver);
    expect(r('resolved_link_domain')).toContain('~.');
    // Each phase's own name, the guest's answer for it, and who asked leakd for it.
    const phases = [
      ['connected_resolve', names.CONNECTED],
      ['after_resolved_restart', names.RESOLVED_RESTART],
      ['after_reapply', names.REAPPLY],
      ['dhcp_resolve', names.DHCP],
      ['nss_resolve', names.NSS_RESOLVE],
    ] as const;
    const isp = [...lab.resolverQueries('isp'), ...second.queries()].map((query) => query.name);
    for (const [result, name] of phases) {
      expect(r(result), result).toContain(lab.addresses.echo);
      expect(await resolversOf(lab, name), result).toEqual([lab.addresses.publicResolver]);
      expect(isp, result).not.toContain(name);
    }
  });

  it('survives `systemctl restart systemd-resolved`, `nmcli device reapply` and a new lease naming another ISP resolver', () => {
    expect(r('restarted_link_dns')).toContain(lab.addresses.publicResolver);
    // resolved has the new lease's server for eth0, and the tunnel link still has the VPN's.
    expect(r('dhcp_eth0_dns')).toContain(second.address);
    expect(r('dhcp_link_dns')).toContain(lab.addresses.publicResolver);
  });

  it('after disconnect the system\'s own DNS is back as the system has it now (the new lease\'s resolver), the tunnel is gone', async () => {
    expect(r('disconnect')).toMatch(/"state": ?"disconnected"/);
    expect(r('after_links')).toBe('0');
    expect(r('after_link_dns')).toContain(second.address);
    expect(r('after_echo')).toBe(`10.${lab.octet}.6.50`);
    expect(r('after_resolve')).toContain(lab.addresses.echo);
    // Anti-test: the ISP's resolvers do log this machine's queries when no tunnel is up.
    expect(second.queries().map((query) => query.name)).toContain(names.AFTER);
    expect(await resolversOf(lab, names.AFTER)).toEqual([second.address]);
    expect(await resolversOf(lab, names.BEFORE)).toEqual([lab.addresses.ispResolver]);
  });

  it('an upgrade while connected keeps the firewall table; removal deletes it and leaves DNS as the system has it', async () => {
    expect(r('upgrade_rc')).toBe('0');
    expect(r('upgrade_tables')).toBe('1');
    expect(r('upgrade_netd')).toBe('active');
    expect(r('remove_rc')).toBe('0');
    expect(r('remove_tables')).toBe('0');
    expect(r('remove_links')).toBe('0');
    expect(r('remove_link_dns')).toContain(second.address);
    expect(r('remove_resolve')).toContain(lab.addresses.echo);
    expect(await resolversOf(lab, names.REMOVED)).toEqual([second.address]);
  });
});
