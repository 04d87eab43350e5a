// The renderer's picture of the host: one snapshot at start, then pushed events keep it current. Nothing
// here decides tunnel state; commands go to the host and only its events change what is shown.
import type { ContractClient, Snapshot } from '../../../app/contract/index.js';
import { BurrowError, type LeakTestKind, type LeakVerdict, type LogEntry } from '../../../app/domain/index.js';
import type { HostLink } from '../host/host-link.js';

export type HostPhase =
  | { phase: 'connecting' }
  | { phase: 'ready' }
  /** `retrying`: a new attempt is under way; the screen stays until it succeeds (no flicker). */
  | { phase: 'unreachable'; reason: string; retryAt: number | null; retrying: boolean };

export interface BurrowView {
  host: HostPhase;
  /** The host's state, settings and profiles as last pushed; null until the first snapshot arrives. */
  snapshot: Snapshot | null;
  /** The latest verdict per leak test, from answers and `leakResult` events. */
  verdicts: Partial<Record<LeakTestKind, LeakVerdict>>;
  logs: LogEntry[];
}

const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];
const MAX_LOGS = 2000;

export class BurrowStore {
  private view: BurrowView = { host: { phase: 'connecting' }, snapshot: null, verdicts: {}, logs: [] };
  private readonly listeners = new Set<() => void>();
  private current: ContractClient | null = null;
  private endSession: (() => void) | null = null;
  private session = 0;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly link: HostLink) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getView = (): BurrowView => this.view;

  get linkDescription(): string {
    return this.link.description;
  }

  get canReconnect(): boolean {
    return this.link.canReconnect;
  }

  /** The client of the live session; commands fail with a readable error while the host is away. */
  client(): ContractClient {
    if (!this.current || this.view.host.phase !== 'ready') {
      throw new BurrowError('host_unreachable', 'Burrow is not connected to its host right now.');
    }
    return this.current;
  }

  start(): void {
    this.clearRetry();
    this.endSession?.();
    const session = ++this.session;
    this.current = null;
    const host = this.view.host;
    this.update({ host: host.phase === 'unreachable' ? { ...host, retryAt: null, retrying: true } : { phase: 'connecting' } });
    this.endSession = this.link.connect({
      open: (client, ready) => {
        if (session === this.session) void this.openSession(session, client, ready);
      },
      close: (reason) => {
        if (session === this.session) this.lost(reason);
      },
    });
  }

  stop(): void {
    this.clearRetry();
    this.session++;
    this.endSession?.();
    this.endSession = null;
    this.current = null;
  }

  /** Replaces the log list with the host's own (then `log` events append to it). */
  async loadLogs(limit = 500): Promise<void> {
    const logs = await this.client().getLogs({ limit });
    this.update({ logs });
  }

  recordVerdicts(verdicts: readonly LeakVerdict[]): void {
    if (verdicts.length === 0) return;
    const next = { ...this.view.verdicts };
    for (const verdict of verdicts) {
      const known = next[verdict.test];
      if (!known || known.ranAt <= verdict.ranAt) next[verdict.test] = verdict;
    }
    this.update({ verdicts: next });
  }

  private async openSession(session: number, client: ContractClient, ready: () => void): Promise<void> {
    this.current = client;
    // Until the snapshot answers, full-state events are older than it (one ordered channel): skip them.
    const live = (): boolean => session === this.session && this.view.snapshot !== null && this.view.host.phase === 'ready';
    client.on('state', (state) => {
      if (live() && this.view.snapshot) this.update({ snapshot: { ...this.view.snapshot, state } });
    });
    client.on('settings', (settings) => {
      if (live() && this.view.snapshot) this.update({ snapshot: { ...this.view.snapshot, settings } });
    });
    client.on('profiles', (profiles) => {
      if (live() && this.view.snapshot) this.update({ snapshot: { ...this.view.snapshot, profiles } });
    });
    client.on('leakResult', (verdict) => {
      if (session === this.session) this.recordVerdicts([verdict]);
    });
    client.on('log', (entry) => {
      if (session !== this.session) return;
      const logs = this.view.logs.length >= MAX_LOGS ? this.view.logs.slice(1 - MAX_LOGS) : this.view.logs;
      this.update({ logs: [...logs, entry] });
    });
    ready();
    try {
      const snapshot = await client.getSnapshot();
      if (session !== this.session) return;
      this.failures = 0;
      this.update({ snapshot, host: { phase: 'ready' } });
    } catch (error) {
      if (session !== this.session) return;
      const message = error instanceof Error ? error.message : String(error);
      this.lost(`The host answered, but not with its state: ${message}`);
    }
  }

  private lost(reason: string): void {
    this.current = null;
    this.endSession = null;
    let retryAt: number | null = null;
    if (this.link.canReconnect) {
      const delay = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)] ?? 15000;
      this.failures++;
      retryAt = Date.now() + delay;
      this.clearRetry();
      this.retryTimer = setTimeout(() => this.start(), delay);
    }
    this.update({ host: { phase: 'unreachable', reason, retryAt, retrying: false } });
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private update(patch: Partial<BurrowView>): void {
    this.view = { ...this.view, ...patch };
    for (const listener of this.listeners) listener();
  }
}
