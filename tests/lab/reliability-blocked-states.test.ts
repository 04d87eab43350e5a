// The reliability suite (issue 12): the blocked states, per network. A censor makes the connect fail the
// way a real network does: WireGuard's handshakes are dropped (connecting, the supervisor's retries with
// backoff, then error{blocking}); system-wide Tor cannot reach a relay (connecting, then error). All the
// while every probe of reliability-probes.ts runs as root and as an ordinary user (TCP, UDP, ICMP to
// public and private addresses, DNS to the ISP, to a public resolver and through the system resolver,
// sockets bound to the physical interface, IPv6). On the wire only the attempt itself may appear
// (WireGuard's initiations to the endpoint, tor's connections to its relays). The anti-test runs the same
// probes in the same state with Burrow's table lifted (netd held), and the same judge sees them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import type { CensorProfile } from './censor-profiles.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { sleep, waitFor } from './process.js';
import { figuresLine, newFigures, probeRound } from './reliability-probes.js';
import { liftFirewall, strayLines, strays, torFlows, wireguardFlow, type Flow } from './strays.js';

const isRoot = process.getuid?.() === 0;
const figures = newFigures();

describe.skipIf(!isRoot)('reliability: blocked states per network under a censor (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;

  beforeAll(async () => {
    lab = await startLab({ tor: true, vpn: true });
    burrow = await startBurrowInLab(lab, { name: 'rel-blocked' });
    const tor = ['[tor]', 'Mode system', ...lab.tor!.dirAuthorityLines, 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67', ''];
    const file = join(burrow.dir, 'tor-system.conf');
    writeFileSync(file, tor.join('\n'), { mode: 0o600 });
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
    expect((await burrow.cli(['profile', 'import', file, '--name', 'tor'])).code).toBe(0);
    expect((await burrow.cli(['settings', 'set', 'killSwitch=on'])).code).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
    console.log(figuresLine('blocked states', figures));
  });

  /**
   * Connects `profile` under `censor` and probes until the connect settles (or `maxMs`), polling the state;
   * `lifted` runs the same with Burrow's table lifted. Returns the wire and the states seen.
   */
  const blockedRun = async (profile: string, censor: CensorProfile, opts: { maxMs: number; lifted?: boolean }): Promise<{ packets: Packet[]; states: string[] }> => {
    await lab.censor.use(censor);
    const states: string[] = [];
    try {
      let settled = false;
      const connect = burrow.cli(['connect', profile, '--json'], opts.maxMs + 60_000).finally(() => (settled = true));
      // The connect reaches the host a moment after it is sent, and "connecting" is announced as its
      // blocking rules are being applied: until they land, the state before the click (disconnected, no
      // rules) still holds and traffic goes out as it did a second earlier. What is judged starts once the
      // kill switch's table is in the namespace (nft's own word, not Burrow's); the connect's work waits
      // for the same rules (Supervisor.runAttempt), so the attempt itself is never before them.
      await waitFor("the kill switch's table", 30_000, async () => {
        const status = await burrow.cliJson<{ state: string }>(['status']);
        if (status.data.state === 'disconnected') return undefined;
        return (await lab.exec('client', ['nft', 'list', 'table', 'inet', 'burrow'], { check: false })).code === 0 ? true : undefined;
      });
      const capture = await lab.capture('client', lab.interfaces.client);
      const started = Date.now();
      let restore: (() => Promise<void>) | undefined;
      let round = 0;
      try {
        while (!settled && Date.now() - started < opts.maxMs) {
          const status = await burrow.cliJson<{ state: string; attempt?: number }>(['status']);
          const seen = `${status.data.state}${status.data.attempt === undefined ? '' : ` (attempt ${status.data.attempt})`}`;
          if (states.at(-1) !== seen) states.push(seen);
          if (opts.lifted === true && restore === undefined && status.data.state === 'connecting') restore = await liftFirewall(lab);
          await probeRound(lab, `blocked-${profile}-${round++}`);
        }
        // One more round in the state it settled in (error{blocking} for both).
        const status = await burrow.cliJson<{ state: string }>(['status']);
        if (states.at(-1) !== status.data.state) states.push(status.data.state);
        await probeRound(lab, `blocked-${profile}-final`);
      } finally {
        await restore?.();
      }
      await sleep(500);
      const packets = await capture.stop();
      await connect;
      return { packets, states };
    } finally {
      await burrow.cliJson(['disconnect']);
      await lab.censor.clear();
    }
  };

  const cases: { name: string; profile: string; censor: CensorProfile; allowed: () => Flow[]; maxMs: number }[] = [
    { name: 'WireGuard, its handshakes dropped by DPI', profile: 'lab', censor: 'wireguard-dpi', allowed: () => [wireguardFlow(lab)], maxMs: 90_000 },
    { name: 'system-wide Tor, its relays blocked by address', profile: 'tor', censor: 'blocklist', allowed: () => torFlows(lab), maxMs: 90_000 },
  ];

  for (const c of cases) {
    it(`${c.name}: connecting, retrying and error{blocking} let out nothing but the attempt, as root or nobody`, async () => {
      figures.cases++;
      const { packets, states } = await blockedRun(c.profile, c.censor, { maxMs: c.maxMs });
      console.log(`blocked states, ${c.name}: ${states.join(' → ')}; ${packets.length} packets on the wire`);
      expect(states.some((s) => s.startsWith('connecting')), states.join(' → ')).toBe(true);
      expect(states.at(-1)).toBe('error');
      const lines = strayLines(packets, c.allowed());
      figures.leaked += lines.length;
      expect(lines).toEqual([]);
      figures.faults++;
    }, 300_000);
  }

  it('anti-test: WireGuard connecting under DPI with Burrow\'s table lifted, the same probes and judge see the traffic', async () => {
    const { packets } = await blockedRun('lab', 'wireguard-dpi', { maxMs: 15_000, lifted: true });
    const seen = strays(packets, [wireguardFlow(lab)]);
    figures.antiTestLeaks += seen.length;
    expect(seen.length).toBeGreaterThan(0);
  }, 300_000);
});
