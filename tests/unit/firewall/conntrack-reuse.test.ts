// The cause of the socks-redirect flake (issue 12 item 12), pinned: nft's nat chain sees only the first
// packet of a flow, so a later socket with the same 5-tuple rides the earlier flow's NAT entry. With the
// source port fixed, the proxy's DNS that follows an application's redirected DNS lands in the stub
// instead of being refused. What matters for the kill switch: the reused entry only ever points at
// loopback, and without it (the anti-test) the same packet is refused; nothing leaves either way.
import { describe, expect, it } from 'vitest';
import { buildFirewallRuleset } from '../../../app/firewall/index.js';
import { canUseNetns, withNetns } from './netns.js';
import { SOCKS } from './policies.js';
import { buildLinks, counters, probe, startListeners } from './traffic.js';

const APP = 65_534;
const PROXY = SOCKS.proxyUid;
const PORT = 40_123;

describe.skipIf(!canUseNetns)('a reused 5-tuple under socks-redirect', () => {
  it('follows the earlier NAT entry to the local stub, and is refused without it', async () => {
    await withNetns(async (ns) => {
      await buildLinks(ns);
      const stop = await startListeners(ns, 'redsocks', SOCKS.redirectPort, SOCKS.dnsStubPort);
      try {
        expect((await ns.nft(buildFirewallRuleset(SOCKS), false)).stderr).toBe('');
        // Anti-test: a fresh tuple from the proxy's uid is refused.
        expect(await probe(ns, PROXY, 'udp', '10.0.1.1', 53, PORT)).toEqual({ result: 'error', code: 'EPERM' });
        expect(await probe(ns, APP, 'udp', '10.0.1.1', 53, PORT)).toEqual({ result: 'reply', data: 'redsocks' });
        const before = await counters(ns);
        // The same tuple again, now from the proxy: the conntrack entry says "to the stub".
        expect(await probe(ns, PROXY, 'udp', '10.0.1.1', 53, PORT)).toEqual({ result: 'reply', data: 'redsocks' });
        // It did not leave: nothing new was refused, and the stub answered (the test above).
        expect((await counters(ns)).blocked_dns).toBe(before.blocked_dns);
      } finally {
        stop();
      }
    });
  });
});
