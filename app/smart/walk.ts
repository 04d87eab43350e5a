// Walks the ladder: one rung at a time (never two at once, so the kill switch only ever has to let one
// attempt out), reporting where it is, stopping at the first rung that gets through and remembering it
// for this network. The caller's attempt() connects through the normal connect path, kill switch
// included, and resolves true once connected.
import { RUNG_LABELS, fallbackFrom, ladderFor, type Goal, type Rung } from './ladder.js';
import type { SmartMemory } from './memory.js';

export interface SmartStep {
  rung: Rung;
  index: number;
  of: number;
  status: 'trying' | 'through' | 'blocked';
  /** How the person is told. */
  sentence: string;
  ms?: number;
}

export interface SmartOutcome {
  rung: Rung | undefined;
  steps: SmartStep[];
  /** Where the walk started (what was remembered for this network, or the first rung). */
  startedAt: Rung | undefined;
}

export interface WalkOptions {
  goal: Goal;
  available: ReadonlySet<Rung>;
  networkKey: string | undefined;
  memory: SmartMemory;
  attempt(rung: Rung, signal: AbortSignal): Promise<boolean>;
  onStep?(step: SmartStep): void;
  signal?: AbortSignal;
  now?: () => Date;
  /** After a mid-session block: the rung that was lost (it goes last). */
  lost?: Rung;
}

export async function walkLadder(opts: WalkOptions): Promise<SmartOutcome> {
  const base = ladderFor(opts.goal, opts.available, opts.memory.recall(opts.networkKey, opts.goal));
  const ladder = opts.lost === undefined ? base : [...fallbackFrom(base, opts.lost), opts.lost];
  const steps: SmartStep[] = [];
  const report = (step: SmartStep): void => {
    steps.push(step);
    opts.onStep?.(step);
  };
  const signal = opts.signal ?? new AbortController().signal;
  const now = opts.now ?? (() => new Date());
  for (const [index, rung] of ladder.entries()) {
    if (signal.aborted) break;
    const of = ladder.length;
    const label = RUNG_LABELS[rung];
    report({ rung, index, of, status: 'trying', sentence: `Trying ${label} (${index + 1} of ${of})…` });
    const started = now().getTime();
    const through = await opts.attempt(rung, signal).catch(() => false);
    const ms = now().getTime() - started;
    opts.memory.record(opts.networkKey, rung, through, now());
    if (through) {
      report({ rung, index, of, status: 'through', sentence: `Connected with ${label}.`, ms });
      opts.memory.remember(opts.networkKey, opts.goal, rung, now());
      return { rung, steps, startedAt: ladder[0] };
    }
    report({ rung, index, of, status: 'blocked', sentence: `${label} does not get through here.`, ms });
  }
  return { rung: undefined, steps, startedAt: ladder[0] };
}
