import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildBindingSuccess, parseBindingRequest, readXorMappedAddress } from '../../../app/leakd/stun.js';

function bindingRequest(attributes = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt16BE(attributes.length, 2);
  header.writeUInt32BE(0x2112a442, 4);
  randomBytes(12).copy(header, 8);
  return Buffer.concat([header, attributes]);
}

describe('STUN binding', () => {
  it('answers a request with the caller address, XOR-encoded (IPv4 and IPv6)', () => {
    const packet = bindingRequest();
    const request = parseBindingRequest(packet);
    if (typeof request === 'string') throw new Error(request);
    expect(request.transactionId.equals(packet.subarray(8, 20))).toBe(true);
    const v4 = buildBindingSuccess(request, '10.1.2.3', 40000);
    expect(v4.subarray(8, 20).equals(request.transactionId)).toBe(true);
    expect(readXorMappedAddress(v4)).toEqual({ ip: '10.1.2.3', port: 40000 });
    const v6 = buildBindingSuccess(request, 'fd6c:12:1::2', 5)
    expect(readXorMappedAddress(v6)).toEqual({ ip: 'fd6c:12:1::2', port: 5 });
  });

  it('accepts well-formed attributes (a SOFTWARE attribute with padding)', () => {
    const attr = Buffer.from([0x80, 0x22, 0x00, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65, 0, 0, 0]);
    expect(typeof parseBindingRequest(bindingRequest(attr))).toBe('object');
  });

  it('refuses what is not a well-formed Binding request', () => {
    const good = bindingRequest();
    const noCookie = Buffer.from(good);
    noCookie.writeUInt32BE(0, 4);
    const wrongType = Buffer.from(good);
    wrongType.writeUInt16BE(0x0101, 0);
    const badLength = Buffer.concat([good, Buffer.alloc(4)]);
    const overrun = bindingRequest(Buffer.from([0x80, 0x22, 0x00, 0x40]));
    for (const packet of [Buffer.alloc(3), noCookie, wrongType, badLength, overrun]) {
      expect(typeof parseBindingRequest(packet)).toBe('string');
    }
  });

  it('never throws on random bytes', () => {
    for (let i = 0; i < 5000; i += 1) {
      const packet = randomBytes(Math.floor(Math.random() * 64));
      if (i % 2 === 0 && packet.length >= 8) packet.writeUInt32BE(0x2112a442, 4);
      expect(() => parseBindingRequest(packet)).not.toThrow();
    }
  });
});
