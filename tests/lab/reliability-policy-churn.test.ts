// The reliability suite (issue 12): 1,000 policy changes under a high-rate probe, with no gap. netd is
// asked to switch between the blocking policies a connect walks through (block, the tunnel's rules while
// connecting, the tunnel's rules connected) a thousand times, while programs in the client namespace, as
// root and as nobody, send UDP, TCP and DNS as fast as they can to places none of those policies allows.
// Every apply is one nft transaction, so the wire must never see one of those packets. The anti-test
// applies `open` for a moment at the end, and the same capture and judge do see the probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FirewallPolicy } from '../../app/firewall/index.js';
import { createNetdClient } from '../../app/netd/client.js';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { sleep, type LabProcess } from './process.js';
import { NOBODY } from './reliability-probes.js';
import { describePacket, strays } from './strays.js';

const isRoot = process.getuid?.() === 0;
const CHANGES = 1000;

/** As fast as it can: UDP to the echo and the VPN endpoint (unmarked), a TCP SYN, a DNS query to the ISP. */
const PROBE = `
import socket, sys, time
echo, endpoint, port, resolver = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sent = 0
query = bytes.fromhex('abcd01000001000000000000') + b'\\x05churn\\x04leak\\x03lab\\x00' + bytes.fromhex('00010001')
while True:
    for target in ((echo, 9), (endpoint, port), (resolver, 53)):
        try:
            u.sendto(b'CHURN-MARK %d' % sent if target[1] != 53 else query, target)
        except OSError:
            pass
    if sent % 10 == 0:
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setblocking(False)
        try:
            t.connect((echo, 80))
        except OSError:
            pass
        t.close()
    sent += 1
    if sent % 1000 == 0:
        print(sent, flush=True)
    time.sleep(0.0005)
`;

describe.skipIf(!isRoot)('reliability: 1,000 policy changes under a high-rate probe (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let policies: FirewallPolicy[];
  const probes: LabProcess[] = [];

  /** The probe's packets on the wire: what the client sent to any of its targets. */
  const probePackets = (packets: Packet[]): Packet[] => {
    const a = lab.addresses;
    const [endpoint = ''] = (lab.wireguard?.endpoint ?? '').split(':');
    return packets.filter((p) => p.src === a.client && (p.dst === a.echo || p.dst === endpoint || (p.dst === a.ispResolver && p.dstPort === 53)));
  };

  const startProbes = (): void => {
    const a = lab.addresses;
    const [endpoint = '', port = '51820'] = (lab.wireguard?.endpoint ?? '').split(':');
    for (const user of ['root', 'nobody'] as const) {
      const argv = ['python3', '-c', PROBE, a.echo, endpoint, port, a.ispResolver];
      probes.push(lab.spawn('client', user === 'root' ? argv : [...NOBODY, ...argv], { name: `churn-probe-${user}` }));
    }
  };

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab, { name: 'rel-churn' });
    const [endpoint = '', port = '51820'] = (lab.wireguard?.endpoint ?? '').split(':');
    const tunnel = {
      kind: 'tunnel' as const,
      tunnelInterface: 'burrowchurn0',
      endpoints: [{ ip: endpoint, port: Number(port), proto: 'udp' as const }],
      fwmark: 0x6275,
      dnsServers: [lab.addresses.publicResolver],
      allowLan: false,
      ipv6InTunnel: false,
    };
    policies = [{ kind: 'block', allowLan: false }, { ...tunnel, tunnelTraffic: 'none' }, { ...tunnel, tunnelTraffic: 'all' }];
  });
  afterAll(async () => {
    for (const probe of probes) await probe.stop();
    await burrow?.stop();
    await lab?.stop();
  });

  it(`${CHANGES} changes between block and the tunnel's rules: not one probe packet on the wire, every apply verified`, async () => {
    const netd = createNetdClient(burrow.netdSocket);
    await netd.call('applyFirewall', { policy: policies[0]! });
    const capture = await lab.capture('client', lab.interfaces.client);
    startProbes();
    // The probes are running (their first thousand sends) before the churn starts.
    await Promise.all(probes.map((probe) => probe.waitForLog(/^1000$/m, 20_000)));
    const started = Date.now();
    const applied: string[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const result = await netd.call('applyFirewall', { policy: policies[i % policies.length]! });
      applied.push(result.applied);
    }
    const ms = Date.now() - started;
    await sleep(500);
    const packets = await capture.stop();
    console.log(`policy churn: ${CHANGES} applies in ${ms} ms under the probe; ${packets.length} packets from the client on the wire, ${probePackets(packets).length} of them the probe's`);
    expect(applied).toHaveLength(CHANGES);
    expect(new Set(applied)).toEqual(new Set(['block', 'tunnel']));
    // None of the policies lets anything unmarked out, and nothing here is marked: the wire stays empty.
    expect(strays(packets, []).map(describePacket)).toEqual([]);
  }, 300_000);

  it('anti-test: the same probes, capture and judge see the probe as soon as the policy is open', async () => {
    const netd = createNetdClient(burrow.netdSocket);
    const capture = await lab.capture('client', lab.interfaces.client, { filter: `src host ${lab.addresses.client}` });
    await netd.call('applyFirewall', { policy: { kind: 'open' } });
    await sleep(1000);
    await netd.call('applyFirewall', { policy: policies[0]! });
    const seen = probePackets(await capture.stop());
    expect(seen.length).toBeGreaterThan(100);
    expect(new Set(seen.map((p) => p.dst))).toContain(lab.addresses.echo);
    await netd.call('applyFirewall', { policy: { kind: 'open' } });
  });
});
