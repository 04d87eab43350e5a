// leakd composed: HTTP echo + resolver lookups, authoritative DNS for the leak zone (UDP and TCP on the same
// address and port, RFC 7766), STUN. Shared state
// (the resolver log, the rate limiters) lives here so every listener sees the same records.
import { buildErrorResponse, buildResponse, parseQuery } from './dns-packet.js';
import { decide } from './dns-zone.js';
import { DEFAULT_DOWNLOADS, DownloadGate } from './download.js';
import { listenHttp, type HttpService } from './http-service.js';
import { formatHostPort, type HostPort } from './ip.js';
import { RateLimiter } from './rate-limit.js';
import { ResolverLog } from './resolver-log.js';
import { buildBindingSuccess, parseBindingRequest } from './stun.js';
import { listenTcpDns, type TcpService } from './tcp-service.js';
import { bindUdp, type UdpCounters, type UdpHandler, type UdpService } from './udp-service.js';

export interface LeakdConfig {
  http: HostPort[];
  dns: HostPort[];
  stun: HostPort[];
  /** Required when `dns` is not empty. */
  zone?: string;
  answerA: string[];
  answerAAAA: string[];
  /** TTL of DNS answers, seconds. */
  dnsTtl: number;
  /** How long the resolvers seen for a name are kept, ms. */
  recordTtlMs: number;
  maxNames: number;
  /** Per caller (per /64 for IPv6), per service kind. */
  ratePerSecond: number;
  rateBurst: number;
  /** `/download`: largest body, and how many may run at once (all callers together). */
  maxDownloadBytes?: number;
  maxConcurrentDownloads?: number;
  onError?: (message: string) => void;
}

export const DEFAULT_CONFIG: Omit<LeakdConfig, 'http' | 'dns' | 'stun'> = {
  answerA: [],
  answerAAAA: [],
  dnsTtl: 5,
  recordTtlMs: 10 * 60_000,
  maxNames: 50_000,
  ratePerSecond: 50,
  rateBurst: 100,
};

export interface Leakd {
  http: string[];
  dns: string[];
  stun: string[];
  zone: string | undefined;
  log: ResolverLog;
  /** `dns` is UDP; `dnsTcp` the same zone answered over TCP. */
  counters(): { dns: UdpCounters; dnsTcp: UdpCounters; stun: UdpCounters };
  close(): Promise<void>;
}

function sum(services: { counters: UdpCounters }[]): UdpCounters {
  const total: UdpCounters = { received: 0, answered: 0, limited: 0, failed: 0 };
  for (const s of services) {
    total.received += s.counters.received;
    total.answered += s.counters.answered;
    total.limited += s.counters.limited;
    total.failed += s.counters.failed;
  }
  return total;
}

export async function startLeakd(config: LeakdConfig): Promise<Leakd> {
  const zone = config.zone?.toLowerCase().replace(/\.$/, '');
  if (config.dns.length > 0 && (zone === undefined || zone === '')) throw new Error('--zone is required with --dns');
  const onError = config.onError ?? (() => undefined);
  const log = new ResolverLog({ ttlMs: config.recordTtlMs, maxNames: config.maxNames, maxResolversPerName: 32 });
  // Separate budgets per kind, so a STUN flood cannot starve the same caller's DNS or HTTP.
  const limiter = () => new RateLimiter({ perSecond: config.ratePerSecond, burst: config.rateBurst, maxKeys: 100_000 });
  const httpLimiter = limiter();
  const downloads = new DownloadGate(
    config.maxDownloadBytes ?? DEFAULT_DOWNLOADS.maxBytes,
    config.maxConcurrentDownloads ?? DEFAULT_DOWNLOADS.maxConcurrent,
  );
  const dnsLimiter = limiter();
  const stunLimiter = limiter();
  const opened: { close(): Promise<void> }[] = [];
  const dnsServices: UdpService[] = [];
  const dnsTcpServices: TcpService[] = [];
  const stunServices: UdpService[] = [];
  const httpServices: HttpService[] = [];
  const sweeper = setInterval(() => log.sweep(), 30_000);
  sweeper.unref();
  try {
    for (const at of config.http) {
      const service = await listenHttp(at, { zone, log, limiter: httpLimiter, downloads }, onError);
      opened.push(service);
      httpServices.push(service);
    }
    const zoneConfig = { zone: zone ?? '', answerA: config.answerA, answerAAAA: config.answerAAAA, ttl: config.dnsTtl };
    const answerDns: UdpHandler = (packet, from) => {
      const parsed = parseQuery(packet);
      if (parsed.kind === 'drop') return {};
      if (parsed.kind === 'error') return { reply: buildErrorResponse(parsed.id, parsed.rcode) };
      const decision = decide(parsed.query, zoneConfig);
      if (decision.recordName !== undefined) log.record(decision.recordName, from.ip);
      return { reply: buildResponse(parsed.query, decision.answer) };
    };
    for (const at of config.dns) {
      const service = await bindUdp(at, dnsLimiter, answerDns, onError);
      opened.push(service);
      dnsServices.push(service);
      // TCP on the port UDP got (port 0 asks the kernel once, for both), sharing the caller's DNS budget.
      const tcp = await listenTcpDns({ host: at.host, port: service.address.port }, dnsLimiter, answerDns, onError);
      opened.push(tcp);
      dnsTcpServices.push(tcp);
    }
    for (const at of config.stun) {
      const service = await bindUdp(
        at,
        stunLimiter,
        (packet, from) => {
          const request = parseBindingRequest(packet);
          return typeof request === 'string' ? {} : { reply: buildBindingSuccess(request, from.ip, from.port) };
        },
        onError,
      );
      opened.push(service);
      stunServices.push(service);
    }
  } catch (err) {
    clearInterval(sweeper);
    await Promise.all(opened.map((s) => s.close()));
    throw err;
  }
  return {
    http: httpServices.map((s) => formatHostPort(s.address)),
    dns: dnsServices.map((s) => formatHostPort(s.address)),
    stun: stunServices.map((s) => formatHostPort(s.address)),
    zone,
    log,
    counters: () => ({ dns: sum(dnsServices), dnsTcp: sum(dnsTcpServices), stun: sum(stunServices) }),
    close: async () => {
      clearInterval(sweeper);
      await Promise.all(opened.map((s) => s.close()));
    },
  };
}
