// `GET /download?bytes=N`: N bytes of noise for Burrow's throughput measurement (app/measure), when iperf3
// is not there or cannot be used (through a SOCKS proxy). Bounded: N is capped, only a few downloads run at
// once, and every download streams the same preallocated chunk with backpressure, so memory stays flat
// whatever is asked; a caller that goes away stops its download at once.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** One preallocated chunk, sent again and again (random, so nothing on the path can compress it). */
const CHUNK = randomBytes(64 * 1024);

export const DEFAULT_DOWNLOADS = { maxBytes: 256 * 1024 * 1024, maxConcurrent: 4 };

/** How many downloads may run at once, across every caller. */
export class DownloadGate {
  private running = 0;

  constructor(
    readonly maxBytes: number = DEFAULT_DOWNLOADS.maxBytes,
    readonly maxConcurrent: number = DEFAULT_DOWNLOADS.maxConcurrent,
  ) {
    if (!(maxBytes >= 1) || !(maxConcurrent >= 1)) throw new Error('downloads need maxBytes >= 1 and maxConcurrent >= 1');
  }

  tryAcquire(): boolean {
    if (this.running >= this.maxConcurrent) return false;
    this.running += 1;
    return true;
  }

  release(): void {
    this.running = Math.max(0, this.running - 1);
  }

  get active(): number {
    return this.running;
  }
}

/** The byte count asked for, or a sentence saying what is wrong with it. */
export function parseDownloadBytes(query: string, maxBytes: number): number | string {
  const value = new URLSearchParams(query).get('bytes');
  if (value === null) return 'give ?bytes=N';
  if (!/^\d{1,12}$/.test(value)) return 'bytes must be a whole number';
  const bytes = Number(value);
  if (bytes < 1 || bytes > maxBytes) return `bytes must be between 1 and ${maxBytes}`;
  return bytes;
}

/** Streams `bytes` bytes, waiting for the socket to drain; releases the gate however the download ends. */
export function streamDownload(res: ServerResponse, bytes: number, gate: DownloadGate, headOnly: boolean): void {
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(bytes),
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  });
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    gate.release();
  };
  res.once('close', release);
  if (headOnly) {
    res.end(release);
    return;
  }
  let left = bytes;
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const size = Math.min(left, CHUNK.length);
      left -= size;
      const more = res.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size));
      if (!more && left > 0) {
        res.once('drain', pump);
        return;
      }
    }
    if (left === 0 && !res.destroyed) res.end(release);
  };
  pump();
}
