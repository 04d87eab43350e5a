// DNS leak: resolve fresh random names in the leak server's zone the way every program on the machine does
// (the system resolver: getaddrinfo via node:dns lookup, or the far end of a SOCKS proxy), then ask the leak
// server which resolvers asked for them. Names are random, so caches cannot hide a resolver.
import { lookup } from 'node:dns/promises';
import { getServers } from 'node:dns';
import type { NetworkKind } from '../domain/index.js';
import { canonicalIp, ipSet } from './addresses.js';
import { errorText, leaked, listOf, notTested, passed, type Judgement } from './judgement.js';
import { newLeakName, resolversOf, type RequestOptions } from './leak-server.js';
import { socks5Connect } from '../networks/helper/socks5.js';
import type { LeakContext } from './types.js';

export type ResolverRole = 'tunnel' | 'yours' | 'unexpected' | 'unattributed';

export interface DnsInput {
  network: NetworkKind | null;
  /** Resolver addresses the leak server reported, over all names (repeats allowed). */
  seen: string[];
  /** The random names resolved. */
  names: string[];
  /** How many names were tried (some may have failed before they were named); default: names.length. */
  tried?: number;
  /** Names whose resolution failed (message per name). */
  failures: string[];
  /** The tunnel's resolvers (and their known egress): when given, every other resolver is a leak. */
  tunnelResolvers: string[];
  /** Also fine, without making the judgement strict: the network's exit addresses (many resolve from there). */
  exits: string[];
  /** Resolvers known to be the person's own: the baseline's and the system's non-tunnel resolvers. */
  yours: string[];
}

export function roleOfResolver(ip: string, input: Pick<DnsInput, 'tunnelResolvers' | 'exits' | 'yours'>): ResolverRole {
  const c = canonicalIp(ip);
  if (ipSet([...input.tunnelResolvers, ...input.exits]).has(c)) return 'tunnel';
  if (ipSet(input.yours).has(c)) return 'yours';
  return input.tunnelResolvers.length > 0 ? 'unexpected' : 'unattributed';
}

export function judgeDns(input: DnsInput): Judgement {
  const counts = new Map<string, number>();
  for (const ip of input.seen) counts.set(canonicalIp(ip), (counts.get(canonicalIp(ip)) ?? 0) + 1);
  const resolvers = [...counts].map(([ip, names]) => ({ ip, names, role: roleOfResolver(ip, input) }));
  const evidence: Record<string, unknown> = {
    resolvers,
    names: input.names,
    namesResolved: Math.max(0, (input.tried ?? input.names.length) - input.failures.length),
    namesTried: input.tried ?? input.names.length,
    failures: input.failures,
    tunnelResolvers: input.tunnelResolvers,
    yours: input.yours,
  };
  if (resolvers.length === 0) {
    return notTested(
      input.failures.length > 0
        ? `Names did not resolve (${input.failures[0] ?? ''}), and no resolver asked the leak server, so DNS could not be tested.`
        : 'No resolver asked the leak server for the test names (an answer from a cache or a hosts file?), so DNS could not be tested.',
      evidence,
    );
  }
  const all = resolvers.map((r) => r.ip);
  if (input.network === null) {
    const own = resolvers.filter((r) => r.role !== 'tunnel').map((r) => r.ip);
    return leaked(`No tunnel is up: your DNS queries reach ${listOf(own.length > 0 ? own : all)}, which sees every name you look up.`, evidence);
  }
  const bad = resolvers.filter((r) => r.role === 'yours' || r.role === 'unexpected');
  if (bad.length > 0) {
    const yours = bad.filter((r) => r.role === 'yours').map((r) => r.ip);
    const other = bad.filter((r) => r.role === 'unexpected').map((r) => r.ip);
    const parts = [
      ...(yours.length > 0 ? [`your own resolver ${listOf(yours)}`] : []),
      ...(other.length > 0 ? [`${listOf(other)}, which is not the tunnel's resolver`] : []),
    ];
    return leaked(`DNS leaks: names you look up reach ${parts.join(' and ')}.`, evidence);
  }
  if (resolvers.some((r) => r.role === 'unattributed') && input.yours.length === 0) {
    return notTested(
      `Your queries reached ${listOf(all)}, but Burrow knows neither the tunnel's resolvers nor your own to tell them apart: run the tests once without a tunnel so it learns yours.`,
      evidence,
    );
  }
  return passed(`Your DNS queries reach only ${listOf(all)}, not your own resolver.`, evidence);
}

/** The system's configured resolvers that are not the tunnel's (and not a local stub): the person's own. */
export function systemResolvers(allowed: readonly string[], servers: readonly string[] = getServers()): string[] {
  const tunnel = ipSet(allowed);
  return servers
    .map((s) => canonicalIp(s.replace(/^\[([^\]]+)\](:\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1')))
    .filter((ip) => !tunnel.has(ip) && !ip.startsWith('127.') && ip !== '::1');
}

/** Resolves a name the way the machine's programs do; the default is the system resolver (getaddrinfo). */
export type ResolveName = (name: string, signal: AbortSignal) => Promise<void>;

export interface DnsProbeInput {
  leakServerUrl: string;
  signal: AbortSignal;
  names: number;
  socks5?: RequestOptions['socks5'];
  resolve?: ResolveName | undefined;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // getaddrinfo cannot be cancelled: stop waiting for it instead.
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function resolveOne(name: string, probe: DnsProbeInput): Promise<void> {
  if (probe.socks5 !== undefined) {
    // The proxy's far end resolves the name to open the connection; connecting is all it takes.
    const port = Number(new URL(probe.leakServerUrl).port || (probe.leakServerUrl.startsWith('https:') ? 443 : 80));
    (await socks5Connect(probe.socks5, name, port, probe.signal)).destroy();
    return;
  }
  await (probe.resolve ?? systemResolve)(name, probe.signal);
}

export const systemResolve: ResolveName = async (name, signal) => {
  await raceAbort(lookup(name, { all: true }), signal);
};

export async function probeDns(probe: DnsProbeInput, context: LeakContext): Promise<Judgement> {
  const opts = { signal: probe.signal, socks5: probe.socks5 };
  const failures: string[] = [];
  const seen: string[] = [];
  const names: string[] = [];
  let unnamed: Error | undefined;
  await Promise.all(
    // Each name on its own: one stream a mixnet or a relay drops costs that name, not the whole test.
    Array.from({ length: probe.names }, async (_, index) => {
      let name = `name ${index + 1}`;
      try {
        name = await newLeakName(probe.leakServerUrl, opts);
        names.push(name);
        await resolveOne(name, probe);
      } catch (err) {
        if (probe.signal.aborted) throw err;
        failures.push(`${name}: ${errorText(err)}`);
        if (!names.includes(name)) return void (unnamed ??= err instanceof Error ? err : new Error(errorText(err)));
      }
      try {
        const reply = await resolversOf(probe.leakServerUrl, name, opts);
        seen.push(...reply.resolvers.map((r) => r.ip));
      } catch (err) {
        if (probe.signal.aborted) throw err;
        failures.push(`${name}: the leak server's answer was lost (${errorText(err)})`);
      }
    }),
  );
  // Not one fresh name: the leak server is out of reach, and the test could not run at all.
  if (names.length === 0 && unnamed !== undefined) throw unnamed;
  const tunnelResolvers = context.tunnelDns ?? [];
  const exits = context.expectedExit?.addresses ?? [];
  // The system's configured resolvers count as the person's own unless they are the tunnel's; through a
  // SOCKS proxy they are not asked at all.
  const system = probe.socks5 === undefined ? systemResolvers([...tunnelResolvers, ...exits]) : [];
  const yours = [...ipSet([...(context.baseline?.resolvers ?? []), ...system])];
  return judgeDns({ network: context.network, seen, names, tried: probe.names, failures, tunnelResolvers, exits, yours });
}
