// The control-port transport: one socket (TCP or Unix), one reply parser, and a strict command queue. Only
// one command is outstanding at a time, so replies pair with commands by order alone, and a command that
// must not be sent (an AUTHENTICATE after a failed SAFECOOKIE check) is simply never dequeued.
import { lstat } from 'node:fs/promises';
import net from 'node:net';

import { BurrowError } from '../../../domain/errors.js';
import { replyError } from './errors.js';
import { assertKeyword, assertSafeArgument } from './quote.js';
import { isEvent, ReplyParser } from './reply-parser.js';
import type { ControlReply, ReplyLimits } from './reply-parser.js';

export type ControlEndpoint = { readonly host?: string; readonly port: number } | { readonly path: string };

export interface ConnectionOptions {
  readonly connectTimeoutMs?: number;
  /** A command with no reply by then fails, and the connection is closed (it can no longer be trusted). */
  readonly commandTimeoutMs?: number;
  readonly limits?: Partial<ReplyLimits>;
  /** Unix sockets only: refuse a socket file not owned by this uid (someone else's listener). */
  readonly expectSocketOwner?: number;
}

export interface SendOptions {
  /** Values that must never appear in an error (passwords, hashes); tor's reply text is scrubbed of them. */
  readonly secrets?: readonly string[];
}

interface Pending {
  readonly keyword: string;
  readonly line: string;
  readonly secrets: readonly string[];
  readonly resolve: (reply: ControlReply) => void;
  readonly reject: (error: BurrowError) => void;
}

function describe(endpoint: ControlEndpoint): string {
  return 'path' in endpoint ? endpoint.path : `${endpoint.host ?? '127.0.0.1'}:${endpoint.port}`;
}

async function checkSocketOwner(path: string, uid: number): Promise<void> {
  const stat = await lstat(path).catch(() => undefined);
  if (stat === undefined || !stat.isSocket()) {
    throw new BurrowError('helper_failed', `Tor's control socket ${path} does not exist.`, { path });
  }
  if (stat.uid !== uid) {
    throw new BurrowError('unauthorized', `Tor's control socket ${path} belongs to uid ${stat.uid}, not ${uid}; refusing to use it.`, {
      path,
      owner: stat.uid,
      expected: uid,
    });
  }
}

export class ControlConnection {
  private readonly socket: net.Socket;
  private readonly parser: ReplyParser;
  private readonly commandTimeoutMs: number;
  private readonly queue: Pending[] = [];
  private inFlight: Pending | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: BurrowError | undefined;
  private readonly eventListeners = new Set<(reply: ControlReply) => void>();
  private readonly closeListeners = new Set<(error: BurrowError | undefined) => void>();
  private readonly closedPromise: Promise<void>;
  private expectingClose = false;

  private constructor(socket: net.Socket, options: ConnectionOptions) {
    this.socket = socket;
    this.parser = new ReplyParser(options.limits);
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(new BurrowError('helper_failed', `The Tor control connection failed: ${error.message}`)));
    this.closedPromise = new Promise((resolve) => {
      socket.once('close', () => {
        this.fail(
          this.expectingClose
            ? new BurrowError('cancelled', 'The Tor control connection was closed by Burrow.')
            : new BurrowError('helper_failed', 'Tor closed the control connection.'),
          this.expectingClose,
        );
        resolve();
      });
    });
  }

  static async open(endpoint: ControlEndpoint, options: ConnectionOptions = {}): Promise<ControlConnection> {
    if ('path' in endpoint && options.expectSocketOwner !== undefined) await checkSocketOwner(endpoint.path, options.expectSocketOwner);
    const socket =
      'path' in endpoint ? net.createConnection({ path: endpoint.path }) : net.createConnection({ host: endpoint.host ?? '127.0.0.1', port: endpoint.port });
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new BurrowError('timeout', `No answer from tor's control port ${describe(endpoint)} within ${timeoutMs} ms.`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new BurrowError('helper_failed', `Cannot reach tor's control port ${describe(endpoint)}: ${error.message}`, { endpoint: describe(endpoint) }));
      });
    });
    socket.setNoDelay(true);
    return new ControlConnection(socket, options);
  }

  get closed(): boolean {
    return this.failure !== undefined;
  }

  /** Bytes written to tor so far: lets a caller (and a test) prove a refused command never left. */
  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }

  /**
   * Queues `KEYWORD arg…` and resolves with tor's 2xx reply; any other status rejects with a
   * TorControlError. Arguments are validated (no CR, LF, NUL) before anything is queued or written; callers
   * quote values themselves (see quote.ts).
   */
  send(keyword: string, args: readonly string[] = [], options: SendOptions = {}): Promise<ControlReply> {
    try {
      assertKeyword(keyword, 'command');
      args.forEach((arg, index) => assertSafeArgument(arg, `argument ${index + 1} of ${keyword}`));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const line = [keyword, ...args].join(' ');
    return new Promise<ControlReply>((resolve, reject) => {
      this.queue.push({ keyword, line, secrets: options.secrets ?? [], resolve, reject });
      this.pump();
    });
  }

  onEvent(listener: (reply: ControlReply) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called once when the connection ends; the error is undefined after our own close(). */
  onClose(listener: (error: BurrowError | undefined) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Resolves when tor (or the OS) has closed the socket. */
  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  /** After QUIT or TAKEOWNERSHIP-then-close, tor hanging up is the plan, not a failure to report. */
  expectClose(): void {
    this.expectingClose = true;
  }

  /** Closes the socket; queued and in-flight commands reject with `cancelled`. */
  async close(): Promise<void> {
    this.fail(new BurrowError('cancelled', 'The Tor control connection was closed by Burrow.'), true);
    await this.closedPromise;
  }

  private pump(): void {
    if (this.inFlight !== undefined || this.failure !== undefined) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    this.inFlight = next;
    this.timer = setTimeout(() => {
      this.fail(new BurrowError('timeout', `Tor did not answer ${next.keyword} within ${this.commandTimeoutMs} ms.`, { command: next.keyword }));
    }, this.commandTimeoutMs);
    this.socket.write(`${next.line}\r\n`);
  }

  private onData(chunk: Buffer): void {
    let replies: ControlReply[];
    try {
      replies = this.parser.push(chunk);
    } catch (error) {
      this.fail(error instanceof BurrowError ? error : new BurrowError('internal', String(error)));
      return;
    }
    for (const reply of replies) {
      if (this.failure !== undefined) return;
      if (isEvent(reply)) this.dispatchEvent(reply);
      else this.onReply(reply);
    }
  }

  private dispatchEvent(reply: ControlReply): void {
    for (const listener of this.eventListeners) {
      // A throwing listener (UI code) must not break the byte stream or the other listeners.
      try {
        listener(reply);
      } catch {
        /* ignored on purpose */
      }
    }
  }

  private onReply(reply: ControlReply): void {
    const pending = this.inFlight;
    if (pending === undefined) {
      this.fail(new BurrowError('helper_failed', 'Tor sent a reply nobody asked for; the control connection is out of step.', { code: reply.code }));
      return;
    }
    clearTimeout(this.timer);
    this.inFlight = undefined;
    if (reply.code >= 200 && reply.code < 300) pending.resolve(reply);
    else pending.reject(replyError(pending.keyword, reply, pending.secrets));
    this.pump();
  }

  private fail(error: BurrowError, byUs = false): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    clearTimeout(this.timer);
    const pending = [...(this.inFlight === undefined ? [] : [this.inFlight]), ...this.queue.splice(0)];
    this.inFlight = undefined;
    this.socket.destroy();
    for (const p of pending) p.reject(error);
    for (const listener of this.closeListeners) {
      try {
        listener(byUs ? undefined : error);
      } catch {
        /* a close listener's failure changes nothing: the connection is already gone */
      }
    }
  }
}
