// Issue 12 item 6: the ports system-wide mode redirects every other program's TCP and DNS into are ones
// only root can bind, so no local user can bind one first and receive that traffic. Before the fix they were
// 9040/9053 (tor) and 12345/5533 (redsocks, the DNS stub), open to anyone. netd also refuses when an
// administrator made low ports bindable by everyone (net.ipv4.ip_unprivileged_port_start).
import { describe, expect, it } from 'vitest';
import { REDIRECT_PORTS, SYSTEM_PORTS, TOR_SYSTEM_PORTS } from '../../../app/contract/index.js';
import { checkPrivilegedPorts } from '../../../native/netd/privileged-ports.js';
import { canUseNetns, run } from '../firewall/netns.js';

const PORTS = Object.values(SYSTEM_PORTS);
/** Binds TCP (and UDP, as tor's DNSPort and the stub do) on 127.0.0.1:port, prints "ok" or the errno code. */
const BIND = `
const net = require('node:net'); const dgram = require('node:dgram'); const port = Number(process.argv[1]);
const server = net.createServer();
server.once('error', (e) => { console.log('tcp ' + e.code); udp(); });
server.listen(port, '127.0.0.1', () => { console.log('tcp ok'); server.close(); udp(); });
function udp() { const s = dgram.createSocket('udp4'); s.once('error', (e) => { console.log('udp ' + e.code); s.close(); }); s.bind(port, '127.0.0.1', () => { console.log('udp ok'); s.close(); }); }`;

describe('the redirect ports', () => {
  it('are privileged, distinct, and not a port a common service binds; tor’s and the redirect’s come from one table', () => {
    for (const port of PORTS) expect(port).toBeLessThan(1024);
    expect(new Set(PORTS).size).toBe(PORTS.length);
    for (const taken of [53, 853, 953]) expect(PORTS).not.toContain(taken);
    expect(TOR_SYSTEM_PORTS).toEqual({ transPort: SYSTEM_PORTS.torTransPort, dnsPort: SYSTEM_PORTS.torDnsPort });
    expect(REDIRECT_PORTS).toEqual({ redirectPort: SYSTEM_PORTS.redirectPort, dnsStubPort: SYSTEM_PORTS.dnsStubPort });
  });

  it('netd refuses when any user may bind them (ip_unprivileged_port_start lowered), and says why', () => {
    expect(() => checkPrivilegedPorts(PORTS, () => '1024\n')).not.toThrow();
    expect(() => checkPrivilegedPorts(PORTS, () => '0\n')).toThrow(/ip_unprivileged_port_start is 0 here, so any user could bind port 904, 905, 906, 907 first/);
    expect(() => checkPrivilegedPorts(PORTS, () => '906')).toThrow(/port 906, 907 first/);
    expect(() => checkPrivilegedPorts(PORTS, () => 'garbage')).toThrow(/conflict|any user could bind/);
  });

  // A fresh network namespace has the kernel's default (1024), as the lab's and a user's machine do.
  it.skipIf(!canUseNetns)('an ordinary user (nobody) cannot bind one, TCP or UDP: EACCES; root can', async () => {
    for (const port of PORTS) {
      const asNobody = await run('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$0" -e "$1" "$2"', process.execPath, BIND, String(port)]);
      expect(asNobody.stdout.trim().split('\n'), `port ${port} as nobody`).toEqual(['tcp EACCES', 'udp EACCES']);
      const asRoot = await run('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" -e "$1" "$2"', process.execPath, BIND, String(port)]);
      expect(asRoot.stdout.trim().split('\n'), `port ${port} as root`).toEqual(['tcp ok', 'udp ok']);
    }
  });
});
