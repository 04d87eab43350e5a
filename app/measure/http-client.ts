// A minimal HTTP/1.1 client over one kept-alive connection, written for timing: the moment a request is
// written and the moment the first byte of its answer arrives are taken right at the socket, with no
// agent, pool or body decoding in between. Plain sockets or a SOCKS5 proxy; http or https. Bodies need a
// Content-Length (leakd always sends one) or end with the connection; chunked bodies are refused.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { BurrowError } from '../domain/index.js';
import { socks5Connect } from '../networks/helper/socks5.js';
import { cancelledError, preciseNow, type Route } from './types.js';

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_KEPT_BODY = 64 * 1024;

export interface HttpTiming {
  status: number;
  headers: Record<string, string>;
  /** Epoch ms (sub-ms resolution) when the request was handed to the socket. */
  sentAt: number;
  /** When the first byte of the answer arrived. */
  firstByteAt: number;
  /** When the last byte arrived (or the read was stopped). */
  doneAt: number;
  bodyBytes: number;
  /** Body bytes that came with the first chunk that had any (for rates that skip the first round trip). */
  firstChunkBodyBytes: number;
  /** When the first body byte arrived. */
  firstBodyAt: number | undefined;
  /** The body, when it was at most 64 KiB and `keepBody` was asked. */
  body: Buffer | undefined;
  /** True when `stopAt` ended the read before the body was complete. */
  stopped: boolean;
}

export interface GetOptions {
  keepBody?: boolean;
  /** Stop reading at this time (epoch ms) and answer with what arrived; the connection is then closed. */
  stopAt?: number;
  onBody?: (bytes: number) => void;
}

export interface HttpConnection {
  /** When the connection (and the SOCKS handshake, and TLS) was ready. */
  readonly openedAt: number;
  get(path: string, options?: GetOptions): Promise<HttpTiming>;
  close(): void;
}

export interface OpenOptions {
  route: Route;
  signal?: AbortSignal;
  /** For opening and for each request's first byte (default 15 s). */
  timeoutMs?: number;
}

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

async function openSocket(url: URL, options: OpenOptions): Promise<Socket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = portOf(url);
  let raw: Socket;
  if (options.route.kind === 'socks5') {
    raw = await socks5Connect(options.route.proxy, host, port, options.signal);
  } else {
    raw = await new Promise<Socket>((resolve, reject) => {
      const socket = netConnect({ host, port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }
  raw.setNoDelay(true);
  if (url.protocol !== 'https:') return raw;
  return new Promise<Socket>((resolve, reject) => {
    const secure = tlsConnect({ socket: raw, servername: host });
    secure.once('secureConnect', () => {
      secure.off('error', reject);
      resolve(secure);
    });
    secure.once('error', reject);
  });
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string, signal: AbortSignal | undefined, onGiveUp: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      onGiveUp();
      reject(cancelledError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      onGiveUp();
      reject(new BurrowError('timeout', `${what} took longer than ${Math.round(ms / 1000)} s.`));
    }, ms);
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        finish();
        resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine.slice(0, 60))}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), headers };
}

export async function openHttp(url: URL, options: OpenOptions): Promise<HttpConnection> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BurrowError('invalid_request', `The measurement target must be an http or https URL, not ${url.protocol}`);
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  const socketPromise = openSocket(url, options);
  const socket = await withDeadline(socketPromise, timeoutMs, `Opening a connection to ${url.host}`, options.signal, () => {
    void socketPromise.then((s) => s.destroy(), () => undefined);
  }).catch((error: unknown) => {
    if (error instanceof BurrowError) throw error;
    throw new BurrowError('network_unavailable', `Could not reach ${url.host}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const openedAt = preciseNow();
  let busy = false;
  let closed = false;
  const close = (): void => {
    closed = true;
    socket.destroy();
  };

  const get = (path: string, getOptions: GetOptions = {}): Promise<HttpTiming> => {
    if (busy) return Promise.reject(new Error('one request at a time on a measurement connection'));
    if (closed || socket.destroyed) return Promise.reject(new BurrowError('network_unavailable', `The connection to ${url.host} is closed.`));
    busy = true;
    const work = new Promise<HttpTiming>((resolve, reject) => {
      let head = Buffer.alloc(0);
      let parsed: { status: number; headers: Record<string, string> } | undefined;
      let expected: number | undefined;
      let firstByteAt: number | undefined;
      let firstBodyAt: number | undefined;
      let firstChunkBodyBytes = 0;
      let bodyBytes = 0;
      const kept: Buffer[] = [];
      let stopTimer: ReturnType<typeof setTimeout> | undefined;
      const sentAt = preciseNow();
      const done = (stopped: boolean): void => {
        cleanup();
        if (!parsed || firstByteAt === undefined) return;
        resolve({
          status: parsed.status,
          headers: parsed.headers,
          sentAt,
          firstByteAt,
          doneAt: preciseNow(),
          bodyBytes,
          firstChunkBodyBytes,
          firstBodyAt,
          body: getOptions.keepBody === true && bodyBytes <= MAX_KEPT_BODY ? Buffer.concat(kept) : undefined,
          stopped,
        });
        if (stopped || parsed.headers.connection?.toLowerCase() === 'close') close();
      };
      const onBody = (chunk: Buffer): void => {
        if (chunk.length === 0) return;
        if (firstBodyAt === undefined) {
          firstBodyAt = preciseNow();
          firstChunkBodyBytes = chunk.length;
        }
        bodyBytes += chunk.length;
        if (getOptions.keepBody === true && bodyBytes <= MAX_KEPT_BODY) kept.push(chunk);
        getOptions.onBody?.(bodyBytes);
        if (expected !== undefined && bodyBytes >= expected) done(false);
        else if (getOptions.stopAt !== undefined && preciseNow() >= getOptions.stopAt) done(true);
      };
      const onData = (chunk: Buffer): void => {
        firstByteAt ??= preciseNow();
        if (parsed) {
          onBody(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > MAX_HEADER_BYTES) fail(new Error('the answer’s headers are too long'));
          return;
        }
        try {
          parsed = parseHead(head.subarray(0, end).toString('latin1'));
        } catch (error) {
          fail(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (parsed.headers['transfer-encoding'] !== undefined) {
          fail(new Error('chunked answers are not supported by the measurement client'));
          return;
        }
        const length = parsed.headers['content-length'];
        expected = length === undefined ? undefined : Number(length);
        if (expected === 0) done(false);
        else onBody(head.subarray(end + 4));
      };
      const onEnd = (): void => {
        if (parsed && expected === undefined) done(false);
        else fail(new Error(`${url.host} closed the connection in the middle of an answer`));
      };
      const onError = (error: Error): void => fail(error);
      const fail = (error: Error): void => {
        cleanup();
        close();
        reject(new BurrowError('network_unavailable', `Asking ${url.host}${path}: ${error.message}`));
      };
      const cleanup = (): void => {
        clearTimeout(stopTimer);
        socket.off('data', onData).off('end', onEnd).off('error', onError).off('close', onEnd);
        busy = false;
      };
      socket.on('data', onData).once('end', onEnd).once('error', onError).once('close', onEnd);
      if (getOptions.stopAt !== undefined) {
        // A stalled transfer still stops on time.
        stopTimer = setTimeout(() => (parsed && firstByteAt !== undefined ? done(true) : fail(new Error('no answer before the time was up'))), Math.max(0, getOptions.stopAt - sentAt));
      }
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: burrow-measure\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`);
    });
    // The deadline covers the whole request unless the caller bounds it with stopAt.
    const limit = getOptions.stopAt === undefined ? timeoutMs : Math.max(timeoutMs, getOptions.stopAt - preciseNow() + timeoutMs);
    return withDeadline(work, limit, `Asking ${url.host}${path}`, options.signal, close).finally(() => {
      busy = false;
    });
  };

  return { openedAt, get, close };
}
