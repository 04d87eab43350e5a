// The reliability suite (issue 12): switching WireGuard → Tor → Nym → Mysterium, all system-wide, 100 times
// in a row under constant traffic that carries a marker (in an HTTP request's query and header, and in DNS names). On
// the wire (a whole-packet capture on the client's outside interface, one per switch) the marker never
// appears in plaintext, and no packet is outside the two networks of the switch. The anti-test sends the
// same marked traffic with no network connected, and the same search finds it. Nym and Mysterium are the
// stand-ins, which seal their traffic as the real ones do (tests/lab/standins/seal.ts).
// BURROW_SWITCHES sets the number of switches (100 unless told; the mutants runner uses fewer).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE, startFourNetworks, type FourNetworks, type Network } from './four-networks.js';
import { startLab, type Lab } from './lab.js';
import { sleep, type LabProcess } from './process.js';
import { NOBODY, figuresLine, newFigures } from './reliability-probes.js';

const isRoot = process.getuid?.() === 0;
const SWITCHES = Number(process.env.BURROW_SWITCHES ?? 100);
const ORDER: Network[] = ['wireguard', 'tor', 'nym', 'dvpn'];
const figures = newFigures();

/** How often `needle` occurs in `haystack` (overlaps counted once). */
function occurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

describe.skipIf(!isRoot)(`reliability: ${SWITCHES} switches between the four networks under marked traffic (needs root: network namespaces)`, () => {
  let lab: Lab;
  let four: FourNetworks;
  let loop: LabProcess | undefined;
  // Upper case in HTTP, lower case in DNS names (resolvers may fold case): both are looked for.
  const marker = `BURROWMARKER${randomBytes(8).toString('hex').toUpperCase()}`;
  const markers = [Buffer.from(marker), Buffer.from(marker.toLowerCase())];
  const seen = (bytes: Buffer): number => markers.reduce((sum, m) => sum + occurrences(bytes, m), 0);

  /** An ordinary program's marked traffic, a request and a lookup about every 0.2 s until stopped. */
  const markedLoop = (): LabProcess =>
    lab.spawn(
      'client',
      [
        ...NOBODY,
        'sh',
        '-c',
        `i=0; while true; do i=$((i+1)); curl -s -o /dev/null --max-time 2 -H 'X-Marker: ${marker}' '${lab.leakd.url}/json?note=${marker}'; dig +short +time=1 +tries=1 ${marker.toLowerCase()}-$i.${lab.leakd.zone} >/dev/null; sleep 0.2; done`,
      ],
      { name: 'marked-loop' },
    );
  /** One marked request, no second try: the address the echo saw. */
  const markedEcho = async (): Promise<string> => {
    const r = await lab.exec('client', [...NOBODY, 'curl', '-sS', '--fail', '--max-time', '15', '-H', `X-Marker: ${marker}`, `${lab.leakd.url}/json?note=${marker}`], { check: false, timeoutMs: 20_000 });
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { ip: string }).ip;
  };

  beforeAll(async () => {
    lab = await startLab({ tor: true });
    four = await startFourNetworks(lab, 'rel-switching');
    expect((await four.burrow.cli(['settings', 'set', 'killSwitch=on'])).code).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await loop?.stop();
    await four?.stop();
    await lab?.stop();
    console.log(figuresLine('switching', figures));
  });

  it(`${SWITCHES} switches in a row: each one connected, the echo sees the new exit, the marker never on the wire, nothing outside the two networks`, async () => {
    // The first connect is from disconnected (no rules, the program would go out directly): the marked
    // traffic starts once WireGuard is up, and every switch after it is judged.
    expect((await four.burrow.cliJson<{ state: string }>(['connect', PROFILE.wireguard], 150_000)).data.state).toBe('connected');
    loop = markedLoop();
    const durations: number[] = [];
    for (let n = 1; n <= SWITCHES; n++) {
      const from = ORDER[(n - 1) % ORDER.length] ?? 'wireguard';
      const to = ORDER[n % ORDER.length] ?? 'wireguard';
      const step = `switch ${n} of ${SWITCHES} (${from} → ${to})`;
      const watch = await lab.capture('client', lab.interfaces.client, { fullPackets: true });
      const started = Date.now();
      const { code, data } = await four.burrow.cliJson<{ state: string }>(['connect', PROFILE[to]], 150_000);
      expect(code, `${step}: ${JSON.stringify(data)}`).toBe(0);
      expect(data.state, step).toBe('connected');
      durations.push(Date.now() - started);
      expect(await markedEcho(), step).toBe(four.exitIp(to));
      await sleep(500);
      const packets = await watch.stop();
      const bytes = watch.bytes();
      figures.cases++;
      const left = ORDER.filter((network) => network !== from && network !== to);
      const found = four.outside(packets, [from, to], left);
      figures.leaked += found.length;
      expect(found, `${step}:\n${found.join('\n')}`).toEqual([]);
      const plain = seen(bytes);
      figures.leaked += plain;
      expect(plain, `${step}: the marker in plaintext on the wire (${packets.length} packets, ${bytes.length} bytes captured)`).toBe(0);
      figures.faults++;
    }
    const sorted = [...durations].sort((a, b) => a - b);
    console.log(`switching: ${SWITCHES} switches, connect took ${sorted[0]}–${sorted.at(-1)} ms (median ${sorted[Math.floor(sorted.length / 2)]} ms)`);
  }, 60 * 60_000);

  it('anti-test: the same marked traffic with no network connected, and the same search finds the marker on the wire', async () => {
    expect((await four.burrow.cliJson<{ state: string }>(['disconnect'])).data.state).toBe('disconnected');
    const watch = await lab.capture('client', lab.interfaces.client, { fullPackets: true });
    expect(await markedEcho()).toBe(lab.addresses.client);
    await sleep(1500);
    await watch.stop();
    const plain = seen(watch.bytes());
    // Not the figures' "packets": one request and its lookups carry the marker several times.
    console.log(`switching anti-test: the marker seen ${plain} times on the wire with no network connected`);
    expect(plain).toBeGreaterThan(0);
  });
});
