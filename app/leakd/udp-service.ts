// One UDP socket per listen address, shared by the DNS and STUN services: rate limiting and the rule
// that nothing a packet contains may throw out of the handler (a crash here is a denial of service).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { ipFamily, normaliseIp, rateKey, type HostPort } from './ip.js';
import type { RateLimiter } from './rate-limit.js';

export interface UdpHandlerResult {
  reply?: Buffer;
}

export type UdpHandler = (packet: Buffer, from: { ip: string; port: number }) => UdpHandlerResult;

export interface UdpCounters {
  received: number;
  answered: number;
  limited: number;
  failed: number;
}

export interface UdpService {
  address: HostPort;
  counters: UdpCounters;
  close(): Promise<void>;
}

export async function bindUdp(
  at: HostPort,
  limiter: RateLimiter,
  handler: UdpHandler,
  onError: (message: string) => void,
): Promise<UdpService> {
  const family = ipFamily(at.host);
  const socket: Socket = createSocket({ type: family === 'IPv6' ? 'udp6' : 'udp4', ipv6Only: family === 'IPv6' });
  const counters: UdpCounters = { received: 0, answered: 0, limited: 0, failed: 0 };
  socket.on('message', (packet: Buffer, rinfo: RemoteInfo) => {
    counters.received += 1;
    const ip = normaliseIp(rinfo.address);
    if (!limiter.allow(rateKey(ip))) {
      counters.limited += 1;
      return;
    }
    try {
      const { reply } = handler(packet, { ip, port: rinfo.port });
      if (reply === undefined) return;
      counters.answered += 1;
      socket.send(reply, rinfo.port, rinfo.address, (err) => {
        if (err) onError(`udp send to ${ip}: ${err.message}`);
      });
    } catch (err) {
      counters.failed += 1;
      onError(`udp handler on ${at.host}:${at.port}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(at.port, at.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // After bind, socket errors (ICMP unreachable bookkeeping and the like) are logged, never fatal.
  socket.on('error', (err) => onError(`udp socket ${at.host}:${at.port}: ${err.message}`));
  const bound = socket.address();
  return {
    address: { host: at.host, port: bound.port },
    counters,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
