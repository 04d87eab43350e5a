// runLeakSuite(): every requested test, each with its own deadline, in parallel where they do not interfere
// (the kill-switch probe interrupts the tunnel, so it runs alone, after the rest). Every requested test gets
// a verdict: one that could not run, ran out of time or was cancelled says not_tested and why.
import { LEAK_TESTS, type LeakTestKind, type LeakVerdict } from '../domain/index.js';
import { localAddresses } from './addresses.js';
import { probeDns, type ResolveName } from './dns-leak.js';
import { ipv6Target, observe, probeExitIp } from './exit-ip.js';
import { judgeIpv6 } from './ipv6-leak.js';
import { errorText, notTested, type Judgement } from './judgement.js';
import { probeKillSwitch } from './kill-switch.js';
import { probeOutOfTunnel, type RunPing } from './out-of-tunnel.js';
import { physicalInterfaceFor } from './physical-route.js';
import type { LeakSuiteOptions } from './types.js';
import { judgeWebrtc } from './webrtc.js';

/** Deadlines per test, ms: generous for a slow network, small enough for the suite to stay interactive. */
export const DEFAULT_DEADLINES: Record<LeakTestKind, number> = {
  // Through Tor or a mixnet the first request on a fresh circuit can take seconds (the lab's own Tor tests
  // allow 20 s): giving up sooner would make a newcomer's first run through them "not tested".
  exitIp: 15_000,
  dns: 6000,
  ipv6: 5000,
  webrtc: 1000,
  outOfTunnel: 5000,
  killSwitch: 30_000,
};

/** Without an explicit list, everything that does not interrupt the tunnel. */
export const DEFAULT_TESTS: readonly LeakTestKind[] = LEAK_TESTS.filter((t) => t !== 'killSwitch');

/** Replaceable parts, for tests: nothing here is needed by the host. */
export interface SuiteDeps {
  runPing?: RunPing;
  local?: typeof localAddresses;
  resolve?: ResolveName;
  findInterface?: typeof physicalInterfaceFor;
}

type Probe = (signal: AbortSignal) => Promise<Judgement>;

/** Why the leak server URL cannot be used, or undefined when it can. */
export function leakServerProblem(url: string): string | undefined {
  if (url.trim() === '') return 'No leak server is set: choose one in Settings (the leak tests ask it what it sees).';
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return undefined;
  } catch {
    // fall through
  }
  return `The leak server address "${url}" is not an http(s) URL: correct it in Settings.`;
}

export async function runLeakSuite(options: LeakSuiteOptions, deps: SuiteDeps = {}): Promise<LeakVerdict[]> {
  const now = options.now ?? (() => new Date());
  const ctx = options.context;
  const requested = [...new Set(options.tests ?? DEFAULT_TESTS)];
  const local = (deps.local ?? localAddresses)({ tunnelInterface: ctx.tunnelInterface, tunnelAddresses: ctx.tunnelAddresses });
  const own = [...local.v4, ...local.v6];
  const ownWithBaseline = [...own, ...[ctx.baseline?.v4, ctx.baseline?.v6].filter((ip): ip is string => ip !== undefined)];
  const server = { leakServerUrl: options.leakServerUrl, socks5: options.socks5 };
  const serverProblem = leakServerProblem(options.leakServerUrl);
  const needsServer = new Set<LeakTestKind>(['exitIp', 'dns', 'ipv6', 'killSwitch']);

  const probes: Record<LeakTestKind, Probe> = {
    exitIp: (signal) => probeExitIp({ ...server, leakServerUrlV6: options.leakServerUrlV6, signal }, ctx, own),
    dns: (signal) => probeDns({ ...server, signal, names: options.dnsNames ?? 3, resolve: deps.resolve }, ctx),
    ipv6: async (signal) => {
      const v6 = await observe(ipv6Target(options.leakServerUrl, options.leakServerUrlV6), { signal, socks5: options.socks5 });
      return judgeIpv6({
        network: ctx.network,
        v6,
        tunnelCarriesIpv6: ctx.tunnelCarriesIpv6 ?? false,
        machineHasIpv6: local.hasIpv6,
        ownV6: [...local.v6, ...(ctx.baseline?.v6 !== undefined ? [ctx.baseline.v6] : [])],
        expectedV6: ctx.expectedExit?.addresses ?? [],
      });
    },
    webrtc: () =>
      Promise.resolve(judgeWebrtc({ network: ctx.network, candidates: ctx.webrtcCandidates, own: ownWithBaseline, tunnelAddresses: ctx.tunnelAddresses ?? [] })),
    outOfTunnel: async (signal) => {
      const endpoint = ctx.tunnelEndpoint;
      const physicalInterface =
        ctx.physicalInterface ?? (ctx.network !== null && endpoint !== undefined ? await (deps.findInterface ?? physicalInterfaceFor)(endpoint, signal) : undefined);
      return probeOutOfTunnel({ network: ctx.network, endpoint, physicalInterface, signal }, deps.runPing);
    },
    killSwitch: (signal) => probeKillSwitch({ network: ctx.network, leakServerUrl: options.leakServerUrl, tunnel: options.tunnel, signal }),
  };

  const runOne = async (test: LeakTestKind): Promise<LeakVerdict> => {
    const ranAt = now();
    const started = performance.now();
    const deadlineMs = options.deadlines?.[test] ?? DEFAULT_DEADLINES[test];
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
    let judgement: Judgement;
    try {
      if (signal.aborted) throw signal.reason;
      judgement = serverProblem !== undefined && needsServer.has(test) ? notTested(serverProblem) : await probes[test](signal);
    } catch (err) {
      if (options.signal?.aborted === true) judgement = notTested('Cancelled before it finished.');
      else if (deadline.aborted) judgement = notTested(`Did not finish within ${Math.round(deadlineMs / 100) / 10} s, so it says nothing either way.`);
      else judgement = notTested(`Could not run: ${errorText(err)}.`, { error: errorText(err) });
    }
    const verdict: LeakVerdict = {
      test,
      ...judgement,
      network: ctx.network,
      ranAt: ranAt.toISOString(),
      durationMs: Math.max(0, Math.round(performance.now() - started)),
    };
    options.onVerdict?.(verdict);
    return verdict;
  };

  const parallel = requested.filter((t) => t !== 'killSwitch');
  const results = await Promise.all(parallel.map(runOne));
  if (requested.includes('killSwitch')) results.push(await runOne('killSwitch'));
  // Back in the order the caller asked for.
  return requested.map((t) => results.find((r) => r.test === t)).filter((v): v is LeakVerdict => v !== undefined);
}
