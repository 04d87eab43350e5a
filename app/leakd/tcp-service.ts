// DNS over TCP for leakd (RFC 7766): an authoritative server must answer over TCP as well as UDP, and a
// resolver that falls back to TCP (truncation, `options use-vc`, some system-wide stubs) would otherwise
// never reach leakd, so the DNS-leak test could not see it. Each message is framed by a two-byte length
// (RFC 1035 4.2.2); several queries may arrive on one connection, pipelined, and are answered in order.
// The input comes from anyone: connections are capped, idle ones closed, half-sent frames time out, and
// nothing a frame contains may throw out of the handler.
import { createServer, type Server, type Socket } from 'node:net';
import { normaliseIp, rateKey, type HostPort } from './ip.js';
import type { RateLimiter } from './rate-limit.js';
import type { UdpCounters, UdpHandler } from './udp-service.js';

export interface TcpLimits {
  /** Open connections, all callers together. */
  maxConnections: number;
  /** A connection with nothing pending is closed after this long (RFC 7766 6.2.3 suggests seconds). */
  idleMs: number;
}

export const DEFAULT_TCP_LIMITS: TcpLimits = { maxConnections: 256, idleMs: 10_000 };

export interface TcpService {
  address: HostPort;
  counters: UdpCounters;
  close(): Promise<void>;
}

function frame(reply: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(reply.length, 0);
  return Buffer.concat([length, reply]);
}

export async function listenTcpDns(
  at: HostPort,
  limiter: RateLimiter,
  handler: UdpHandler,
  onError: (message: string) => void,
  limits: TcpLimits = DEFAULT_TCP_LIMITS,
): Promise<TcpService> {
  const counters: UdpCounters = { received: 0, answered: 0, limited: 0, failed: 0 };
  const open = new Set<Socket>();
  const serve = (socket: Socket): void => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleMs, () => socket.destroy());
    const ip = normaliseIp(socket.remoteAddress ?? '');
    const port = socket.remotePort ?? 0;
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const message = pending.subarray(2, 2 + length);
        pending = pending.subarray(2 + length);
        counters.received += 1;
        if (!limiter.allow(rateKey(ip))) {
          // Over budget: one close instead of an answer, so a flood costs the caller a handshake each time.
          counters.limited += 1;
          socket.destroy();
          return;
        }
        let reply: Buffer | undefined;
        try {
          reply = handler(Buffer.from(message), { ip, port }).reply;
        } catch (err) {
          counters.failed += 1;
          onError(`tcp handler on ${at.host}:${at.port}: ${err instanceof Error ? err.message : String(err)}`);
          socket.destroy();
          return;
        }
        // A frame not worth an answer (a response, a runt) ends the conversation: RFC 7766 lets the server close.
        if (reply === undefined) {
          socket.destroy();
          return;
        }
        counters.answered += 1;
        socket.write(frame(reply));
      }
    });
    socket.on('end', () => socket.end());
  };
  const server: Server = createServer({ allowHalfOpen: true }, serve);
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: at.port, host: at.host, ipv6Only: at.host.includes(':') }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => onError(`tcp server ${at.host}:${at.port}: ${err.message}`));
  const bound = server.address();
  return {
    address: { host: at.host, port: typeof bound === 'object' && bound !== null ? bound.port : at.port },
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
