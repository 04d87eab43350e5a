// Switching networks from the CLI, WireGuard → Tor → Nym → Mysterium, all system-wide, while an ordinary
// program (as `nobody`, no proxy settings) keeps talking: at every step the capture on the client's outside
// interface sees nothing but the networks being left and joined. Nym and Mysterium are the STAND-INS
// (tests/lab/standins); WireGuard and Tor are the real programs in the lab.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';
import type { Packet } from './pcap.js';
import { sleep, type LabProcess } from './process.js';
import { PROVIDER_PORT, startMystStandin, startNymStandin, type MystStandin, type NymStandin } from './standins/install.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

type Network = 'wireguard' | 'tor' | 'nym' | 'dvpn';

describe.skipIf(!isRoot)('switching WireGuard → Tor → Nym → Mysterium, system-wide (needs root: network namespaces)', () => {
  let lab: Lab;
  let nym: NymStandin;
  let myst: MystStandin;
  let burrow: BurrowInLab;
  let loop: LabProcess | undefined;

  /** The packets a network's own traffic consists of, as seen on the client's outside interface. */
  const belongs = (network: Network, p: Packet): boolean => {
    switch (network) {
      case 'wireguard':
        return p.dst === lab.addresses.vpn && p.proto === 'udp' && p.dstPort === 51820;
      case 'tor':
        return [...(lab.tor?.relayAddresses ?? []), lab.addresses.bridge].includes(p.dst);
      case 'nym':
        return p.dst === nym.gateway.ip && p.dstPort === nym.gateway.port;
      case 'dvpn':
        return p.dst === lab.addresses.vpn && p.dstPort === PROVIDER_PORT;
    }
  };
  const outside = (packets: Packet[], networks: Network[]): Packet[] =>
    packets.filter((p) => (p.src === lab.addresses.client || p.src === lab.addresses.clientV6) && !/^(fe80|ff02):/i.test(p.dst) && !networks.some((network) => belongs(network, p)));
  /** `tries` > 1 only for Tor: right after it reports connected, a first stream is sometimes reset. */
  const plainEcho = async (tries = 1): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      const r = await lab.exec('client', [...NOBODY, 'curl', '-sS', '--fail', '--max-time', '15', `${lab.leakd.url}/json`], { check: false, timeoutMs: 20_000 });
      if (r.code === 0 || attempt >= tries) {
        expect(r.code, r.stderr).toBe(0);
        return (JSON.parse(r.stdout) as { ip: string }).ip;
      }
      await sleep(1000);
    }
  };
  const file = (name: string, lines: string[]): string => {
    const path = join(burrow.dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
    return path;
  };

  beforeAll(async () => {
    lab = await startLab({ tor: true });
    [nym, myst] = await Promise.all([startNymStandin(lab), startMystStandin(lab)]);
    burrow = await startBurrowInLab(lab, { name: 'switching', env: { BURROW_NYM_SOCKS5_CLIENT: nym.client, BURROW_MYST: myst.myst, BURROW_HELPER_USER: 'proxy' } });
    const imports = [
      ['wg', burrow.confFile],
      ['tor', file('tor.conf', ['[tor]', 'Mode system', ...(lab.tor?.dirAuthorityLines ?? []), 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67'])],
      ['mix', file('mix.nym', ['[nym]', 'Mode = system', `Provider = ${nym.exitAddress}`, `Gateway = ${nym.gateway.id}`, `DnsServer = ${nym.dnsTcp}`, 'AveragePacketDelay = 5ms'])],
      ['dvpn', file('node.dvpn', ['[dvpn]', 'Mode = system', 'Country = NL', `DnsServer = ${myst.dnsTcp}`])],
    ] as const;
    for (const [name, path] of imports) expect((await burrow.cli(['profile', 'import', path, '--name', name])).code).toBe(0);
  });
  afterAll(async () => {
    await loop?.stop();
    await burrow?.stop();
    await Promise.all([nym?.stop(), myst?.stop()]);
    await lab?.stop();
  });

  const steps: [string, Network | undefined, Network, () => string][] = [
    ['wg', undefined, 'wireguard', () => lab.addresses.vpn],
    ['tor', 'wireguard', 'tor', () => lab.addresses.tor.exit],
    ['mix', 'tor', 'nym', () => nym.exitIp],
    ['dvpn', 'nym', 'dvpn', () => lab.addresses.vpn],
  ];

  it.each(steps)('`burrow connect %s` (from %s): the echo sees %s\'s exit, and no packet is outside the two networks', async (profile, from, to, exit) => {
    // Before the first network, traffic goes out directly (no kill switch while disconnected): the
    // program starts talking, and the capture starts, once WireGuard is up.
    const connect = async (): Promise<void> => {
      const { code, data } = await burrow.cliJson<{ state: string }>(['connect', profile], 150_000);
      expect(code, JSON.stringify(data)).toBe(0);
      expect(data.state).toBe('connected');
    };
    if (from === undefined) {
      await connect();
      loop = lab.spawn('client', [...NOBODY, 'sh', '-c', `while true; do curl -s -o /dev/null --max-time 2 ${lab.leakd.url}/json; dig +short +time=1 +tries=1 loop-$$.${lab.leakd.zone} >/dev/null; sleep 0.2; done`], { name: 'request-loop' });
    }
    const watch = await lab.capture('client', lab.interfaces.client);
    if (from !== undefined) await connect();
    expect(await plainEcho(to === 'tor' ? 3 : 1)).toBe(exit());
    await sleep(1000);
    const packets = await watch.stop();
    expect(packets.some((p) => belongs(to, p))).toBe(true);
    expect(outside(packets, from === undefined ? [to] : [from, to])).toEqual([]);
  });

  it('disconnect from Mysterium: traffic goes out directly again', async () => {
    await loop?.stop();
    loop = undefined;
    expect((await burrow.cliJson<Record<string, unknown>>(['disconnect'])).data).toEqual({ state: 'disconnected', lockedDown: false });
    expect(await plainEcho()).toBe(lab.addresses.client);
  });
});
