// What leakd answers for its zone, decided without sockets: every name below the apex exists (so a
// random name resolves and the resolver that asked is recorded); the apex has SOA and NS; anything
// outside the zone is refused, because leakd is authoritative only and must not become an open resolver.
import { CLASS_IN, RCODE, RR, encodeName, encodeSoa, type DnsAnswer, type DnsQuery, type DnsRecord } from './dns-packet.js';
import { ipToBytes } from './ip.js';

export interface ZoneConfig {
  /** Lower-case apex without trailing dot, e.g. `leak.lab`. */
  zone: string;
  /** Addresses every name below the apex resolves to (usually leakd's own HTTP address). */
  answerA: string[];
  answerAAAA: string[];
  /** TTL of positive answers: short, so resolvers ask again instead of answering from cache. */
  ttl: number;
}

export interface ZoneDecision {
  answer: DnsAnswer;
  /** The name to record the resolver for, when the query was for a name below the apex. */
  recordName?: string;
}

// Names a leak test generates are plain host-name labels; anything else is answered but not stored.
const RECORDABLE_LABEL = /^[a-z0-9_-]{1,63}$/;

export function inZone(name: string, zone: string): 'apex' | 'below' | 'outside' {
  if (name === zone) return 'apex';
  return name.endsWith(`.${zone}`) ? 'below' : 'outside';
}

export function decide(query: DnsQuery, config: ZoneConfig): ZoneDecision {
  const { name, type, qclass } = query.question;
  const soa: DnsRecord = {
    type: RR.SOA,
    ttl: config.ttl,
    data: encodeSoa({ primary: `ns.${config.zone}`, mailbox: `hostmaster.${config.zone}`, serial: 1, minimum: config.ttl }),
  };
  const base = { authoritative: true, zone: config.zone, answers: [] as DnsRecord[], authority: [] as DnsRecord[] };
  const where = inZone(name, config.zone);
  if (qclass !== CLASS_IN || where === 'outside') {
    return { answer: { ...base, authoritative: false, rcode: RCODE.REFUSED } };
  }
  const noData: DnsAnswer = { ...base, rcode: RCODE.NOERROR, authority: [soa] };
  if (where === 'apex') {
    if (type === RR.SOA || type === RR.ANY) return { answer: { ...base, rcode: RCODE.NOERROR, answers: [soa] } };
    if (type === RR.NS) {
      return { answer: { ...base, rcode: RCODE.NOERROR, answers: [{ type: RR.NS, ttl: config.ttl, data: encodeName(`ns.${config.zone}`) }] } };
    }
    return { answer: noData };
  }
  const relative = name.slice(0, -(config.zone.length + 1));
  const recordName = relative.split('.').every((label) => RECORDABLE_LABEL.test(label)) ? name : undefined;
  const wanted = [
    ...(type === RR.A || type === RR.ANY ? config.answerA.map((ip) => ({ type: RR.A, ip })) : []),
    ...(type === RR.AAAA || type === RR.ANY ? config.answerAAAA.map((ip) => ({ type: RR.AAAA, ip })) : []),
  ];
  const answers = wanted.map(({ type: t, ip }) => ({ type: t, ttl: config.ttl, data: ipToBytes(ip) }));
  const answer = answers.length > 0 ? { ...base, rcode: RCODE.NOERROR, answers } : noData;
  return recordName === undefined ? { answer } : { answer, recordName };
}
