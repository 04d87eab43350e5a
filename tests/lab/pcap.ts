// A small reader for the classic pcap files tcpdump writes: enough to say, per packet, who talked to
// whom over which protocol and ports. Tests count packets with it (no tshark start-up per capture).

export interface Packet {
  time: number;
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other';
  /** IP protocol number (next header for IPv6). */
  protoNumber: number;
  srcPort?: number;
  dstPort?: number;
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
  } else return undefined;
  const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 ? 'icmp' : proto === 58 ? 'icmpv6' : 'other';
  const packet: Packet = { time, src, dst, proto: name, protoNumber: proto, length, family: version === 4 ? 4 : 6 };
  if ((name === 'tcp' || name === 'udp') && buf.length >= l4 + 4) {
    packet.srcPort = buf.readUInt16BE(l4);
    packet.dstPort = buf.readUInt16BE(l4 + 2);
  }
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

export function parsePcap(file: Buffer): Packet[] {
  if (file.length < 24) return [];
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
  while (offset + 16 <= file.length) {
    const time = u32(offset) + u32(offset + 4) / (nano ? 1e9 : 1e6);
    const captured = u32(offset + 8);
    const frame = file.subarray(offset + 16, offset + 16 + captured);
    offset += 16 + captured;
    if (frame.length < captured) break; // the capture was cut mid-packet
    const at = ipOffset(linkType, frame);
    const packet = at === undefined ? undefined : parseIp(frame.subarray(at), time);
    if (packet) packets.push(packet);
  }
  return packets;
}
