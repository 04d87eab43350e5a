// Per-caller token buckets, with a hard cap on how many callers are remembered: a flood from many
// addresses must not grow memory without bound, so the least recently seen caller is forgotten first.

export interface RateLimitOptions {
  /** Sustained requests per second allowed per caller. */
  perSecond: number;
  /** Requests a caller may make at once after being idle. */
  burst: number;
  /** Callers remembered at most. */
  maxKeys: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1) || !(options.maxKeys >= 1)) {
      throw new Error('rate limit needs perSecond > 0, burst >= 1 and maxKeys >= 1');
    }
    this.now = options.now ?? Date.now;
  }

  /** Takes one token for `key`; false means the caller is over its budget and should be refused. */
  allow(key: string): boolean {
    const now = this.now();
    const old = this.buckets.get(key);
    const bucket = old ?? { tokens: this.options.burst, at: now };
    const refill = ((now - bucket.at) / 1000) * this.options.perSecond;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + Math.max(0, refill));
    bucket.at = now;
    // Re-inserting keeps the Map in least-recently-seen order, so eviction takes the first key.
    if (old !== undefined) this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.options.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done === true) break;
      this.buckets.delete(oldest.value);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }
}
