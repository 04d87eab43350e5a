// "Allow LAN" with packets (issue 12 items 4 and 10): a container on a private bridge behind this machine
// (a second namespace, routed through it as Docker or libvirt do) may reach the LAN but never the internet
// in a blocking state, and DNS over TLS to the LAN router is refused like port 53. What left is counted on
// the physical link's egress by a separate table, so "refused" is measured, not assumed.
import { describe, expect, it } from 'vitest';
import { buildFirewallRuleset, type FirewallPolicy } from '../../../app/firewall/index.js';
import { canUseNetns, IP, Netns, withNetns } from './netns.js';
import { SOCKS, TOR, TUNNEL } from './policies.js';
import { buildLinks, probe } from './traffic.js';

/** Counts, per destination, the guest's packets leaving eth0 (postrouting, after every filter). */
const WIRE = `table inet burrowwire {
\tcounter lan {}
\tcounter internet {}
\tchain post {
\t\ttype filter hook postrouting priority 100; policy accept;
\t\toifname "eth0" ip saddr 172.17.0.2 ip daddr 10.0.1.1 counter name "lan"
\t\toifname "eth0" ip saddr 172.17.0.2 ip daddr != 10.0.1.1 counter name "internet"
\t}
}
`;

async function wire(ns: Netns): Promise<{ lan: number; internet: number }> {
  const listed = JSON.parse(await ns.execOk(['/usr/sbin/nft', '-j', 'list', 'counters', 'table', 'inet', 'burrowwire'])) as {
    nftables: Array<{ counter?: { name: string; packets: number } }>;
  };
  const get = (name: string): number => listed.nftables.find((item) => item.counter?.name === name)?.counter?.packets ?? -1;
  return { lan: get('lan'), internet: get('internet') };
}

async function withGuest(body: (host: Netns, guest: Netns) => Promise<void>): Promise<void> {
  await withNetns(async (host) => {
    await buildLinks(host);
    const guest = new Netns();
    await guest.create();
    try {
      await host.execOk([IP, 'link', 'add', 'ctr0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', guest.name]);
      for (const step of ['addr add 172.17.0.1/16 dev ctr0', 'link set ctr0 up']) await host.execOk([IP, ...step.split(' ')]);
      for (const step of ['addr add 172.17.0.2/16 dev eth0', 'link set eth0 up', 'route add default via 172.17.0.1']) await guest.execOk([IP, ...step.split(' ')]);
      await host.execOk(['/usr/sbin/sysctl', '-qw', 'net.ipv4.ip_forward=1']);
      expect((await host.nft(WIRE, false)).stderr).toBe('');
      await body(host, guest);
    } finally {
      await guest.destroy();
    }
  });
}

/** A UDP packet from the guest (as root there); the verdict is read on the host's wire. */
async function fromGuest(host: Netns, guest: Netns, ip: string, port: number): Promise<void> {
  await guest.execOk([process.execPath, `${host.scratch}/probe.mjs`, 'udp', ip, String(port)]);
}

const BLOCKING: [string, FirewallPolicy][] = [
  ['block', { kind: 'block', allowLan: true }],
  ['tunnel', { ...TUNNEL, allowLan: true }],
  ['tor-system', { ...TOR, allowLan: true }],
  ['socks-redirect', { ...SOCKS, allowLan: true }],
];

describe.skipIf(!canUseNetns)('allow LAN forwards LAN to LAN only', () => {
  it('anti-test: with no rules the guest reaches both the LAN and the internet', async () => {
    await withGuest(async (host, guest) => {
      await fromGuest(host, guest, '10.0.1.1', 9);
      await fromGuest(host, guest, '203.0.113.99', 9);
      expect(await wire(host)).toEqual({ lan: 1, internet: 1 });
    });
  });

  it.each(BLOCKING)('%s with allowLan: the guest reaches the LAN, never the internet', async (_name, policy) => {
    await withGuest(async (host, guest) => {
      expect((await host.nft(buildFirewallRuleset(policy), false)).stderr).toBe('');
      await fromGuest(host, guest, '10.0.1.1', 9);
      await fromGuest(host, guest, '203.0.113.99', 9);
      await fromGuest(host, guest, '198.18.0.1', 443);
      expect(await wire(host)).toEqual({ lan: 1, internet: 0 });
    });
  });

  it('DNS over TLS to the LAN router is refused with allowLan, for the machine and for a guest', async () => {
    await withGuest(async (host, guest) => {
      expect((await host.nft(buildFirewallRuleset({ kind: 'block', allowLan: true }), false)).stderr).toBe('');
      expect(await probe(host, 65_534, 'udp', '10.0.1.1', 853)).toEqual({ result: 'error', code: 'EPERM' });
      expect(await probe(host, 65_534, 'udp', '10.0.1.1', 9)).toEqual({ result: 'sent' });
      await fromGuest(host, guest, '10.0.1.1', 853);
      expect(await wire(host)).toEqual({ lan: 0, internet: 0 });
    });
  });
});
