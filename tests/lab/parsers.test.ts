// The lab's pure parts (no root needed): packet-capture parsing, consensus parsing, wg-quick conf
// stripping, the censor's ruleset text, the address plan.
import { describe, expect, it } from 'vitest';
import { planAddresses, planInterfaces, type LabAddresses, type LabInterfaces } from './addresses.js';
import { censorRuleset } from './censor.js';
import { parsePcap, TruncatedPcapError, type Packet } from './pcap.js';
import { strays } from './strays.js';
import { parseConsensus } from './tor-network.js';
import { parseWgQuickConf } from './wg-quick.js';

function pcap(linkType: number, frames: Buffer[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(linkType, 20);
  const records = frames.map((f, i) => {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(1000 + i, 0);
    h.writeUInt32LE(f.length, 8);
    h.writeUInt32LE(f.length, 12);
    return Buffer.concat([h, f]);
  });
  return Buffer.concat([header, ...records]);
}

function udp4(src: number[], dst: number[], sport: number, dport: number): Buffer {
  const ip = Buffer.alloc(28);
  ip[0] = 0x45;
  ip.writeUInt16BE(28, 2);
  ip[9] = 17;
  Buffer.from(src).copy(ip, 12);
  Buffer.from(dst).copy(ip, 16);
  ip.writeUInt16BE(sport, 20);
  ip.writeUInt16BE(dport, 22);
  return ip;
}

describe('pcap reader', () => {
  it('reads IPv4 UDP from Ethernet frames and raw-IP (tun) captures, and skips ARP', () => {
    const ip = udp4([10, 1, 1, 2], [10, 1, 3, 2], 40000, 51820);
    const eth = Buffer.concat([Buffer.alloc(12), Buffer.from([0x08, 0x00]), ip]);
    const arp = Buffer.concat([Buffer.alloc(12), Buffer.from([0x08, 0x06]), Buffer.alloc(28)]);
    const fromEth = parsePcap(pcap(1, [eth, arp]));
    expect(fromEth).toHaveLength(1);
    expect(fromEth[0]).toMatchObject({ src: '10.1.1.2', dst: '10.1.3.2', proto: 'udp', srcPort: 40000, dstPort: 51820, family: 4 });
    expect(parsePcap(pcap(101, [ip]))[0]?.dst).toBe('10.1.3.2');
  });

  it('reads IPv6 TCP and writes addresses in canonical form', () => {
    const ip = Buffer.alloc(44);
    ip[0] = 0x60;
    ip.writeUInt16BE(4, 4);
    ip[6] = 6;
    Buffer.from('fd6c0012000100000000000000000002', 'hex').copy(ip, 8);
    Buffer.from('fd6c0012008000000000000000000080', 'hex').copy(ip, 24);
    ip.writeUInt16BE(5555, 40);
    ip.writeUInt16BE(80, 42);
    const [p] = parsePcap(pcap(101, [ip]));
    expect(p).toMatchObject({ src: 'fd6c:12:1::2', dst: 'fd6c:12:80::80', proto: 'tcp', dstPort: 80, family: 6 });
  });

  it('throws on a record cut short (packet or record header) and on a file shorter than its header', () => {
    const file = pcap(101, [udp4([1, 2, 3, 4], [5, 6, 7, 8], 1, 2), udp4([1, 2, 3, 4], [5, 6, 7, 9], 1, 2)]);
    expect(parsePcap(file)).toHaveLength(2);
    expect(() => parsePcap(file.subarray(0, file.length - 5))).toThrow(/record 1 at byte 68: 28-byte packet cut off after 23 bytes/);
    expect(() => parsePcap(file.subarray(0, 24 + 44 + 7))).toThrow(/record 1 at byte 68: header cut off \(7 of 16 bytes\)/);
    expect(() => parsePcap(file.subarray(0, 10))).toThrow(TruncatedPcapError);
    // A header alone is a whole capture of nothing.
    expect(parsePcap(file.subarray(0, 24))).toEqual([]);
  });

  it('reads the ICMPv6 type (neighbour discovery is told apart from other ICMPv6)', () => {
    const ip = Buffer.alloc(48);
    ip[0] = 0x60;
    ip.writeUInt16BE(8, 4);
    ip[6] = 58;
    Buffer.from('fd6c0012000100000000000000000002', 'hex').copy(ip, 8);
    Buffer.from('ff0200000000000000000001ff000001', 'hex').copy(ip, 24);
    ip[40] = 135;
    expect(parsePcap(pcap(101, [ip]))[0]).toMatchObject({ proto: 'icmpv6', icmpType: 135, dst: 'ff02::1:ff00:1' });
  });

  it('reads ICMPv6 behind a hop-by-hop header (an MLD report with its router alert)', () => {
    const ip = Buffer.alloc(40 + 8 + 8);
    ip[0] = 0x60;
    ip.writeUInt16BE(16, 4);
    ip[6] = 0; // hop-by-hop options
    Buffer.from('fe800000000000000000000000000001', 'hex').copy(ip, 8);
    Buffer.from('ff020000000000000000000000000016', 'hex').copy(ip, 24);
    ip[40] = 58; // next: ICMPv6
    ip[41] = 0; // 8 bytes
    ip[48] = 143;
    expect(parsePcap(pcap(101, [ip]))[0]).toMatchObject({ proto: 'icmpv6', protoNumber: 58, icmpType: 143, dst: 'ff02::16' });
  });
});

describe('stray packets', () => {
  const packet = (over: Partial<Packet>): Packet => ({ time: 0, src: '10.9.1.2', dst: '10.9.3.2', proto: 'udp', protoNumber: 17, srcPort: 40000, dstPort: 51820, length: 100, family: 4, ...over });
  const tunnel = [{ host: '10.9.3.2', port: 51820, proto: 'udp' as const }];

  it('forgives only the allowed flow (both ways) and the link’s own ICMPv6', () => {
    const allowed = [
      packet({}),
      packet({ src: '10.9.3.2', dst: '10.9.1.2', srcPort: 51820, dstPort: 40000 }),
      packet({ src: 'fe80::1', dst: 'ff02::1:ff00:2', proto: 'icmpv6', protoNumber: 58, icmpType: 135, family: 6, srcPort: undefined, dstPort: undefined }),
      packet({ src: 'fd6c:9:1::2', dst: 'fd6c:9:1::1', proto: 'icmpv6', protoNumber: 58, icmpType: 136, family: 6, srcPort: undefined, dstPort: undefined }),
    ];
    expect(strays(allowed, tunnel)).toEqual([]);
  });

  it('counts packets whatever their source and family: the tunnel’s own address on the NIC, IPv6, other ports', () => {
    const leaks = [
      // An established socket after the tunnel's routes vanished: the tunnel's source address, out of the NIC.
      packet({ src: '10.64.0.2', dst: '10.9.80.80', proto: 'tcp', protoNumber: 6, srcPort: 5555, dstPort: 80 }),
      packet({ src: 'fd6c:9:1::2', dst: 'fd6c:9:80::80', proto: 'tcp', protoNumber: 6, family: 6, srcPort: 5555, dstPort: 80 }),
      packet({ dstPort: 53 }),
      packet({ proto: 'tcp', protoNumber: 6 }),
      // An ICMPv6 echo to a link-local address is not the link's own bookkeeping.
      packet({ src: 'fe80::2', dst: 'fe80::1', proto: 'icmpv6', protoNumber: 58, icmpType: 128, family: 6, srcPort: undefined, dstPort: undefined }),
    ];
    expect(strays(leaks, tunnel)).toEqual(leaks);
  });
});

describe('consensus parsing', () => {
  it('reads nicknames, addresses and flags', () => {
    const text = [
      'network-status-version 3 microdesc',
      'r exit AAAA BBBB 2026-11-25 11:00:00 10.9.4.16 9001 0',
      'm CCCC',
      's Exit Fast Guard Running Valid',
      'r auth1 AAAA BBBB 2026-11-25 11:00:00 10.9.4.11 9001 9030',
      's Authority Running Valid',
    ].join('\n');
    expect(parseConsensus(text)).toEqual([
      { nickname: 'exit', address: '10.9.4.16', orPort: 9001, flags: ['Exit', 'Fast', 'Guard', 'Running', 'Valid'] },
      { nickname: 'auth1', address: '10.9.4.11', orPort: 9001, flags: ['Authority', 'Running', 'Valid'] },
    ]);
  });
});

describe('wg-quick conf', () => {
  it('keeps what wg setconf takes and collects what wg-quick itself handles', () => {
    const conf = parseWgQuickConf(`[Interface]\nPrivateKey = k\nAddress = 10.9.100.2/32, fd6c:9:100::2/128\nDNS = 10.9.53.53\n\n[Peer]\nPublicKey = p\nEndpoint = 10.9.3.2:51820\nAllowedIPs = 0.0.0.0/0, ::/0 # all\n`);
    expect(conf.addresses).toEqual(['10.9.100.2/32', 'fd6c:9:100::2/128']);
    expect(conf.dns).toEqual(['10.9.53.53']);
    expect(conf.allowedIps).toEqual(['0.0.0.0/0', '::/0']);
    expect(conf.endpoint).toBe('10.9.3.2:51820');
    expect(conf.stripped).not.toMatch(/Address|DNS/);
    expect(conf.stripped).toMatch(/PrivateKey = k/);
  });
});

describe('censor ruleset', () => {
  it('replaces its table atomically and sorts addresses by family', () => {
    const text = censorRuleset(new Set(['10.9.4.11', 'fd6c:9:1::1']), true);
    expect(text.indexOf('delete table inet burrowlab_censor')).toBeLessThan(text.lastIndexOf('table inet burrowlab_censor {'));
    expect(text).toMatch(/set blocked4 \{ type ipv4_addr; elements = \{ 10\.9\.4\.11 \} \}/);
    expect(text).toMatch(/set blocked6 \{ type ipv6_addr; elements = \{ fd6c:9:1::1 \} \}/);
    expect(text).toContain('udp length 156 @th,64,32 0x01000000 counter drop');
    expect(censorRuleset(new Set(), false)).not.toContain('udp length');
  });
});

describe('address plan', () => {
  it('gives two runs disjoint ranges and short interface names', () => {
    const a = planAddresses(17);
    const b = planAddresses(18);
    const all = (x: LabAddresses): string[] => {
      const { tor, ...rest } = x;
      return [...Object.values(rest), ...Object.values(tor)];
    };
    expect(all(a).filter((ip) => all(b).includes(ip))).toEqual([]);
    const ifs = planInterfaces('blffff');
    const names = (Object.keys(ifs) as (keyof LabInterfaces)[]).map((k) => ifs[k]);
    expect(names.every((n) => n.length <= 15)).toBe(true);
  });
});
