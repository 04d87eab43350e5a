// Exit IP: the address the leak server sees, over IPv4 and IPv6, compared with the network's expected exit
// and with the person's own addresses (the no-tunnel baseline and the machine's non-tunnel interfaces).
//
// Decisions (documented in README.md): with no tunnel up, a site seeing the person's own address is
// reported as `leaked` — the privacy question "do sites see me?" has the answer yes. With a tunnel up,
// `passed` needs proof: the address seen is the expected exit, or differs from a known own address. An
// address that is neither expected nor comparable with anything known is `not_tested`, never `passed`;
// seeing the expected exit is enough for `passed` even when the other family's address cannot be placed.
import { isIP } from 'node:net';
import type { NetworkKind } from '../domain/index.js';
import { canonicalIp, ipSet } from './addresses.js';
import { errorText, leaked, listOf, notTested, passed, type Judgement } from './judgement.js';
import { getEcho, type RequestOptions } from './leak-server.js';
import type { LeakBaseline, LeakContext } from './types.js';

/** What one request saw: an address, an error, or the reason it was not made. */
export type ExitObservation = { ip: string } | { error: string } | { skipped: string };

export interface ExitIpInput {
  network: NetworkKind | null;
  v4: ExitObservation;
  v6: ExitObservation;
  expected?: { addresses: string[]; label: string } | undefined;
  baseline?: LeakBaseline | undefined;
  /** The machine's own addresses outside the tunnel. */
  own: string[];
}

type Role = 'own' | 'expected' | 'other-known-not-own' | 'unknown';

function roleOf(ip: string, family: 'v4' | 'v6', input: ExitIpInput): Role {
  const own = ipSet([...input.own, input.baseline?.v4, input.baseline?.v6]);
  if (own.has(ip)) return 'own';
  if (ipSet(input.expected?.addresses ?? []).has(ip)) return 'expected';
  return input.baseline?.[family] !== undefined ? 'other-known-not-own' : 'unknown';
}

export function judgeExitIp(input: ExitIpInput): Judgement {
  const seen = (['v4', 'v6'] as const).flatMap((family) => {
    const o = input[family];
    return 'ip' in o ? [{ family, ip: canonicalIp(o.ip), role: roleOf(canonicalIp(o.ip), family, input) }] : [];
  });
  const describe = (o: ExitObservation): string | { error: string } | { skipped: string } => ('ip' in o ? canonicalIp(o.ip) : o);
  const evidence: Record<string, unknown> = {
    v4: describe(input.v4),
    v6: describe(input.v6),
    roles: Object.fromEntries(seen.map((s) => [s.ip, s.role])),
    expected: input.expected?.addresses ?? [],
    baseline: { v4: input.baseline?.v4 ?? null, v6: input.baseline?.v6 ?? null },
  };
  if (seen.length === 0) {
    const why = [input.v4, input.v6].map((o) => ('error' in o ? o.error : 'skipped' in o ? o.skipped : '')).filter(Boolean);
    return notTested(`The leak server could not be reached, so Burrow could not see which address sites see (${why.join('; ')}).`, evidence);
  }
  const addresses = seen.map((s) => s.ip);
  if (input.network === null) {
    return leaked(`No tunnel is up: sites see your own address, ${listOf(addresses)}.`, evidence);
  }
  const own = seen.filter((s) => s.role === 'own').map((s) => s.ip);
  const label = input.expected?.label ?? 'the tunnel';
  if (own.length > 0) {
    return leaked(`Sites still see your own address ${listOf(own)}: that traffic does not go through ${label}.`, evidence);
  }
  const unknown = seen.filter((s) => s.role === 'unknown').map((s) => s.ip);
  const expected = seen.filter((s) => s.role === 'expected').map((s) => s.ip);
  // Traffic arriving from the profile's own endpoint (or the exit the network announced) went through the
  // tunnel: that alone proves it, with no baseline needed. An address of the other family that nothing
  // identifies is named, not judged here (the IPv6 test judges whether IPv6 goes around the tunnel).
  if (expected.length > 0 && unknown.length > 0) {
    return passed(`Sites see ${listOf(expected)} (${label}), not your own address; they also see ${listOf(unknown)}, which Burrow cannot place.`, evidence);
  }
  if (unknown.length > 0) {
    return notTested(
      `Sites see ${listOf(unknown)}, which is not ${label}'s known exit, and Burrow has no record of your own address to compare it with yet (it learns it whenever you are disconnected).`,
      evidence,
    );
  }
  const unexpected = seen.filter((s) => s.role === 'other-known-not-own').map((s) => s.ip);
  if (unexpected.length > 0 && (input.expected?.addresses.length ?? 0) > 0) {
    return passed(`Sites see ${listOf(addresses)}, not your own address (though not the exit ${label} announced).`, evidence);
  }
  return passed(`Sites see ${listOf(addresses)} (${label}), not your own address.`, evidence);
}

export interface ExitProbeInput {
  leakServerUrl: string;
  leakServerUrlV6?: string | undefined;
  signal: AbortSignal;
  socks5?: RequestOptions['socks5'];
  /** Test seam: each family's own limit (default PER_FAMILY_TIMEOUT_MS). */
  perFamilyTimeoutMs?: number;
}

/** The IPv6 URL to ask, or why there is none: an IPv4-literal URL cannot be reached over IPv6. */
export function ipv6Target(leakServerUrl: string, leakServerUrlV6?: string): { url: string; family?: 6 } | { skipped: string } {
  if (leakServerUrlV6 !== undefined && leakServerUrlV6 !== '') return { url: leakServerUrlV6 };
  const host = new URL(leakServerUrl).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 6) return { url: leakServerUrl };
  if (isIP(host) === 4) return { skipped: 'the leak server is configured by an IPv4 address only, so it cannot be asked over IPv6' };
  return { url: leakServerUrl, family: 6 };
}

export function ipv4Target(leakServerUrl: string): { url: string; family?: 4 } | { skipped: string } {
  const host = new URL(leakServerUrl).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 6) return { skipped: 'the leak server is configured by an IPv6 address only, so it cannot be asked over IPv4' };
  return isIP(host) === 4 ? { url: leakServerUrl } : { url: leakServerUrl, family: 4 };
}

/**
 * One request. With `timeoutMs`, a request that hangs (a Tor exit that cannot reach IPv6 keeps the stream
 * open) gives up on its own and is reported as an error, so the other family's answer still counts.
 */
export async function observe(
  target: { url: string; family?: 4 | 6 } | { skipped: string },
  opts: Omit<RequestOptions, 'family'>,
  timeoutMs?: number,
): Promise<ExitObservation> {
  if ('skipped' in target) return target;
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const signal = timeout === undefined ? opts.signal : AbortSignal.any([opts.signal, timeout]);
  for (let attempt = 1; ; attempt++) {
    try {
      const reply = await getEcho(target.url, { ...opts, signal, ...(target.family !== undefined ? { family: target.family } : {}) });
      return { ip: reply.ip };
    } catch (err) {
      if (opts.signal.aborted) throw err;
      if (timeout?.aborted === true) return { error: `no answer within ${((timeoutMs ?? 0) / 1000).toFixed((timeoutMs ?? 0) < 1000 ? 1 : 0)} s` };
      // Through Tor a circuit can die under a fresh stream (tor then answers "general failure"), and Tor
      // Browser simply builds another: one more stream, inside the same time limit. A retry cannot hide a
      // leak, since the verdict is where the leak server saw the request come from.
      if (opts.socks5 !== undefined && attempt < 2 && TRANSIENT_PROXY_FAILURE.test(errorText(err))) continue;
      return { error: errorText(err) };
    }
  }
}

/** SOCKS5 replies a proxy gives when its own path failed, not the destination (RFC 1928 codes 1 and 6). */
const TRANSIENT_PROXY_FAILURE = /the proxy could not reach .*: (general failure|TTL expired)/;

/** Each family's own limit, inside the test's deadline (DEFAULT_DEADLINES.exitIp), so one slow family cannot sink both. */
export const PER_FAMILY_TIMEOUT_MS = 10_000;

export async function probeExitIp(probe: ExitProbeInput, context: LeakContext, own: string[]): Promise<Judgement> {
  const opts = { signal: probe.signal, socks5: probe.socks5 };
  const [v4, v6] = await Promise.all([
    observe(ipv4Target(probe.leakServerUrl), opts, probe.perFamilyTimeoutMs ?? PER_FAMILY_TIMEOUT_MS),
    observe(ipv6Target(probe.leakServerUrl, probe.leakServerUrlV6), opts, probe.perFamilyTimeoutMs ?? PER_FAMILY_TIMEOUT_MS),
  ]);
  return judgeExitIp({ network: context.network, v4, v6, expected: context.expectedExit, baseline: context.baseline, own });
}
