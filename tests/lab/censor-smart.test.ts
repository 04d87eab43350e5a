// Smart connect's walk under each censor profile, on the wire: the ladder is walked with app/smart's
// walkLadder over the lab's real ways through (censor-ways.ts), a capture on the client's uplink shows
// that every packet the client sent belonged to the attempt being made at that moment, and the second
// walk on the same network starts at what worked. (Burrow's supervisor does not yet drive these
// transports; this proves the walk and the memory, not Burrow's kill switch around them.)
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSmartMemory, walkLadder, type Rung, type SmartMemory } from '../../app/smart/index.js';
import { CENSOR_PROFILE_NAMES } from './censor-profiles.js';
import { SHADOWSOCKS_PORT, startTransportServers, VLESS_PORT, type TransportServers } from './censor-transports.js';
import { attempt, WAYS, type Way } from './censor-ways.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';

const isRoot = process.getuid?.() === 0;
const AVAILABLE = new Set<Rung>(WAYS);

interface Window { way: Way; from: number; to: number }

describe.skipIf(!isRoot)('Smart connect through each censor profile (needs root: network namespaces)', () => {
  let lab: Lab;
  let transports: TransportServers;
  let memory: SmartMemory;
  const summary: string[] = [];

  beforeAll(async () => {
    lab = await startLab();
    transports = await startTransportServers(lab);
    memory = openSmartMemory(mkdtempSync(join(lab.dir, 'smart-')));
  }, 240_000);
  afterAll(async () => {
    if (summary.length > 0) console.log(`\nSmart connect (lab ${lab?.prefix}):\n${summary.join('\n')}\n`);
    await lab?.stop();
  });

  /** Whether a packet the client sent is part of the attempt `way`. */
  const belongs = (p: Packet, way: Way): boolean => {
    const a = lab.addresses;
    // An ICMP error (port unreachable) is the kernel answering a late reply to an attempt that already
    // ended; it carries no port and starts nothing, so its address alone ties it to that attempt.
    const port = (n: number): boolean => p.proto === 'icmp' || p.dstPort === n;
    if (way === 'wireguard') return p.dst === a.vpn && port(51820);
    if (way === 'wireguard-shadowsocks') return p.dst === transports.address && port(SHADOWSOCKS_PORT);
    if (way === 'wireguard-vless') return p.dst === transports.address && port(VLESS_PORT);
    if (way === 'tor') return (lab.tor?.relayAddresses ?? []).includes(p.dst);
    return p.dst === a.bridge && port(443);
  };

  const walk = async (key: string): Promise<{ rung: Rung | undefined; startedAt: Rung | undefined; strays: Packet[]; tried: Way[] }> => {
    const capture = await lab.capture('client', lab.interfaces.client, { filter: `src host ${lab.addresses.client}` });
    const windows: Window[] = [];
    const outcome = await walkLadder({
      goal: 'fastest', available: AVAILABLE, networkKey: key, memory,
      attempt: async (rung) => {
        const way = rung as Way;
        const from = Date.now() / 1000;
        const result = await attempt(lab, way, { timeoutMs: way.startsWith('tor') ? 25_000 : 8_000, transports });
        windows.push({ way, from, to: Date.now() / 1000 });
        return result.through;
      },
    });
    const packets = await capture.stop();
    // A packet belongs to the attempt running when it was sent (0.2 s of slack for the clock of the
    // capture); an ICMP error may come later, after its attempt ended, but never before it began.
    const strays = packets.filter((p) => !windows.some((w) => p.time >= w.from - 0.2 && (p.time <= w.to + 0.2 || p.proto === 'icmp') && belongs(p, w.way)));
    return { rung: outcome.rung, startedAt: outcome.startedAt, strays, tried: windows.map((w) => w.way) };
  };

  for (const [n, profile] of CENSOR_PROFILE_NAMES.entries()) {
    it(`under "${profile}" one walk gets out with no stray packet, and the second starts at what worked`, async () => {
      await lab.censor.use(profile);
      try {
        const key = `mac:02:00:00:00:00:0${n + 1}`;
        const first = await walk(key);
        expect(first.rung, first.tried.join(' → ')).toBeDefined();
        expect(first.strays.map((p) => `${p.proto} ${p.dst}:${p.dstPort ?? ''}`)).toEqual([]);
        const second = await walk(key);
        expect(second.startedAt).toBe(first.rung);
        expect(second.tried).toEqual([first.rung]);
        expect(second.strays).toEqual([]);
        summary.push(`  ${profile.padEnd(14)} first: ${first.tried.join(' → ')}; second: ${second.tried.join(' → ')}`);
      } finally {
        await lab.censor.clear();
      }
    }, 300_000);
  }
});
