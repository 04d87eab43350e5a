// Past verdicts (from getHistory) shaped for the history chart: per network, grouped into runs (verdicts
// stamped within a short span of one another came from one "Run all"), each run counted by verdict.
import type { LeakVerdict, NetworkKind } from '../../../../app/domain/index.js';

/** Verdicts further apart than this belong to different runs (the kill-switch probe runs last, alone). */
const RUN_GAP_MS = 30_000;

export type NetworkKey = NetworkKind | 'none';

export interface LeakRun {
  at: Date;
  passed: number;
  leaked: number;
  notTested: number;
  verdicts: LeakVerdict[];
}

export function networkKey(network: NetworkKind | null): NetworkKey {
  return network ?? 'none';
}

/** Networks that have any verdict, the most recently tested first. */
export function testedNetworks(verdicts: readonly LeakVerdict[]): NetworkKey[] {
  const latest = new Map<NetworkKey, string>();
  for (const v of verdicts) {
    const key = networkKey(v.network);
    const known = latest.get(key);
    if (known === undefined || known < v.ranAt) latest.set(key, v.ranAt);
  }
  return [...latest].sort((a, b) => (a[1] < b[1] ? 1 : -1)).map(([key]) => key);
}

/** One network's runs, oldest first. */
export function runsFor(verdicts: readonly LeakVerdict[], network: NetworkKey): LeakRun[] {
  const mine = verdicts.filter((v) => networkKey(v.network) === network).sort((a, b) => (a.ranAt < b.ranAt ? -1 : a.ranAt > b.ranAt ? 1 : 0));
  const runs: LeakRun[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const v of mine) {
    const at = new Date(v.ranAt).getTime();
    let run = runs[runs.length - 1];
    if (run === undefined || at - last > RUN_GAP_MS) {
      run = { at: new Date(at), passed: 0, leaked: 0, notTested: 0, verdicts: [] };
      runs.push(run);
    }
    last = at;
    run.verdicts.push(v);
    if (v.verdict === 'passed') run.passed++;
    else if (v.verdict === 'leaked') run.leaked++;
    else run.notTested++;
  }
  return runs;
}
