// Drives the state machine: runs connect attempts and teardowns on the drivers, enforces the firewall for
// each state before any work starts, ignores reports from attempts that were superseded, and retries
// with backoff. The host owns one Supervisor; every front door goes through it.
import { BurrowError, toErrorInfo, type ErrorInfo, type Target, type TunnelState } from '../domain/index.js';
import { backoffMs, shouldRetry, sleep } from './backoff.js';
import type { DriverSession, NetworkDriver, StoredProfile } from './driver.js';
import { IllegalTransitionError, transition, type StatePolicy, type SupervisorEvent } from './state-machine.js';

export interface FirewallEnforcer {
  /** Put the rules for this state in place; rejects if they could not be verified. */
  enforce(state: TunnelState): Promise<void>;
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

  constructor(private readonly deps: SupervisorDeps) {
    this.state = { state: 'disconnected', lockedDown: deps.policy().lockdown };
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

  /** Re-apply the firewall for the current state (after a settings change). */
  refreshFirewall(): Promise<void> {
    return this.enforce(this.state);
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

  /** Stop whatever runs (host shutdown). The firewall is left as it is: netd fails closed. */
  async shutdown(): Promise<void> {
    this.generation++;
    this.abort.abort(new BurrowError('cancelled', 'Burrow is shutting down.'));
    await this.activeDriver?.disconnect().catch(() => undefined);
  }

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  private apply(event: SupervisorEvent): TunnelState {
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
    void this.enforce(next);
    this.deps.onState(next, previous);
    if (SETTLED.has(next.state)) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const waiter of waiters) waiter(next);
    }
    this.react(previous, next);
    return next;
  }

  private enforce(state: TunnelState): Promise<void> {
    const firewall = this.deps.firewall;
    if (!firewall) return Promise.resolve();
    this.firewallChain = this.firewallChain
      .then(() => firewall.enforce(state))
      .catch((error: unknown) => this.deps.log('error', `Firewall rules for ${state.state} could not be applied: ${toErrorInfo(error).message}`));
    return this.firewallChain;
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
      await this.firewallChain;
      if (this.activeDriver) await this.activeDriver.disconnect();
      if (!profile) throw new BurrowError('no_profile', `The profile ${state.target.profileName} is gone.`);
      if (!driver) {
        throw new BurrowError('not_implemented', `Connecting to ${state.target.network} is not built yet in this version of Burrow.`);
      }
      this.activeDriver = driver;
      await sleep(backoffMs(state.attempt), signal);
      await driver.prepare(profile);
      const details = await driver.connect(profile, this.session(generation, signal));
      if (generation !== this.generation) return;
      this.apply({ type: 'driverConnected', details, now: this.now() });
    } catch (error) {
      if (generation !== this.generation) return;
      const cause = toErrorInfo(error);
      this.deps.log('warn', `Attempt ${state.attempt} to connect to ${state.target.profileName} failed: ${cause.message}`);
      this.fail(cause, state.attempt);
    }
  }

  private fail(cause: ErrorInfo, attempt: number): void {
    const retry = shouldRetry(cause, attempt);
    this.apply({ type: 'driverFailed', cause, retry, now: this.now() });
  }

  private async runTeardown(): Promise<void> {
    const { generation } = this.startGeneration();
    try {
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
