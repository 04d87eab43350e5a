// Kill-switch probe (on request only: it interrupts the tunnel). Stop the tunnel helper, keep asking the leak
// server for a few seconds, bring the helper back, and compare the firewall's counters before and after.
// Any answer while the helper was down is traffic that left without the tunnel.
import { COUNTERS } from '../firewall/index.js';
import type { NetworkKind } from '../domain/index.js';
import { ipv4Target, observe, type ExitObservation } from './exit-ip.js';
import { errorText, leaked, listOf, notTested, passed, type Judgement } from './judgement.js';
import type { TunnelInterrupter } from './types.js';

export interface KillSwitchInput {
  network: NetworkKind | null;
  /** Why the probe could not run, if it could not. */
  unavailable?: string;
  downMs: number;
  /** Every request sent while the helper was down. */
  attempts: ExitObservation[];
  /** Packets each named counter gained while the helper was down (undefined: counters not readable). */
  counterDelta?: Record<string, number> | undefined;
  restartError?: string | undefined;
}

export function judgeKillSwitch(input: KillSwitchInput): Judgement {
  const through = input.attempts.filter((a): a is { ip: string } => 'ip' in a);
  const evidence: Record<string, unknown> = {
    downMs: input.downMs,
    sent: input.attempts.length,
    gotOut: through.length,
    seenAs: [...new Set(through.map((a) => a.ip))],
    counterDelta: input.counterDelta ?? null,
    restartError: input.restartError ?? null,
  };
  if (input.network === null) return notTested('No tunnel is up, so there is no kill switch to test (not tested).', evidence);
  if (input.unavailable !== undefined) return notTested(input.unavailable, evidence);
  if (input.attempts.length === 0) return notTested('No request could be sent while the tunnel was down, so the kill switch was not tested.', evidence);
  const restart = input.restartError !== undefined ? ` The tunnel did not come back by itself: ${input.restartError}.` : '';
  if (through.length > 0) {
    return leaked(
      `With the tunnel down, ${through.length} of ${input.attempts.length} requests still got out (sites saw ${listOf([...new Set(through.map((a) => a.ip))])}): the kill switch does not hold.${restart}`,
      evidence,
    );
  }
  const refused = input.counterDelta?.[COUNTERS.blockedOut];
  const counted = refused !== undefined && refused > 0 ? ` and the firewall refused ${refused} packets` : '';
  return passed(
    `With the tunnel down for ${(input.downMs / 1000).toFixed(1)} s, none of ${input.attempts.length} requests got out${counted}.${restart}`,
    evidence,
  );
}

export interface KillSwitchProbeInput {
  network: NetworkKind | null;
  leakServerUrl: string;
  tunnel: TunnelInterrupter | undefined;
  signal: AbortSignal;
  downMs?: number;
  intervalMs?: number;
}

const delta = (before: Record<string, { packets: number }>, after: Record<string, { packets: number }>): Record<string, number> =>
  Object.fromEntries(Object.entries(after).map(([name, c]) => [name, c.packets - (before[name]?.packets ?? 0)]));

export async function probeKillSwitch(input: KillSwitchProbeInput): Promise<Judgement> {
  const downMs = input.downMs ?? 3000;
  const base = { network: input.network, downMs, attempts: [] as ExitObservation[] };
  if (input.network === null) return judgeKillSwitch(base);
  const { tunnel } = input;
  if (tunnel === undefined) {
    return judgeKillSwitch({
      ...base,
      unavailable: 'The kill-switch probe needs netd to stop and restart the tunnel helper, which this version of netd cannot do yet (not tested).',
    });
  }
  const readCounters = async (): Promise<Record<string, { packets: number }> | undefined> => {
    try {
      return await tunnel.counters(input.signal);
    } catch {
      return undefined;
    }
  };
  const before = await readCounters();
  try {
    await tunnel.stopHelper(input.signal);
  } catch (err) {
    await tunnel.startHelper(AbortSignal.timeout(15_000)).catch(() => undefined);
    return judgeKillSwitch({ ...base, unavailable: `The tunnel helper could not be stopped (${errorText(err)}), so the kill switch was not tested.` });
  }
  const attempts: Promise<ExitObservation>[] = [];
  let restartError: string | undefined;
  let after: Record<string, { packets: number }> | undefined;
  try {
    const target = ipv4Target(input.leakServerUrl);
    const started = Date.now();
    while (Date.now() - started < downMs && !input.signal.aborted) {
      const each = AbortSignal.any([input.signal, AbortSignal.timeout(Math.max(200, downMs - (Date.now() - started)))]);
      attempts.push(observe(target, { signal: each }).catch((err: unknown) => ({ error: errorText(err) })));
      await new Promise((r) => setTimeout(r, input.intervalMs ?? 150));
    }
    await Promise.all(attempts);
    after = await readCounters();
  } finally {
    // Bring the tunnel back whatever happened: a cancelled probe must not leave the person offline.
    await tunnel.startHelper(AbortSignal.timeout(15_000)).catch((err: unknown) => {
      restartError = errorText(err);
    });
  }
  const counterDelta = before !== undefined && after !== undefined ? delta(before, after) : undefined;
  return judgeKillSwitch({ ...base, attempts: await Promise.all(attempts), counterDelta, restartError });
}
