// Watches tor's bootstrap and decides, as a pure function of the events and the clock, when waiting longer
// is pointless: tor stuck while still trying to reach its first relay is what a censor looks like (the ISP
// drops packets to every relay, so tor stays at "conn" forever); stuck later is a plain timeout.
import { BurrowError } from '../../domain/errors.js';
import type { BootstrapProgress } from './control/index.js';

export const BLOCKED_SENTENCE = 'Tor is blocked here: try a bridge (Settings → Tor → bridges, or import a profile with bridge lines)';
export const BRIDGES_BLOCKED_SENTENCE =
  'Tor could not reach any of this profile\'s bridges: they may be blocked here too. Try other bridges (another transport such as snowflake, or fresh lines from bridges.torproject.org)';

export interface WatchOptions {
  /** Bridges change the advice: the person already tried the way around a censor. */
  hasBridges: boolean;
  /** No progress for this long while still connecting to the first relay: blocked. */
  stallMs: number;
  /** A problem report with RECOMMENDATION=warn in a connecting phase counts once this much time has passed. */
  problemAfterMs: number;
  /** Bootstrap that has not finished by then fails with `timeout`, whatever the phase. */
  overallMs: number;
}

export const DEFAULT_WATCH: Omit<WatchOptions, 'hasBridges'> = { stallMs: 30_000, problemAfterMs: 10_000, overallMs: 180_000 };

export type WatchVerdict = { kind: 'waiting' } | { kind: 'done' } | { kind: 'failed'; error: BurrowError };

/**
 * Phases in which tor is still trying to reach a relay or bridge over the network (control-spec §5,
 * "Bootstrap phases"): `conn*`, `handshake` and their `ap_` forms, plus the pluggable-transport and proxy
 * steps. Once a handshake is done, packets flow: a later stall is not an address block.
 */
export function isReachPhase(tag: string): boolean {
  if (tag === 'starting') return true;
  if (tag === 'handshake_done' || tag === 'ap_handshake_done') return false;
  return /^(ap_)?(conn|handshake)/.test(tag);
}

interface Problem {
  reason: string;
  warning: string;
  recommendation: string;
  count: number;
}

export class BootstrapWatch {
  private best: BootstrapProgress | undefined;
  private lastAdvance: number;
  private problems = 0;
  private lastProblem: Problem | undefined;
  private warned = false;
  private verdict: WatchVerdict = { kind: 'waiting' };

  constructor(
    private readonly options: WatchOptions,
    private readonly startedAt: number,
  ) {
    this.lastAdvance = startedAt;
  }

  get progress(): BootstrapProgress | undefined {
    return this.best;
  }

  /** Feed a bootstrap status (from an event or GETINFO status/bootstrap-phase). */
  observe(status: BootstrapProgress, now: number): WatchVerdict {
    if (this.verdict.kind !== 'waiting') return this.verdict;
    if (status.severity === 'WARN' || status.warning !== undefined) {
      this.problems += 1;
      this.lastProblem = {
        reason: status.reason ?? '',
        warning: status.warning ?? '',
        recommendation: status.recommendation ?? '',
        count: status.count ?? 1,
      };
      if (status.recommendation === 'warn') this.warned = true;
    } else if (this.best === undefined || status.progress > this.best.progress) {
      this.best = status;
      this.lastAdvance = now;
    }
    if (this.best?.progress === 100) this.verdict = { kind: 'done' };
    return this.check(now);
  }

  /** Called on a timer: time alone can decide. */
  check(now: number): WatchVerdict {
    if (this.verdict.kind !== 'waiting') return this.verdict;
    const tag = this.best?.tag ?? 'starting';
    const elapsed = now - this.startedAt;
    const stalled = now - this.lastAdvance;
    if (isReachPhase(tag)) {
      const byStall = stalled >= this.options.stallMs;
      const byProblem = this.warned && elapsed >= this.options.problemAfterMs;
      if (byStall || byProblem) this.verdict = { kind: 'failed', error: this.blocked(now, byStall ? 'stalled' : 'problem') };
    }
    if (this.verdict.kind === 'waiting' && elapsed >= this.options.overallMs) {
      const at = this.best === undefined ? 'before its first step' : `at ${this.best.progress}% (${this.best.summary || this.best.tag})`;
      this.verdict = {
        kind: 'failed',
        error: new BurrowError('timeout', `Tor did not finish connecting in ${Math.round(this.options.overallMs / 1000)} s; it stopped ${at}.`, this.evidence(now)),
      };
    }
    return this.verdict;
  }

  private blocked(now: number, why: 'stalled' | 'problem'): BurrowError {
    const evidence = { ...this.evidence(now), trigger: why };
    if (this.lastProblem?.reason === 'NOROUTE' && this.best?.tag !== 'conn_done') {
      return new BurrowError('network_unavailable', 'This machine has no route to the internet, so Tor cannot reach any relay. Check the network connection.', evidence);
    }
    return new BurrowError('blocked_by_censor', this.options.hasBridges ? BRIDGES_BLOCKED_SENTENCE : BLOCKED_SENTENCE, evidence);
  }

  private evidence(now: number): Record<string, unknown> {
    const evidence: Record<string, unknown> = {
      progress: this.best?.progress ?? 0,
      phase: this.best?.tag ?? 'starting',
      secondsWithoutProgress: Math.round((now - this.lastAdvance) / 1000),
      problemReports: this.problems,
      bridges: this.options.hasBridges,
    };
    if (this.lastProblem !== undefined) {
      evidence.lastProblem = { reason: this.lastProblem.reason, warning: this.lastProblem.warning, count: this.lastProblem.count };
    }
    return evidence;
  }
}
