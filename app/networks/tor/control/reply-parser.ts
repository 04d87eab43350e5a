// Incremental parser for Tor control-port replies (control-spec §2.3, §4). It owns the byte stream from tor:
// chunks may split anywhere (inside a line, inside CRLF, inside a data block), and it never grows without
// bound, because a confused or hostile peer must not be able to make the app buffer forever.
import { BurrowError } from '../../../domain/errors.js';

export type ReplySeparator = ' ' | '-' | '+';

export interface ReplyLine {
  readonly code: number;
  /** ' ' ends the reply, '-' is a mid-reply line, '+' is followed by a data block. */
  readonly separator: ReplySeparator;
  readonly text: string;
  /** For '+' lines: the data block, dot-unstuffed, lines joined by '\n', without the final '.'. */
  readonly data?: string;
}

export interface ControlReply {
  /** The status code of the end line: 2xx success, 4xx/5xx errors, 6xx asynchronous events. */
  readonly code: number;
  readonly lines: readonly ReplyLine[];
}

export interface ReplyLimits {
  /** Longest single line accepted, in bytes, CRLF excluded. */
  readonly maxLineBytes: number;
  /** Largest whole reply (all its lines and data) accepted, in bytes. */
  readonly maxReplyBytes: number;
}

// Descriptors and consensus bodies can be several MB; a single line is never near 1 MiB.
export const DEFAULT_REPLY_LIMITS: ReplyLimits = { maxLineBytes: 1024 * 1024, maxReplyBytes: 32 * 1024 * 1024 };

export function isEvent(reply: ControlReply): boolean {
  return reply.code >= 600 && reply.code < 700;
}

const STATUS_LINE = /^([0-9]{3})([ +-])(.*)$/s;
const LF = 0x0a;

export class ReplyParser {
  private readonly limits: ReplyLimits;
  private pending: Buffer = Buffer.alloc(0);
  private lines: ReplyLine[] = [];
  private replyBytes = 0;
  /** Set while inside a '+' data block: the line that opened it and the data lines so far. */
  private dataBlock: { code: number; text: string; lines: string[] } | undefined;
  private failure: BurrowError | undefined;

  constructor(limits: Partial<ReplyLimits> = {}) {
    this.limits = { ...DEFAULT_REPLY_LIMITS, ...limits };
  }

  /**
   * Feeds bytes; returns every reply completed by them, in order. Throws on a malformed or oversized
   * reply, after which the stream cannot be resynchronised and every later call throws the same error.
   */
  push(chunk: Uint8Array): ControlReply[] {
    if (this.failure !== undefined) throw this.failure;
    try {
      return this.consume(chunk);
    } catch (error) {
      this.failure = error instanceof BurrowError ? error : new BurrowError('internal', String(error));
      this.pending = Buffer.alloc(0);
      this.lines = [];
      this.dataBlock = undefined;
      throw this.failure;
    }
  }

  /** True when no partial line or reply is buffered: the peer stopped at a reply boundary. */
  get idle(): boolean {
    return this.pending.length === 0 && this.lines.length === 0 && this.dataBlock === undefined;
  }

  private consume(chunk: Uint8Array): ControlReply[] {
    const done: ControlReply[] = [];
    // Only the new bytes can hold the next LF, so scanning starts where the old partial line ended.
    let scanFrom = this.pending.length;
    let buffer = scanFrom === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const lf = buffer.indexOf(LF, scanFrom);
      if (lf < 0) break;
      const end = lf > 0 && buffer[lf - 1] === 0x0d ? lf - 1 : lf;
      if (end > this.limits.maxLineBytes) this.tooLarge('line', end);
      this.countReplyBytes(lf + 1);
      const reply = this.onLine(buffer.subarray(0, end).toString('utf8'));
      if (reply !== undefined) done.push(reply);
      buffer = buffer.subarray(lf + 1);
      scanFrom = 0;
    }
    if (buffer.length > this.limits.maxLineBytes) this.tooLarge('line', buffer.length);
    // Copy so the (possibly large) chunk this slice points into can be garbage-collected.
    this.pending = Buffer.from(buffer);
    return done;
  }

  private onLine(line: string): ControlReply | undefined {
    if (this.dataBlock !== undefined) {
      if (line === '.') {
        const block = this.dataBlock;
        this.dataBlock = undefined;
        this.lines.push({ code: block.code, separator: '+', text: block.text, data: block.lines.join('\n') });
      } else {
        // Dot-stuffing: tor doubles a leading '.' so that a data line can never look like the terminator.
        this.dataBlock.lines.push(line.startsWith('.') ? line.slice(1) : line);
      }
      return undefined;
    }
    const match = STATUS_LINE.exec(line);
    if (match === null) {
      throw new BurrowError('helper_failed', 'Tor sent a control-port line that is not a valid reply line.', {
        line: line.slice(0, 80),
      });
    }
    const code = Number(match[1]);
    const separator = match[2] as ReplySeparator;
    const text = match[3] ?? '';
    if (separator === '+') {
      this.dataBlock = { code, text, lines: [] };
      return undefined;
    }
    this.lines.push({ code, separator, text });
    if (separator === '-') return undefined;
    const reply: ControlReply = { code, lines: this.lines };
    this.lines = [];
    this.replyBytes = 0;
    return reply;
  }

  private countReplyBytes(n: number): void {
    this.replyBytes += n;
    if (this.replyBytes > this.limits.maxReplyBytes) this.tooLarge('reply', this.replyBytes);
  }

  private tooLarge(what: 'line' | 'reply', bytes: number): never {
    const limit = what === 'line' ? this.limits.maxLineBytes : this.limits.maxReplyBytes;
    throw new BurrowError('message_too_large', `Tor sent a control-port ${what} larger than ${limit} bytes; the connection is closed.`, {
      what,
      bytes,
      limit,
    });
  }
}
