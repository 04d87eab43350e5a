// Which resolvers asked for which name: the evidence of a DNS leak test. Memory is bounded twice — by
// age (records expire) and by count (the oldest name goes first) — because anyone can make us store a
// record by asking for a random name.
import { ipFamily, type IpFamily } from './ip.js';

export interface ResolverSeen {
  ip: string;
  family: IpFamily;
  queries: number;
  firstSeen: string;
  lastSeen: string;
}

export interface ResolverLogOptions {
  /** How long a name's record is kept after it was first asked for. */
  ttlMs: number;
  maxNames: number;
  /** Distinct resolvers kept per name; a real client sees a handful, never hundreds. */
  maxResolversPerName: number;
  now?: () => number;
}

interface Entry {
  created: number;
  resolvers: Map<string, { queries: number; first: number; last: number }>;
}

export class ResolverLog {
  private readonly names = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: ResolverLogOptions) {
    if (!(options.ttlMs > 0) || !(options.maxNames >= 1) || !(options.maxResolversPerName >= 1)) {
      throw new Error('resolver log needs ttlMs > 0, maxNames >= 1 and maxResolversPerName >= 1');
    }
    this.now = options.now ?? Date.now;
  }

  record(name: string, resolverIp: string): void {
    const now = this.now();
    this.sweep(now);
    const key = name.toLowerCase();
    let entry = this.names.get(key);
    if (entry === undefined) {
      entry = { created: now, resolvers: new Map() };
      this.names.set(key, entry);
      // Names are inserted in creation order, so the first key is always the oldest.
      while (this.names.size > this.options.maxNames) {
        const oldest = this.names.keys().next();
        if (oldest.done === true) break;
        this.names.delete(oldest.value);
      }
    }
    const seen = entry.resolvers.get(resolverIp);
    if (seen !== undefined) {
      seen.queries += 1;
      seen.last = now;
    } else if (entry.resolvers.size < this.options.maxResolversPerName) {
      entry.resolvers.set(resolverIp, { queries: 1, first: now, last: now });
    }
  }

  lookup(name: string): ResolverSeen[] {
    this.sweep(this.now());
    const entry = this.names.get(name.toLowerCase());
    if (entry === undefined) return [];
    return [...entry.resolvers].map(([ip, seen]) => ({
      ip,
      family: ipFamily(ip) ?? 'IPv4',
      queries: seen.queries,
      firstSeen: new Date(seen.first).toISOString(),
      lastSeen: new Date(seen.last).toISOString(),
    }));
  }

  /** Drops expired names; cheap because only the expired prefix of the Map is visited. */
  sweep(now = this.now()): void {
    for (const [key, entry] of this.names) {
      if (now - entry.created < this.options.ttlMs) break;
      this.names.delete(key);
    }
  }

  get size(): number {
    return this.names.size;
  }
}
