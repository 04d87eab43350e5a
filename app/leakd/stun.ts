// STUN Binding (RFC 8489, the part a WebRTC leak test needs): a browser sends a Binding request and
// learns the address it was seen from. Only well-formed requests get an answer: a reflector that answers
// anything is an amplification tool.
import { canonicalIpv6, ipFamily, ipToBytes } from './ip.js';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const ATTR_MAPPED_ADDRESS = 0x0001;
const ATTR_XOR_MAPPED_ADDRESS = 0x0020;
const ATTR_SOFTWARE = 0x8022;
const HEADER = 20;

export interface StunRequest {
  transactionId: Buffer;
}

/** The request's transaction id, or a reason why the packet is not a STUN Binding request. */
export function parseBindingRequest(buf: Buffer): StunRequest | string {
  if (buf.length < HEADER) return 'shorter than a STUN header';
  const type = buf.readUInt16BE(0);
  if ((type & 0xc000) !== 0) return 'first two bits are not zero';
  if (type !== BINDING_REQUEST) return `message type 0x${type.toString(16)} is not a Binding request`;
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER + length !== buf.length) return 'length does not match the packet';
  if (buf.readUInt32BE(4) !== MAGIC_COOKIE) return 'no magic cookie (RFC 3489 clients are not served)';
  // Walk the attributes only to reject malformed ones; none of them changes the answer.
  let offset = HEADER;
  while (offset < buf.length) {
    if (offset + 4 > buf.length) return 'truncated attribute header';
    const attrLength = buf.readUInt16BE(offset + 2);
    offset += 4 + Math.ceil(attrLength / 4) * 4;
    if (offset > buf.length) return 'attribute runs past the end of the packet';
  }
  return { transactionId: Buffer.from(buf.subarray(8, 20)) };
}

function attribute(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  const padding = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([head, value, padding]);
}

function addressValue(ip: string, port: number, xorKey?: Buffer): Buffer {
  const family = ipFamily(ip);
  if (family === undefined) throw new Error(`not an IP address: ${ip}`);
  const bytes = ipToBytes(ip);
  const value = Buffer.alloc(4 + bytes.length);
  value.writeUInt8(family === 'IPv4' ? 0x01 : 0x02, 1);
  value.writeUInt16BE(xorKey === undefined ? port : port ^ (MAGIC_COOKIE >>> 16), 2);
  for (let i = 0; i < bytes.length; i += 1) {
    value[4 + i] = (bytes[i] ?? 0) ^ (xorKey === undefined ? 0 : (xorKey[i] ?? 0));
  }
  return value;
}

/** The success response telling the caller `ip:port`: XOR-MAPPED-ADDRESS, plus MAPPED-ADDRESS for old clients. */
export function buildBindingSuccess(request: StunRequest, ip: string, port: number): Buffer {
  const cookie = Buffer.alloc(4);
  cookie.writeUInt32BE(MAGIC_COOKIE, 0);
  const xorKey = Buffer.concat([cookie, request.transactionId]);
  const body = Buffer.concat([
    attribute(ATTR_XOR_MAPPED_ADDRESS, addressValue(ip, port, xorKey)),
    attribute(ATTR_MAPPED_ADDRESS, addressValue(ip, port)),
    attribute(ATTR_SOFTWARE, Buffer.from('burrow-leakd', 'utf8')),
  ]);
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(BINDING_SUCCESS, 0);
  header.writeUInt16BE(body.length, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  request.transactionId.copy(header, 8);
  return Buffer.concat([header, body]);
}

/** Reads XOR-MAPPED-ADDRESS from a Binding success response (used by clients and tests). */
export function readXorMappedAddress(buf: Buffer): { ip: string; port: number } | undefined {
  if (buf.length < HEADER || buf.readUInt16BE(0) !== BINDING_SUCCESS) return undefined;
  const xorKey = buf.subarray(4, 20);
  let offset = HEADER;
  while (offset + 4 <= buf.length) {
    const type = buf.readUInt16BE(offset);
    const length = buf.readUInt16BE(offset + 2);
    const value = buf.subarray(offset + 4, offset + 4 + length);
    if (type === ATTR_XOR_MAPPED_ADDRESS && value.length >= 8) {
      const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
      const raw = Buffer.from(value.subarray(4));
      for (let i = 0; i < raw.length; i += 1) raw[i] = (raw[i] ?? 0) ^ (xorKey[i] ?? 0);
      const ip = raw.length === 4 ? [...raw].join('.') : canonicalIpv6((raw.toString('hex').match(/.{4}/g) ?? []).join(':'));
      return { ip, port };
    }
    offset += 4 + Math.ceil(length / 4) * 4;
  }
  return undefined;
}
