// The reliability suite (issue 12): attacks from the network the person is on, against a connected
// WireGuard tunnel, judged on the wire (the client's outside interface) and each with its anti-test.
// - CVE-2019-14899: someone on the LAN or at the ISP sends unsolicited SYN/ACKs and SYNs to the tunnel's
//   inner address through the physical interface; any answer (an RST, an ACK) tells them which inner address
//   the person has and lets them probe connections. The answer must be silence.
// - TunnelVision (CVE-2024-3661): a rogue DHCP server pushes option-121 classless static routes (a /32 for
//   one site, or two /1s for everything) via the physical gateway; more specific than the tunnel's default,
//   they pull that traffic out of the tunnel. The lab has no DHCP client in the client namespace, so this
//   MODELS THE ROUTES the attack installs (`ip route add … via <ISP router>` in the main table), not the DHCP
//   exchange: what is tested is that the kill switch holds once such routes are there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { sleep } from './process.js';
import { curlAsNobody, figuresLine, newFigures, probeRound } from './reliability-probes.js';
import { liftFirewall, strayLines, strays, wireguardFlow } from './strays.js';

const isRoot = process.getuid?.() === 0;
const figures = newFigures();

// A raw TCP sender (python3's raw sockets; no hping3 or nping here): the kernel writes the IP header from the
// bound source address, this writes the TCP header and its checksum. argv: source, destination, then
// flags:sport:dport triples.
const RAW_SENDER = `
import socket, struct, sys
src, dst = sys.argv[1], sys.argv[2]
def csum(b):
    if len(b) % 2: b += b'\\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
s.bind((src, 0))
for i, spec in enumerate(sys.argv[3:]):
    flags, sport, dport = (int(x) for x in spec.split(':'))
    h = struct.pack('!HHIIBBHHH', sport, dport, 0x1000 + i, 0x2000 + i if flags & 0x10 else 0, 5 << 4, flags, 64240, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 6, len(h))
    h = h[:16] + struct.pack('!H', csum(pseudo + h)) + h[18:]
    s.sendto(h, (dst, 0))
print(len(sys.argv) - 3)
`;
const SYN = 0x02;
const SYN_ACK = 0x12;
/** Unsolicited SYN/ACKs from a web server's port, and SYNs to ports that are closed (the RST probe). */
const PROBES = [...Array.from({ length: 8 }, (_, i) => `${SYN_ACK}:80:${40_000 + i}`), `${SYN}:44444:22`, `${SYN}:44445:80`, `${SYN}:44446:5555`];

describe.skipIf(!isRoot)('reliability: CVE-2019-14899 and TunnelVision against a connected tunnel (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let ifname = '';
  let inner = '';

  /** Sends PROBES from the ISP router to the tunnel address; returns the wire and the tunnel as seen meanwhile. */
  const attack = async (): Promise<{ wire: Packet[]; tunnel: Packet[] }> => {
    const wire = await lab.capture('client', lab.interfaces.client, { filter: 'tcp' });
    const tunnel = await lab.capture('client', ifname, { filter: `tcp and host ${lab.addresses.ispLan}` });
    const sent = await lab.exec('isp', ['/usr/bin/python3', '-c', RAW_SENDER, lab.addresses.ispLan, inner, ...PROBES]);
    expect(sent.stdout.trim()).toBe(String(PROBES.length));
    await sleep(1500);
    return { wire: await wire.stop(), tunnel: await tunnel.stop() };
  };
  /** Whatever the client sent back to the attacker, by either way out. */
  const answers = (seen: { wire: Packet[]; tunnel: Packet[] }): Packet[] =>
    [...seen.wire, ...seen.tunnel].filter((p) => p.dst === lab.addresses.ispLan && (p.src === inner || p.src === lab.addresses.client));
  const probesArrived = (seen: { wire: Packet[] }): number => seen.wire.filter((p) => p.src === lab.addresses.ispLan && p.dst === inner).length;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab, { name: 'rel-wire' });
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
    const { data } = await burrow.cliJson<{ state: string; details: { interface: string } }>(['connect', 'lab'], 60_000);
    expect(data.state).toBe('connected');
    ifname = data.details.interface;
    const addr = (await lab.exec('client', ['ip', '-o', '-4', 'addr', 'show', 'dev', ifname])).stdout;
    inner = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(addr)?.[1] ?? '';
    expect(inner).not.toBe('');
    // The attacker (the ISP router, one hop away) routes the tunnel's inner address to the client's NIC.
    await lab.exec('isp', ['ip', 'route', 'add', `${inner}/32`, 'via', lab.addresses.client, 'dev', lab.interfaces.ispLan]);
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
    console.log(figuresLine('CVE-2019-14899 and TunnelVision', figures));
  });

  for (const allowLan of [false, true]) {
    it(`CVE-2019-14899 (allow LAN ${allowLan ? 'on' : 'off'}): SYN/ACKs and SYNs to the tunnel address from the LAN get no answer`, async () => {
      figures.cases++;
      await burrow.cliJson(['settings', 'set', `allowLan=${allowLan ? 'on' : 'off'}`]);
      const seen = await attack();
      expect(probesArrived(seen)).toBe(PROBES.length);
      const replies = answers(seen);
      figures.leaked += replies.length;
      expect(replies.map((p) => `${p.src}:${p.srcPort} > ${p.dst}:${p.dstPort}`)).toEqual([]);
      figures.faults++;
    });
  }

  it('anti-test: with Burrow’s table lifted, the same probes are answered (RSTs) and the same judge counts them', async () => {
    figures.cases++;
    await burrow.cliJson(['settings', 'set', 'allowLan=off']);
    const restore = await liftFirewall(lab);
    let seen;
    try {
      seen = await attack();
    } finally {
      await restore();
    }
    const replies = answers(seen);
    figures.antiTestLeaks += replies.length;
    expect(probesArrived(seen)).toBe(PROBES.length);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.every((p) => p.src === inner && p.proto === 'tcp')).toBe(true);
  });

  /** What option 121 would install: the echo as a /32, and the whole IPv4 space as two /1s, via the ISP router. */
  const pushedRoutes = (): string[] => [`${lab.addresses.echo}/32`, '0.0.0.0/1', '128.0.0.0/1'];
  const withPushedRoutes = async <T>(work: () => Promise<T>): Promise<T> => {
    for (const route of pushedRoutes()) await lab.exec('client', ['ip', 'route', 'add', route, 'via', lab.addresses.ispLan, 'dev', lab.interfaces.client]);
    try {
      return await work();
    } finally {
      for (const route of pushedRoutes()) await lab.exec('client', ['ip', 'route', 'del', route], { check: false });
    }
  };

  it('TunnelVision (routes modelled): with the pushed routes in the main table, nothing goes out in the clear', async () => {
    figures.cases++;
    const found = await withPushedRoutes(async () => {
      const capture = await lab.capture('client', lab.interfaces.client);
      const reply = await curlAsNobody(lab);
      // Dropped or through the tunnel, never the person's own address.
      if (reply.ok) expect(reply.ip).toBe(lab.addresses.vpn);
      const root = await lab.exec('client', ['curl', '-sS', '--max-time', '3', `${lab.leakd.url}/json`], { check: false });
      if (root.code === 0) expect(root.stdout).toContain(lab.addresses.vpn);
      await probeRound(lab, 'tunnelvision');
      return strayLines(await capture.stop(), [wireguardFlow(lab)]);
    });
    figures.leaked += found.length;
    expect(found).toEqual([]);
    figures.faults++;
    // The routes gone, the tunnel carries the echo again.
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
  });

  it('anti-test: the same routes with Burrow’s table lifted, the echo sees the person’s own address and the judge counts it', async () => {
    figures.cases++;
    const restore = await liftFirewall(lab);
    let found: Packet[];
    let reply;
    try {
      ({ found, reply } = await withPushedRoutes(async () => {
        const capture = await lab.capture('client', lab.interfaces.client);
        const r = await curlAsNobody(lab);
        return { reply: r, found: strays(await capture.stop(), [wireguardFlow(lab)]) };
      }));
    } finally {
      await restore();
    }
    figures.antiTestLeaks += found.length;
    expect(reply.ip).toBe(lab.addresses.client);
    expect(found.filter((p) => p.src === lab.addresses.client && p.dst === lab.addresses.echo && p.dstPort === 80).length).toBeGreaterThan(0);
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
  });
});
