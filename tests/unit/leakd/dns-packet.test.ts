import { describe, expect, it } from 'vitest';
import { RCODE, RR, buildResponse, encodeName, parseQuery } from '../../../app/leakd/dns-packet.js';
import { decide, type ZoneConfig } from '../../../app/leakd/dns-zone.js';

function query(name: string, type: number, opts: { id?: number; flags?: number; qdcount?: number } = {}): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(opts.id ?? 0x1234, 0);
  header.writeUInt16BE(opts.flags ?? 0x0100, 2);
  header.writeUInt16BE(opts.qdcount ?? 1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

const zone: ZoneConfig = { zone: 'leak.lab', answerA: ['10.9.80.80'], answerAAAA: ['fd00::80'], ttl: 5 };

function answerOf(packet: Buffer) {
  const parsed = parseQuery(packet);
  if (parsed.kind !== 'query') throw new Error(`expected a query, got ${parsed.kind}`);
  const decision = decide(parsed.query, zone);
  const wire = buildResponse(parsed.query, decision.answer);
  return { decision, wire };
}

describe('DNS query parsing', () => {
  it('reads id, name (lower-cased), type and the raw question', () => {
    const parsed = parseQuery(query('AbC.Leak.LAB', RR.A, { id: 77 }));
    expect(parsed.kind).toBe('query');
    if (parsed.kind !== 'query') return;
    expect(parsed.query.id).toBe(77);
    expect(parsed.query.question).toEqual({ name: 'abc.leak.lab', type: RR.A, qclass: 1 });
    expect(parsed.query.recursionDesired).toBe(true);
    // The raw bytes keep the caller's case: resolvers using 0x20 randomisation compare them.
    expect(parsed.query.questionBytes.toString('latin1')).toContain('AbC');
  });

  it('drops packets shorter than a header and responses', () => {
    expect(parseQuery(Buffer.alloc(5)).kind).toBe('drop');
    expect(parseQuery(query('a.leak.lab', RR.A, { flags: 0x8000 })).kind).toBe('drop');
  });

  it('answers malformed questions with an error code instead of throwing', () => {
    const truncated = query('abc.leak.lab', RR.A).subarray(0, 18);
    expect(parseQuery(truncated)).toMatchObject({ kind: 'error', rcode: RCODE.FORMERR });
    expect(parseQuery(query('a.leak.lab', RR.A, { qdcount: 2 }))).toMatchObject({ kind: 'error', rcode: RCODE.FORMERR });
    expect(parseQuery(query('a.leak.lab', RR.A, { flags: 2 << 11 }))).toMatchObject({ kind: 'error', rcode: RCODE.NOTIMP });
    const pointer = Buffer.concat([query('a', RR.A).subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]);
    expect(parseQuery(pointer)).toMatchObject({ kind: 'error', rcode: RCODE.FORMERR });
  });

  it('rejects names longer than 255 bytes', () => {
    const long = Array.from({ length: 5 }, () => 'x'.repeat(60)).join('.');
    expect(parseQuery(query(long, RR.A))).toMatchObject({ kind: 'error', rcode: RCODE.FORMERR });
  });

  it('never throws on random bytes', () => {
    for (let i = 0; i < 5000; i += 1) {
      const packet = Buffer.from(Array.from({ length: Math.floor(Math.random() * 80) }, () => Math.floor(Math.random() * 256)));
      const parsed = parseQuery(packet);
      if (parsed.kind === 'query') expect(() => decide(parsed.query, zone)).not.toThrow();
    }
  });
});

describe('leak zone answers', () => {
  it('answers a random name below the zone with the configured address and records it', () => {
    const { decision, wire } = answerOf(query('r4nd0m.leak.lab', RR.A));
    expect(decision.recordName).toBe('r4nd0m.leak.lab');
    expect(decision.answer.rcode).toBe(RCODE.NOERROR);
    expect(wire.readUInt16BE(2) & 0x0400).toBe(0x0400); // authoritative
    expect(wire.readUInt16BE(6)).toBe(1); // one answer
    expect([...wire.subarray(wire.length - 4)]).toEqual([10, 9, 80, 80]);
  });

  it('answers AAAA with the IPv6 address', () => {
    const { wire } = answerOf(query('x.leak.lab', RR.AAAA));
    expect(wire.subarray(wire.length - 16).toString('hex')).toBe('fd000000000000000000000000000080');
  });

  it('refuses names outside the zone and records nothing', () => {
    const { decision } = answerOf(query('example.com', RR.A));
    expect(decision.answer.rcode).toBe(RCODE.REFUSED);
    expect(decision.recordName).toBeUndefined();
    expect(answerOf(query('notleak.lab', RR.A)).decision.answer.rcode).toBe(RCODE.REFUSED);
  });

  it('gives the apex an SOA and NODATA for addresses', () => {
    expect(answerOf(query('leak.lab', RR.SOA)).decision.answer.answers).toHaveLength(1);
    const a = answerOf(query('leak.lab', RR.A)).decision;
    expect(a.answer.answers).toHaveLength(0);
    expect(a.answer.authority).toHaveLength(1);
    expect(a.recordName).toBeUndefined();
  });

  it('answers but does not record names with odd bytes', () => {
    const { decision } = answerOf(query('we\u0001ird.leak.lab', RR.A));
    expect(decision.answer.rcode).toBe(RCODE.NOERROR);
    expect(decision.recordName).toBeUndefined();
  });
});
