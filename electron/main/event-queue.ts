// Events the host pushes before the renderer listens are held here, as Electron Fiddle's src/main/ipc.ts
// does, and flushed when the renderer sends IPC_READY_CHANNEL. Whole-state events (state, settings,
// profiles) keep only their latest value: a renderer that starts late must not replay stale states after
// its snapshot. Other events (log, leakResult) keep their order, capped so a renderer that never becomes
// ready cannot grow memory without bound.
import type { EventEnvelope } from '../../app/contract/index.js';

export const LATEST_ONLY_EVENTS: ReadonlySet<string> = new Set(['state', 'settings', 'profiles']);

export class EventQueue {
  private readyFlag = false;
  private pending: EventEnvelope[] = [];

  constructor(
    private readonly send: (envelope: EventEnvelope) => void,
    private readonly maxQueued = 500,
  ) {}

  get isReady(): boolean {
    return this.readyFlag;
  }

  get queued(): readonly EventEnvelope[] {
    return this.pending;
  }

  push(envelope: EventEnvelope): void {
    if (this.readyFlag) {
      this.send(envelope);
      return;
    }
    if (LATEST_ONLY_EVENTS.has(envelope.event)) {
      this.pending = this.pending.filter((queued) => queued.event !== envelope.event);
    }
    this.pending.push(envelope);
    if (this.pending.length > this.maxQueued) this.dropOldestOrdered();
  }

  /** The renderer listens now: send everything held, in order, then pass events straight through. */
  markReady(): void {
    if (this.readyFlag) return;
    this.readyFlag = true;
    const held = this.pending;
    this.pending = [];
    for (const envelope of held) this.send(envelope);
  }

  /** The page is loading again (reload, crash): hold events until the new page says it is ready. */
  reset(): void {
    this.readyFlag = false;
  }

  private dropOldestOrdered(): void {
    // Never drop a whole-state event: it is the only copy of the newest value.
    const index = this.pending.findIndex((queued) => !LATEST_ONLY_EVENTS.has(queued.event));
    this.pending.splice(index === -1 ? 0 : index, 1);
  }
}
