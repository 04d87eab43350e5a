// Drives the state machine: runs connect attempts and teardowns on the drivers, enforces the firewall for
// each state before any work starts, ignores reports from attempts that were superseded, and retries
// with backoff. The host owns one Supervisor; every front door goes through it.
//
// Fail closed: rules that could not be put in place never end in a log line only. A connect attempt waits
// for its state's rules and fails (retriable, `firewall_failed`) when they are not there; "connected" is
// announced only after its rules are verified; a connected tunnel whose rules fail is left. After the
// last attempt the state is error{blocking}: the strictest rules netd can still apply.
import { BurrowError, toErrorInfo, type ErrorInfo, type Target, type TunnelState } from '../domain/index.js';
import { backoffMs, shouldRetry, sleep } from './backoff.js';
import type { DriverSession, NetworkDriver, StoredProfile } from './driver.js';
import { IllegalTransitionError, transition, type StatePolicy, type SupervisorEvent } from './state-machine.js';

export interface FirewallEnforcer {
  /** Put the rules for this state in place; rejects if they could not be verified. */
  enforce(state: TunnelState): Promise<void>;
}

/** Why the rules for a state are missing, as a person reads it; the cause keeps netd's own words. */
export function firewallFailure(state: TunnelState, error: unknown): BurrowError {
  const cause = toErrorInfo(error);
  // A refusal by policy (lockdown and a proxy-mode profile) already says why, and retrying will not help.
  if (cause.code === 'conflict') return BurrowError.fromInfo(cause);
  return new BurrowError(
    'firewall_failed',
    `Burrow could not put the kill switch's rules for "${state.state}" in place (${cause.message}), so it did not go on: it keeps the strictest rules it can.`,
    { cause: cause.code },
  );
}

export interface SupervisorDeps {
  drivers: ReadonlyMap<string, NetworkDriver>;
  policy(): StatePolicy;
  onState(state: TunnelState, previous: TunnelState): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  firewall?: FirewallEnforcer;
  now?: () => Date;
}

const SETTLED: ReadonlySet<TunnelState['state']> = new Set(['connected', 'error', 'disconnected']);

export class Supervisor {
  private state: TunnelState;
  private generation = 0;
  private abort = new AbortController();
  private activeDriver: NetworkDriver | undefined;
  private readonly profiles = new Map<string, StoredProfile>();
  private waiters: Array<(state: TunnelState) => void> = [];
  private firewallChain: Promise<void> = Promise.resolve();
  /** The enforcement of the current state's rules (rejects with a firewall_failed BurrowError). */
  private rules: { state: TunnelState; done: Promise<void> };
  private lastFailure: ErrorInfo | undefined;
  /** The generation whose attempt has passed its rules and is doing its work. */
  private gateOpen = -1;

  constructor(private readonly deps: SupervisorDeps) {
    this.state = { state: 'disconnected', lockedDown: deps.policy().lockdown };
    this.rules = { state: this.state, done: Promise.resolve() };
  }

  get current(): TunnelState {
    return this.state;
  }

  connect(profile: StoredProfile): TunnelState {
    this.profiles.set(profile.id, profile);
    const target: Target = { profileId: profile.id, profileName: profile.name, network: profile.network };
    return this.apply({ type: 'connect', target, now: this.now() });
  }

  disconnect(): TunnelState {
    return this.apply({ type: 'disconnect' });
  }

  setLockdown(lockdown: boolean): TunnelState {
    return this.apply({ type: 'lockdownChanged', lockdown });
  }

  /**
   * Re-apply the firewall for the current state (after a settings change). Rejects with a firewall_failed
   * BurrowError when the rules could not be put in place; the state has then been changed already.
   */
  refreshFirewall(): Promise<void> {
    return this.enforceCurrent();
  }

  /** The last time rules could not be applied, until rules are applied again (shown to the person). */
  get firewallProblem(): ErrorInfo | undefined {
    return this.lastFailure;
  }

  /** Resolves with the state once it is connected, error or disconnected (or the time is up). */
  settled(timeoutMs = 120_000): Promise<TunnelState> {
    if (SETTLED.has(this.state.state)) return Promise.resolve(this.state);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.state), timeoutMs);
      this.waiters.push((state) => {
        clearTimeout(timer);
        resolve(state);
      });
    });
  }

  /**
   * The settled state once its own rules are in place. A state whose rules failed is left by the
   * supervisor (retry, error{blocking}); this waits for where that leads. Rejects (firewall_failed) only
   * when the settled state's rules failed and there is nowhere stricter to go.
   */
  async settledWithRules(timeoutMs = 120_000): Promise<TunnelState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.settled(Math.max(0, deadline - Date.now()));
      const done = this.rules.state === state ? this.rules.done : this.enforceCurrent();
      let failure: BurrowError | undefined;
      await done.catch((error: unknown) => {
        failure = error instanceof BurrowError ? error : firewallFailure(state, error);
      });
      // Nothing moved: the rules are in place, or this state is already the strictest there is.
      if (this.state === state || Date.now() >= deadline) {
        if (failure !== undefined) throw failure;
        return this.state;
      }
      // The state moved on (a failure was handled, or someone acted): wait for where it settles.
    }
  }

  /** Stop whatever runs (host shutdown). The firewall is left as it is: netd fails closed. */
  async shutdown(): Promise<void> {
    this.generation++;
    this.abort.abort(new BurrowError('cancelled', 'Burrow is shutting down.'));
    await this.activeDriver?.disconnect().catch(() => undefined);
  }

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  /** `verified`: the rules of the state this event leads to, already in place (not enforced again). */
  private apply(event: SupervisorEvent, verified?: Promise<void>): TunnelState {
    const previous = this.state;
    let next: TunnelState;
    try {
      next = transition(previous, event, this.deps.policy());
    } catch (error) {
      if (error instanceof IllegalTransitionError) {
        this.deps.log('debug', error.message);
        return previous;
      }
      throw error;
    }
    if (next === previous) return previous;
    this.state = next;
    this.watchRules(next, verified ?? this.enforce(next));
    this.deps.onState(next, previous);
    if (SETTLED.has(next.state)) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const waiter of waiters) waiter(next);
    }
    this.react(previous, next);
    return next;
  }

  /** Chained, so rules land in the order of the states; the returned promise carries this state's outcome. */
  private enforce(state: TunnelState): Promise<void> {
    const firewall = this.deps.firewall;
    if (!firewall) return Promise.resolve();
    const done = this.firewallChain.then(
      () => firewall.enforce(state),
      () => firewall.enforce(state),
    );
    this.firewallChain = done.then(
      () => undefined,
      () => undefined,
    );
    return done.then(
      () => {
        this.lastFailure = undefined;
      },
      (error: unknown) => {
        const failure = firewallFailure(state, error);
        this.lastFailure = failure.toInfo();
        this.deps.log('error', failure.message);
        throw failure;
      },
    );
  }

  private enforceCurrent(): Promise<void> {
    const state = this.state;
    const done = this.enforce(state);
    this.watchRules(state, done);
    return done;
  }

  /** A state whose rules failed is not kept: connected and connecting fail over, the rest stays strictest. */
  private watchRules(state: TunnelState, done: Promise<void>): void {
    this.rules = { state, done };
    done.catch((error: unknown) => {
      // A later state has its own rules; a connecting attempt fails by itself where it waits for them.
      if (!sameStage(this.state, state)) return;
      const current = this.state;
      if (current.state === 'connected') this.fail(toErrorInfo(error), 1);
      // Before its gate an attempt fails by itself (after its backoff); after it, the work under way stops.
      else if (current.state === 'connecting' && this.gateOpen === this.generation) this.fail(toErrorInfo(error), current.attempt);
    });
  }

  private react(previous: TunnelState, next: TunnelState): void {
    if (next.state === 'connecting' && (previous.state !== 'connecting' || previous.attempt !== next.attempt)) {
      void this.runAttempt(next);
    } else if (next.state === 'disconnecting' && previous.state !== 'disconnecting') {
      void this.runTeardown();
    }
  }

  private startGeneration(): { generation: number; signal: AbortSignal } {
    this.abort.abort(new BurrowError('cancelled', 'The attempt was superseded.'));
    this.abort = new AbortController();
    return { generation: ++this.generation, signal: this.abort.signal };
  }

  private session(generation: number, signal: AbortSignal): DriverSession {
    const current = (): boolean => generation === this.generation;
    return {
      signal,
      progress: (progress) => current() && this.apply({ type: 'driverProgress', progress }),
      update: (details) => current() && this.state.state === 'connected' && this.apply({ type: 'driverConnected', details, now: this.now() }),
      lost: (cause) => {
        if (!current() || this.state.state !== 'connected') return;
        this.deps.log('warn', `The tunnel was lost: ${cause.message}`);
        this.fail(cause, 1);
      },
      log: (level, message) => this.deps.log(level, message),
    };
  }

  private async runAttempt(state: Extract<TunnelState, { state: 'connecting' }>): Promise<void> {
    const { generation, signal } = this.startGeneration();
    const profile = this.profiles.get(state.target.profileId);
    const driver = this.deps.drivers.get(state.target.network);
    try {
      await sleep(backoffMs(state.attempt), signal);
      // This state's rules, before any work: an attempt never starts without them.
      await this.rulesInPlace();
      if (generation !== this.generation) return;
      this.gateOpen = generation;
      if (this.activeDriver) await this.activeDriver.disconnect();
      if (!profile) throw new BurrowError('no_profile', `The profile ${state.target.profileName} is gone.`);
      if (!driver) {
        throw new BurrowError('not_implemented', `Connecting to ${state.target.network} is not built yet in this version of Burrow.`);
      }
      this.activeDriver = driver;
      await driver.prepare(profile);
      const details = await driver.connect(profile, this.session(generation, signal));
      if (generation !== this.generation) return;
      // "connected" is announced once its rules are verified, never before.
      const event: SupervisorEvent = { type: 'driverConnected', details, now: this.now() };
      const verified = this.enforce(transition(this.state, event, this.deps.policy()));
      await verified;
      if (generation !== this.generation) return;
      this.apply(event, verified);
    } catch (error) {
      if (generation !== this.generation) return;
      const cause = toErrorInfo(error);
      this.deps.log('warn', `Attempt ${state.attempt} to connect to ${state.target.profileName} failed: ${cause.message}`);
      this.fail(cause, state.attempt);
    }
  }

  /** Waits for the current state's rules, and again if a newer enforcement (a settings change) started meanwhile. */
  private async rulesInPlace(): Promise<void> {
    for (;;) {
      const done = this.rules.done;
      await done;
      if (this.rules.done === done) return;
    }
  }

  private fail(cause: ErrorInfo, attempt: number): void {
    const retry = shouldRetry(cause, attempt);
    this.apply({ type: 'driverFailed', cause, retry, now: this.now() });
  }

  private async runTeardown(): Promise<void> {
    const { generation } = this.startGeneration();
    try {
      // The teardown waits for the blocking rules; if they failed, the tunnel's own rules are still there.
      await this.firewallChain;
      await this.activeDriver?.disconnect();
    } catch (error) {
      this.deps.log('warn', `Tearing the tunnel down reported: ${toErrorInfo(error).message}`);
    }
    this.activeDriver = undefined;
    if (generation !== this.generation) return;
    this.apply({ type: 'driverStopped', now: this.now() });
  }
}

/** The same stage of the same attempt: details, progress and lockdown updates do not make a new stage. */
function sameStage(a: TunnelState, b: TunnelState): boolean {
  if (a.state !== b.state) return false;
  if (a.state === 'connecting' && b.state === 'connecting' && a.attempt !== b.attempt) return false;
  const targetA = 'target' in a ? a.target?.profileId : undefined;
  const targetB = 'target' in b ? b.target?.profileId : undefined;
  return targetA === targetB;
}
