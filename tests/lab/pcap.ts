// A small reader for the classic pcap files tcpdump writes: enough to say, per packet, who talked to
// whom over which protocol and ports. Tests count packets with it (no tshark start-up per capture).
// Strict on purpose: a file cut off mid-record (tcpdump killed while writing, a full disk) throws, because
// a capture that lost its end cannot say that nothing leaked at its end.

export interface Packet {
  time: number;
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other';
  /** IP protocol number (for IPv6 the header after any extension headers). */
  protoNumber: number;
  srcPort?: number;
  dstPort?: number;
  /** ICMP / ICMPv6 type (neighbour discovery is 133–137). */
  icmpType?: number;
  /** Length of the IP packet. */
  length: number;
  family: 4 | 6;
}

function ipv4(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

function ipv6(buf: Buffer, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 1) groups.push(buf.readUInt16BE(at + i * 2).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function parseIp(buf: Buffer, time: number): Packet | undefined {
  const version = (buf[0] ?? 0) >> 4;
  let proto: number;
  let l4: number;
  let src: string;
  let dst: string;
  let length: number;
  if (version === 4 && buf.length >= 20) {
    const ihl = ((buf[0] ?? 0) & 0xf) * 4;
    proto = buf[9] ?? 0;
    src = ipv4(buf, 12);
    dst = ipv4(buf, 16);
    length = buf.readUInt16BE(2);
    l4 = ihl;
  } else if (version === 6 && buf.length >= 40) {
    proto = buf[6] ?? 0;
    src = ipv6(buf, 8);
    dst = ipv6(buf, 24);
    length = 40 + buf.readUInt16BE(4);
    l4 = 40;
    // Past the extension headers (an MLD report sits behind hop-by-hop options with a router alert).
    while ((proto === 0 || proto === 43 || proto === 60 || proto === 44) && buf.length >= l4 + 8) {
      const next = buf[l4] ?? 0;
      l4 += proto === 44 ? 8 : ((buf[l4 + 1] ?? 0) + 1) * 8;
      proto = next;
    }
  } else return undefined;
  const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 ? 'icmp' : proto === 58 ? 'icmpv6' : 'other';
  const packet: Packet = { time, src, dst, proto: name, protoNumber: proto, length, family: version === 4 ? 4 : 6 };
  if ((name === 'tcp' || name === 'udp') && buf.length >= l4 + 4) {
    packet.srcPort = buf.readUInt16BE(l4);
    packet.dstPort = buf.readUInt16BE(l4 + 2);
  }
  if ((name === 'icmp' || name === 'icmpv6') && buf.length > l4) packet.icmpType = buf[l4];
  return packet;
}

/** Offset of the IP header in a frame of this link type, or undefined for frames that carry no IP. */
function ipOffset(linkType: number, frame: Buffer): number | undefined {
  switch (linkType) {
    case 1: {
      // Ethernet, with up to two VLAN tags.
      let offset = 12;
      let type = frame.length >= 14 ? frame.readUInt16BE(12) : 0;
      while ((type === 0x8100 || type === 0x88a8) && frame.length >= offset + 6) {
        offset += 4;
        type = frame.readUInt16BE(offset);
      }
      return type === 0x0800 || type === 0x86dd ? offset + 2 : undefined;
    }
    case 12:
    case 101:
    case 228:
    case 229:
      return 0; // raw IP (tun devices such as wireguard-go's)
    case 113:
      return 16; // Linux cooked capture v1 ("any")
    case 276:
      return 20; // Linux cooked capture v2
    default:
      return undefined;
  }
}

/** Thrown for a file that is not a whole pcap capture: too short for its header or cut mid-record. */
export class TruncatedPcapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedPcapError';
  }
}

/** Every IP packet in a whole pcap file; throws if the file is cut off. */
export function parsePcap(file: Buffer): Packet[] {
  return readPcap(file).packets;
}

/** The packets and the number of records (IP or not), which tcpdump's own "packets captured" must match. */
export function readPcap(file: Buffer): { records: number; packets: Packet[] } {
  if (file.length < 24) throw new TruncatedPcapError(`pcap file of ${file.length} bytes: shorter than its 24-byte header`);
  const magic = file.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && file.readUInt32BE(0) !== 0xa1b2c3d4 && file.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error('not a classic pcap file');
  }
  const nano = (little ? magic : file.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (at: number): number => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
  const linkType = u32(20) & 0xffff;
  const packets: Packet[] = [];
  let offset = 24;
  let index = 0;
  while (offset < file.length) {
    if (offset + 16 > file.length) {
      throw new TruncatedPcapError(`pcap record ${index} at byte ${offset}: header cut off (${file.length - offset} of 16 bytes)`);
    }
    const time = u32(offset) + u32(offset + 4) / (nano ? 1e9 : 1e6);
    const captured = u32(offset + 8);
    if (offset + 16 + captured > file.length) {
      throw new TruncatedPcapError(`pcap record ${index} at byte ${offset}: ${captured}-byte packet cut off after ${file.length - offset - 16} bytes`);
    }
    const frame = file.subarray(offset + 16, offset + 16 + captured);
    offset += 16 + captured;
    index += 1;
    const at = ipOffset(linkType, frame);
    const packet = at === undefined ? undefined : parseIp(frame.subarray(at), time);
    if (packet) packets.push(packet);
  }
  return { records: index, packets };
}
