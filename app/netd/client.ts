// The host's side of netd's socket. Before every call it checks that the socket is a socket owned by root
// and writable by no one else (as Mullvad's client checks its daemon's socket): a socket anyone could have
// put there is not netd. One connection per call keeps it simple: a call is one line out and one line
// back, and nothing lingers when the host goes away.
import { lstatSync } from 'node:fs';
import { createConnection } from 'node:net';
import { BurrowError } from '../domain/index.js';
import {
  MAX_NETD_MESSAGE_BYTES,
  NETD_AWAY,
  NetdResponseEnvelopeSchema,
  netdCommands,
  type NetdCommandName,
  type NetdRequest,
  type NetdResponse,
} from '../contract/index.js';
import { describeIssues } from '../contract/validation.js';

export interface NetdClient {
  readonly socketPath: string;
  call<N extends NetdCommandName>(method: N, request: NetdRequest<N>, timeoutMs?: number): Promise<NetdResponse<N>>;
}

export interface NetdClientOptions {
  /** The uid the socket must belong to: root (0) except in tests of this check. */
  expectedOwner?: number;
  timeoutMs?: number;
}

/** Throws unless `path` is a socket owned by `expectedOwner` that group or others cannot reach unasked. */
export function checkNetdSocket(path: string, expectedOwner = 0): void {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    throw new BurrowError('netd_unavailable', `netd is not running (no socket at ${path}). Start it as root with: sudo burrow netd --socket ${path}`, NETD_AWAY);
  }
  if (!stats.isSocket()) throw new BurrowError('netd_unavailable', `${path} is not a socket; Burrow will not talk to it as netd.`);
  if (stats.uid !== expectedOwner) {
    throw new BurrowError('unauthorized', `${path} belongs to uid ${stats.uid}, not root: it is not netd, and Burrow will not trust it.`, { uid: stats.uid });
  }
  if ((stats.mode & 0o002) !== 0) {
    throw new BurrowError('unauthorized', `${path} can be written by every user (mode ${(stats.mode & 0o777).toString(8)}); netd never makes it so, Burrow will not trust it.`);
  }
}

export function createNetdClient(socketPath: string, options: NetdClientOptions = {}): NetdClient {
  let nextId = 1;
  return {
    socketPath,
    async call(method, request, timeoutMs = options.timeoutMs ?? 15_000) {
      const spec = netdCommands[method];
      const checked = spec.request.safeParse(request);
      if (!checked.success) {
        // Paths and messages only: a rejected value could be a key.
        throw new BurrowError('invalid_request', `Burrow built an invalid ${method} request for netd: ${describeIssues(checked.error)}`);
      }
      checkNetdSocket(socketPath, options.expectedOwner ?? 0);
      const id = nextId++;
      const raw = await exchange(socketPath, `${JSON.stringify({ id, method, params: checked.data })}\n`, timeoutMs, method);
      const envelope = NetdResponseEnvelopeSchema.safeParse(raw);
      if (!envelope.success || envelope.data.id !== id) throw new BurrowError('netd_unavailable', `netd sent something that is not an answer to ${method}.`);
      if (!envelope.data.ok) throw BurrowError.fromInfo(envelope.data.error);
      const result = spec.response.safeParse(envelope.data.result);
      if (!result.success) throw new BurrowError('netd_unavailable', `netd's answer to ${method} does not match the protocol: ${describeIssues(result.error)}`);
      return result.data as NetdResponse<typeof method>;
    },
  };
}

function exchange(path: string, line: string, timeoutMs: number, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffer = '';
    let settled = false;
    const finish = (error: BurrowError | undefined, value?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new BurrowError('timeout', `netd did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(line));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline < 0) {
        if (buffer.length > MAX_NETD_MESSAGE_BYTES) finish(new BurrowError('netd_unavailable', `netd's answer to ${method} is too large.`));
        return;
      }
      try {
        finish(undefined, JSON.parse(buffer.slice(0, newline)));
      } catch {
        finish(new BurrowError('netd_unavailable', `netd's answer to ${method} is not JSON.`));
      }
    });
    socket.on('error', (error) => finish(new BurrowError('netd_unavailable', `Could not reach netd at ${path}: ${error.message}`, NETD_AWAY)));
    socket.on('close', () => finish(new BurrowError('netd_unavailable', `netd closed the connection before answering ${method}.`, NETD_AWAY)));
  });
}
