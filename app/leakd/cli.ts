// `burrow leakd`: run Burrow's leak-test server. Prints one JSON line when every listener is bound (the
// lab waits for it), JSON lines for errors, and stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { ipFamily, parseHostPort } from './ip.js';
import { DEFAULT_CONFIG, startLeakd, type LeakdConfig } from './server.js';

const USAGE = `usage: burrow leakd [--http ADDR:PORT]... [--dns ADDR:PORT]... [--stun ADDR:PORT]...
                    [--zone ZONE] [--answer-a IPV4]... [--answer-aaaa IPV6]...
                    [--record-ttl SECONDS] [--max-names N] [--rate PER_SECOND] [--burst N]
  IPv6 listen addresses are written [ADDR]:PORT. --zone is required with --dns: leakd is authoritative
  for it, over UDP and TCP on each --dns address, and records which resolver asked for each name
  below it (see GET /dns/<name>).`;

function positiveNumber(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got "${text}"`);
  return n;
}

function literal(list: string[] | undefined, family: 'IPv4' | 'IPv6', flag: string): string[] {
  return (list ?? []).map((ip) => {
    if (ipFamily(ip) !== family) throw new Error(`${flag} needs an ${family} address, got "${ip}"`);
    return ip;
  });
}

export function parseLeakdArgs(argv: string[]): LeakdConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      http: { type: 'string', multiple: true },
      dns: { type: 'string', multiple: true },
      stun: { type: 'string', multiple: true },
      zone: { type: 'string' },
      'answer-a': { type: 'string', multiple: true },
      'answer-aaaa': { type: 'string', multiple: true },
      'record-ttl': { type: 'string' },
      'max-names': { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const config: LeakdConfig = {
    ...DEFAULT_CONFIG,
    http: (values.http ?? []).map(parseHostPort),
    dns: (values.dns ?? []).map(parseHostPort),
    stun: (values.stun ?? []).map(parseHostPort),
    answerA: literal(values['answer-a'], 'IPv4', '--answer-a'),
    answerAAAA: literal(values['answer-aaaa'], 'IPv6', '--answer-aaaa'),
    recordTtlMs: positiveNumber(values['record-ttl'], '--record-ttl', DEFAULT_CONFIG.recordTtlMs / 1000) * 1000,
    maxNames: Math.floor(positiveNumber(values['max-names'], '--max-names', DEFAULT_CONFIG.maxNames)),
    ratePerSecond: positiveNumber(values.rate, '--rate', DEFAULT_CONFIG.ratePerSecond),
    rateBurst: Math.max(1, Math.floor(positiveNumber(values.burst, '--burst', DEFAULT_CONFIG.rateBurst))),
  };
  if (values.zone !== undefined) config.zone = values.zone;
  if (config.http.length + config.dns.length + config.stun.length === 0) {
    throw new Error('nothing to serve: give at least one --http, --dns or --stun');
  }
  return config;
}

function line(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
}

export async function runLeakdCli(argv: string[]): Promise<void> {
  let config: LeakdConfig | 'help';
  try {
    config = parseLeakdArgs(argv);
  } catch (err) {
    process.stderr.write(`burrow leakd: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (config === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Error lines are throttled to one per second: a garbage flood must not turn into a log flood.
  let lastError = 0;
  config.onError = (message) => {
    const now = Date.now();
    if (now - lastError < 1000) return;
    lastError = now;
    line({ event: 'error', message });
  };
  const leakd = await startLeakd(config);
  line({ event: 'listening', http: leakd.http, dns: leakd.dns, stun: leakd.stun, zone: leakd.zone ?? null });
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await leakd.close();
  line({ event: 'stopped', ...leakd.counters() });
}
