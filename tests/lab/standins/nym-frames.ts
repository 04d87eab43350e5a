// STAND-IN support: the wire format between the nym-socks5-client stand-in and the stand-in mixnet
// (gateway, mix layers, network requester in one lab process). The real client speaks Sphinx packets
// over a websocket to its gateway; this stand-in keeps what matters to Burrow: one TCP connection from
// the client to its gateway carries everything, payloads travel in chunks of at most 2 KiB, and every
// chunk carries the per-hop delays its sender drew (in Sphinx the sender picks them too).
//
// Frame: type u8 | stream u32 | delay µs u32 | length u32 | payload.

export const CHUNK_BYTES = 2048;
export const HEADER_BYTES = 13;
const MAX_PAYLOAD = 64 * 1024;

export const FRAME = {
  /** client → gateway, `init`: register; payload JSON {client, gateway}. */
  register: 1,
  /** gateway → client: registration done; payload JSON {sharedKey}. */
  registered: 2,
  /** client → gateway, `run`: payload JSON {client, gateway, provider, averagePacketDelayMs}. */
  hello: 3,
  welcome: 4,
  /** client → exit through the mixnet: payload JSON {host, port}. */
  open: 5,
  data: 6,
  /** Either way: the stream is over; from the exit the payload is an error text when it failed. */
  close: 7,
  /** Loop cover traffic: goes out and comes back, carrying nothing. */
  cover: 8,
  /** gateway → client: a refusal (unknown gateway, not registered); the connection closes after it. */
  error: 9,
} as const;
export type FrameType = (typeof FRAME)[keyof typeof FRAME];

export interface Frame {
  type: FrameType;
  stream: number;
  delayUs: number;
  payload: Buffer;
}

export function encodeFrame(frame: Frame): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(frame.type, 0);
  header.writeUInt32BE(frame.stream >>> 0, 1);
  header.writeUInt32BE(Math.min(0xffff_ffff, Math.max(0, Math.round(frame.delayUs))), 5);
  header.writeUInt32BE(frame.payload.length, 9);
  return Buffer.concat([header, frame.payload]);
}

export function jsonFrame(type: FrameType, stream: number, value: unknown, delayUs = 0): Buffer {
  return encodeFrame({ type, stream, delayUs, payload: Buffer.from(JSON.stringify(value)) });
}

/** Reassembles frames from a byte stream. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    while (this.buffer.length >= HEADER_BYTES) {
      const length = this.buffer.readUInt32BE(9);
      if (length > MAX_PAYLOAD) throw new Error(`frame of ${length} bytes is too large`);
      if (this.buffer.length < HEADER_BYTES + length) break;
      frames.push({
        type: this.buffer.readUInt8(0) as FrameType,
        stream: this.buffer.readUInt32BE(1),
        delayUs: this.buffer.readUInt32BE(5),
        payload: Buffer.from(this.buffer.subarray(HEADER_BYTES, HEADER_BYTES + length)),
      });
      this.buffer = this.buffer.subarray(HEADER_BYTES + length);
    }
    return frames;
  }
}

/** One exponential draw with the given mean (ms), in µs. */
export function exponentialUs(meanMs: number, random: () => number = Math.random): number {
  if (meanMs <= 0) return 0;
  return -Math.log(1 - random()) * meanMs * 1000;
}

/** The delay of one chunk across the three mix layers: the sum of three exponential draws. */
export function mixDelayUs(averagePacketDelayMs: number, random: () => number = Math.random): number {
  return exponentialUs(averagePacketDelayMs, random) + exponentialUs(averagePacketDelayMs, random) + exponentialUs(averagePacketDelayMs, random);
}

/** Splits a payload into chunks of at most 2 KiB (the mixnet's packet size, roughly). */
export function chunks(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += CHUNK_BYTES) out.push(data.subarray(offset, offset + CHUNK_BYTES));
  return out;
}

/**
 * Delivers chunks of one direction of one stream in order after their delays, the way the receiving
 * end reassembles a message (Nym's per-stream sequence numbers): a chunk that arrives early waits for the
 * ones before it. One timer for the head of a queue, not one per chunk: Node arms timers from the event
 * loop's cached clock, so two timers set a few ms apart in one busy tick can fire in either order (a
 * stream's close overtook its data, and the program saw an empty answer).
 */
export class OrderedDelay {
  private last = 0;
  private readonly queue: { due: number; deliver: () => void }[] = [];
  private armed = false;

  schedule(delayUs: number, deliver: () => void): void {
    const due = Math.max(this.last, performance.now() + delayUs / 1000);
    this.last = due;
    this.queue.push({ due, deliver });
    if (!this.armed) this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (head === undefined) return;
    this.armed = true;
    const wait = head.due - performance.now();
    if (wait <= 0.5) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.armed = false;
    // A timer may fire a little early by performance.now(): what is not yet due waits for the next one.
    while (this.queue.length > 0 && (this.queue[0]?.due ?? 0) <= performance.now() + 0.5) this.queue.shift()?.deliver();
    this.arm();
  }
}

/** A config.toml duration ('15ms', '0.2s', '50ms') in milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|us|µs)\s*$/.exec(text);
  if (match === null) return undefined;
  const value = Number(match[1]);
  return match[2] === 's' ? value * 1000 : match[2] === 'ms' ? value : value / 1000;
}
