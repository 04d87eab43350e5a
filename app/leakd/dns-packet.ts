// DNS wire format, only as much as an authoritative leak-test server needs: parse one query, build one
// answer. Every length is checked against the buffer: the input comes from anyone on the internet.

export const RR = { A: 1, NS: 2, SOA: 6, AAAA: 28, ANY: 255 } as const;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const CLASS_IN = 1;
const HEADER = 12;

export interface DnsQuestion {
  /** Lower-case, dot-separated, no trailing dot; the root is "". */
  name: string;
  type: number;
  qclass: number;
}

export interface DnsQuery {
  id: number;
  recursionDesired: boolean;
  question: DnsQuestion;
  /** The question section exactly as received: echoed back byte for byte (resolvers using 0x20 case randomisation compare it). */
  questionBytes: Buffer;
}

export type ParsedQuery =
  | { kind: 'query'; query: DnsQuery }
  /** Understood enough to answer with an error code (the caller's id is known). */
  | { kind: 'error'; id: number; rcode: number; reason: string }
  /** Not worth an answer: too short, or itself a response (answering responses invites loops). */
  | { kind: 'drop'; reason: string };

interface NameRead {
  labels: string[];
  end: number;
}

function readQuestionName(buf: Buffer, start: number): NameRead | string {
  const labels: string[] = [];
  let offset = start;
  let wireLength = 0;
  for (;;) {
    const len = buf[offset];
    if (len === undefined) return 'name runs past the end of the packet';
    // A compression pointer in the only question can point nowhere but the header: reject it.
    if ((len & 0xc0) !== 0) return 'compressed or extended label in the question';
    offset += 1;
    wireLength += len + 1;
    if (wireLength > 255) return 'name longer than 255 bytes';
    if (len === 0) return { labels, end: offset };
    if (offset + len > buf.length) return 'label runs past the end of the packet';
    labels.push(buf.toString('latin1', offset, offset + len).toLowerCase());
    offset += len;
  }
}

export function parseQuery(buf: Buffer): ParsedQuery {
  if (buf.length < HEADER) return { kind: 'drop', reason: 'shorter than a DNS header' };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  if ((flags & 0x8000) !== 0) return { kind: 'drop', reason: 'a response, not a query' };
  const opcode = (flags >> 11) & 0xf;
  if (opcode !== 0) return { kind: 'error', id, rcode: RCODE.NOTIMP, reason: `opcode ${opcode}` };
  if (buf.readUInt16BE(4) !== 1) return { kind: 'error', id, rcode: RCODE.FORMERR, reason: 'question count is not 1' };
  const name = readQuestionName(buf, HEADER);
  if (typeof name === 'string') return { kind: 'error', id, rcode: RCODE.FORMERR, reason: name };
  if (name.end + 4 > buf.length) return { kind: 'error', id, rcode: RCODE.FORMERR, reason: 'question type/class missing' };
  return {
    kind: 'query',
    query: {
      id,
      recursionDesired: (flags & 0x0100) !== 0,
      question: { name: name.labels.join('.'), type: buf.readUInt16BE(name.end), qclass: buf.readUInt16BE(name.end + 2) },
      questionBytes: buf.subarray(HEADER, name.end + 4),
    },
  };
}

export interface DnsRecord {
  type: number;
  ttl: number;
  /** Already encoded record data. */
  data: Buffer;
}

export interface DnsAnswer {
  rcode: number;
  authoritative: boolean;
  answers: DnsRecord[];
  /** Authority-section records (the SOA of a negative answer); owner is the zone apex. */
  authority: DnsRecord[];
  zone: string;
}

/** Uncompressed wire form of a dotted name. */
export function encodeName(name: string): Buffer {
  const labels = name === '' ? [] : name.split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length === 0 || bytes.length > 63) throw new Error(`bad DNS label in "${name}"`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function encodeRecord(owner: Buffer, qclass: number, record: DnsRecord): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(record.type, 0);
  fixed.writeUInt16BE(qclass, 2);
  fixed.writeUInt32BE(record.ttl >>> 0, 4);
  fixed.writeUInt16BE(record.data.length, 8);
  return Buffer.concat([owner, fixed, record.data]);
}

/** A response carrying the caller's question (or none, for an error without a readable question). */
export function buildResponse(query: DnsQuery, answer: DnsAnswer): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(query.id, 0);
  const flags = 0x8000 | (answer.authoritative ? 0x0400 : 0) | (query.recursionDesired ? 0x0100 : 0) | (answer.rcode & 0xf);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answer.answers.length, 6);
  header.writeUInt16BE(answer.authority.length, 8);
  // Every answer is about the question's name: point at it (offset 12) instead of repeating it.
  const questionName = Buffer.from([0xc0, HEADER]);
  const zoneName = encodeName(answer.zone);
  return Buffer.concat([
    header,
    query.questionBytes,
    ...answer.answers.map((r) => encodeRecord(questionName, CLASS_IN, r)),
    ...answer.authority.map((r) => encodeRecord(zoneName, CLASS_IN, r)),
  ]);
}

/** Header-only error response, for queries whose question could not be read. */
export function buildErrorResponse(id: number, rcode: number): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8000 | (rcode & 0xf), 2);
  return header;
}

export interface SoaFields {
  primary: string;
  mailbox: string;
  serial: number;
  /** Negative-caching TTL (RFC 2308): kept short so a retried leak test asks again. */
  minimum: number;
}

export function encodeSoa(soa: SoaFields): Buffer {
  const numbers = Buffer.alloc(20);
  [soa.serial, 3600, 600, 86400, soa.minimum].forEach((n, i) => numbers.writeUInt32BE(n >>> 0, i * 4));
  return Buffer.concat([encodeName(soa.primary), encodeName(soa.mailbox), numbers]);
}

export { CLASS_IN };
