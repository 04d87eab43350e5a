// Taking a lab down, synchronously, so it also works from an `exit` or signal handler: kill every
// process the run started (by process group) and every process still inside its namespaces, delete
// the namespaces, then the files. Also finds the leftovers of runs that died without cleaning up.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { NAMESPACE_PATTERN } from './addresses.js';
import { killGroup, runSync } from './process.js';
import { listStates, ownerAlive, processStartTime, removeState, type LabStateFile } from './run-state.js';

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** PIDs of processes inside network namespace `ns` (zombies excluded: they hold no namespace). */
export function namespacePids(ns: string): number[] {
  const r = runSync('ip', ['netns', 'pids', ns]);
  if (r.code !== 0) return [];
  return r.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => pid !== process.pid && processStartTime(pid) !== undefined);
}

export function listNamespaces(): string[] {
  const r = runSync('ip', ['netns', 'list']);
  return r.stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter(Boolean);
}

function alive(pid: number): boolean {
  return processStartTime(pid) !== undefined;
}

/** Kills `pids` (their groups too): TERM, a grace period, then KILL. Returns those that survived. */
function killAll(pids: number[], graceMs: number): number[] {
  for (const pid of pids) killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) sleepSync(50);
  for (const pid of pids.filter(alive)) killGroup(pid, 'SIGKILL');
  const hard = Date.now() + 2000;
  while (Date.now() < hard && pids.some(alive)) sleepSync(50);
  return pids.filter(alive);
}

export interface TeardownReport {
  prefix: string;
  killed: number;
  survivors: number[];
  namespacesLeft: string[];
}

export function teardownNamespaces(prefix: string, namespaces: string[], pids: number[]): TeardownReport {
  const existing = new Set(listNamespaces());
  const present = namespaces.filter((ns) => existing.has(ns));
  const targets = [...new Set([...pids.filter(alive), ...present.flatMap(namespacePids)])];
  let survivors = killAll(targets, 3000);
  // A process may have forked while we were killing (tor starting obfs4proxy): one more sweep.
  const late = present.flatMap(namespacePids).filter((pid) => !targets.includes(pid));
  if (late.length > 0) survivors = [...survivors, ...killAll(late, 1000)];
  for (const ns of present) {
    runSync('ip', ['netns', 'del', ns]);
    rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
  }
  const after = new Set(listNamespaces());
  return { prefix, killed: targets.length, survivors, namespacesLeft: present.filter((ns) => after.has(ns)) };
}

export function teardownState(state: LabStateFile): TeardownReport {
  const report = teardownNamespaces(
    state.prefix,
    state.namespaces,
    state.processes.map((p) => p.pid),
  );
  for (const path of state.extraPaths) rmSync(path, { recursive: true, force: true });
  if (report.survivors.length === 0 && report.namespacesLeft.length === 0) {
    rmSync(state.dir, { recursive: true, force: true });
    removeState(state);
  }
  return report;
}

/**
 * Removes labs whose owner is gone (a killed test run) and lab-named namespaces no state file claims.
 * With `all`, also removes persistent (`lab up`) labs and labs of live owners: that is `lab down`.
 */
export function cleanupLeftovers(opts: { all: boolean; except?: string }): TeardownReport[] {
  const reports: TeardownReport[] = [];
  const kept = new Set<string>();
  for (const state of listStates()) {
    const abandoned = !state.owner.persistent && !ownerAlive(state.owner);
    if (state.prefix !== opts.except && (opts.all || abandoned)) {
      const report = teardownState(state);
      reports.push(report);
      if (report.survivors.length > 0 || report.namespacesLeft.length > 0) kept.add(state.prefix);
    } else kept.add(state.prefix);
  }
  // Namespaces named like ours that no remaining state file claims: a run killed before saving its
  // state. (A starting run saves its state before creating any namespace, so it is never hit here.)
  const orphans = new Map<string, string[]>();
  for (const ns of listNamespaces()) {
    const prefix = NAMESPACE_PATTERN.exec(ns)?.[1];
    if (prefix === undefined || kept.has(prefix)) continue;
    orphans.set(prefix, [...(orphans.get(prefix) ?? []), ns]);
  }
  for (const [prefix, namespaces] of orphans) reports.push(teardownNamespaces(prefix, namespaces, []));
  return reports;
}

/** Leftover /etc/netns entries of lab namespaces that no longer exist. */
export function staleNetnsConfigs(): string[] {
  try {
    const existing = new Set(listNamespaces());
    return readdirSync('/etc/netns').filter((ns) => NAMESPACE_PATTERN.test(ns) && !existing.has(ns));
  } catch {
    return [];
  }
}

export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
