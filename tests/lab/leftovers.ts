// What a stopped lab must not leave behind, looked up independently of the lab's own bookkeeping
// (/proc and `ip netns`), so a teardown bug cannot hide itself.
import { existsSync, readdirSync } from 'node:fs';
import type { Lab } from './lab.js';
import { statePath } from './run-state.js';
import { listNamespaces, readCmdline } from './teardown.js';
import { processStartTime } from './run-state.js';

export interface Leftovers {
  namespaces: string[];
  processes: { pid: number; cmdline: string }[];
  files: string[];
}

export function findLeftovers(lab: Lab): Leftovers {
  const ours = new Set(Object.values(lab.namespaces));
  const recorded = new Set(lab.processes().map((p) => p.pid));
  // Anything whose command line names the run's directory or address range belongs to this run.
  const marks = [lab.dir, `10.${lab.octet}.`];
  const processes = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => pid !== process.pid && processStartTime(pid) !== undefined)
    .map((pid) => ({ pid, cmdline: readCmdline(pid) }))
    .filter(({ pid, cmdline }) => recorded.has(pid) || marks.some((m) => cmdline.includes(m)));
  const files = [lab.dir, statePath(lab.prefix), ...[...ours].map((ns) => `/etc/netns/${ns}`)].filter((f) => existsSync(f));
  return { namespaces: listNamespaces().filter((ns) => ours.has(ns)), processes, files };
}
