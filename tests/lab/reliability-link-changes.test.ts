// The reliability suite (issue 12): the physical link changes under a connected WireGuard tunnel with the
// kill switch on: link down and up, a new address, a new gateway. Programs bound to the physical
// interface (curl, DNS to the ISP, ping) run all the while and a capture on the client's outside
// interface is the wire: nothing but the tunnel's own packets to its endpoint may be on it, before, during
// or after each change, and the tunnel carries traffic again afterwards. The anti-test lifts Burrow's table
// and the same loop and judge see the bound traffic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBurrowInLab, waitForState, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { sleep, waitFor, type LabProcess } from './process.js';
import { boundLoop } from './reliability-probes.js';
import { describePacket, netdPidIn, strays, wireguardFlow } from './strays.js';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('reliability: link changes under a connected tunnel (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let newAddress = '';
  let newGateway = '';
  const figures = { cases: 0, leaked: 0 };

  /** The one judge (strays.ts): every packet on the wire that is not the tunnel's own, to its endpoint. */
  const leaks = (packets: Packet[]): Packet[] => strays(packets, [wireguardFlow(lab)]);

  const startBoundLoop = (): LabProcess => boundLoop(lab, 'link-bound-loop');

  /** Runs `change` with the loop and a capture around it; then the tunnel must carry traffic again. */
  const underChange = async (change: () => Promise<void>): Promise<Packet[]> => {
    figures.cases++;
    const loop = startBoundLoop();
    try {
      const capture = await lab.capture('client', lab.interfaces.client, { filter: 'ip or ip6' });
      await sleep(1000);
      await change();
      await waitForState(burrow, ['connected'], 60_000);
      // The tunnel works again: the echo sees the VPN (a handshake over the changed link if it was needed).
      await waitFor('the echo through the tunnel', 30_000, async () => ((await echo(lab).catch(() => undefined))?.ip === lab.addresses.vpn ? true : undefined), 500);
      await sleep(1500);
      const leaked = leaks(await capture.stop());
      figures.leaked += leaked.length;
      return leaked;
    } finally {
      await loop.stop();
    }
  };
  const describePackets = (packets: Packet[]): string[] => packets.map(describePacket);

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab, { name: 'rel-link' });
    newAddress = `10.${lab.octet}.1.3`;
    newGateway = `10.${lab.octet}.1.254`;
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
    expect((await burrow.cli(['settings', 'set', 'killSwitch=on'])).code).toBe(0);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab'], 60_000)).data.state).toBe('connected');
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
    console.log(`reliability figures (link changes): ${figures.cases} cases run, ${figures.leaked} packets leaked`);
  });

  it('link down for 3 s and up again (the route comes back as NetworkManager would put it): nothing leaks, the tunnel carries traffic again', async () => {
    const nic = lab.interfaces.client;
    const leaked = await underChange(async () => {
      await lab.exec('client', ['ip', 'link', 'set', nic, 'down']);
      await sleep(3000);
      await lab.exec('client', ['ip', 'link', 'set', nic, 'up']);
      await lab.exec('client', ['ip', 'route', 'replace', 'default', 'via', lab.addresses.ispLan, 'dev', nic]);
    });
    expect(describePackets(leaked)).toEqual([]);
  });

  it('a new address on the link (the old one removed, as after a new DHCP lease): nothing leaks, WireGuard roams', async () => {
    const nic = lab.interfaces.client;
    // The new address takes over when the old one goes, as a DHCP client's new lease does (without
    // promote_secondaries the kernel deletes every secondary of the subnet with its primary).
    await lab.exec('client', ['sysctl', '-qw', `net.ipv4.conf.${nic}.promote_secondaries=1`]);
    const leaked = await underChange(async () => {
      await lab.exec('client', ['ip', 'addr', 'add', `${newAddress}/24`, 'dev', nic]);
      await lab.exec('client', ['ip', 'addr', 'del', `${lab.addresses.client}/24`, 'dev', nic]);
      await lab.exec('client', ['ip', 'route', 'replace', 'default', 'via', lab.addresses.ispLan, 'dev', nic]);
    });
    expect(describePackets(leaked)).toEqual([]);
    // WireGuard's endpoint now sees the new address: the tunnel really moved to it.
    const peers = (await lab.exec('vpn', ['wg', 'show', 'all', 'endpoints'])).stdout;
    expect(peers).toContain(newAddress);
  });

  it('a new gateway on the same LAN: nothing leaks, the tunnel carries traffic again', async () => {
    const nic = lab.interfaces.client;
    await lab.exec('isp', ['ip', 'addr', 'add', `${newGateway}/24`, 'dev', lab.interfaces.ispLan]);
    const leaked = await underChange(async () => {
      await lab.exec('client', ['ip', 'route', 'replace', 'default', 'via', newGateway, 'dev', nic]);
    });
    expect(describePackets(leaked)).toEqual([]);
  });

  it('anti-test: with Burrow\'s table lifted (netd held, so it cannot put it back), the same loop and judge see the bound traffic', async () => {
    const pid = netdPidIn(lab);
    if (pid === undefined || pid <= 0) throw new Error('netd is not running in the client namespace');
    const loop = startBoundLoop();
    process.kill(pid, 'SIGSTOP');
    try {
      await lab.exec('client', ['nft', 'delete', 'table', 'inet', 'burrow']);
      const capture = await lab.capture('client', lab.interfaces.client, { filter: 'ip or ip6' });
      await sleep(4000);
      const seen = leaks(await capture.stop());
      expect(seen.length).toBeGreaterThan(0);
    } finally {
      process.kill(pid, 'SIGCONT');
      await loop.stop();
    }
  });
});
