// Per-run bookkeeping on disk (/run/burrow-lab): which namespaces and processes a run created, and who
// owns it. It is what lets `npm run lab -- down`, or the next run, clean up after a run that was killed.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREFIX_PATTERN } from './addresses.js';

export const STATE_ROOT = process.env.BURROW_LAB_STATE_DIR ?? '/run/burrow-lab';

export interface LabOwner {
  pid: number;
  /** Kernel start time of the owner (from /proc/<pid>/stat): tells a live owner from a reused PID. */
  startTime: string;
  /** A lab made by `npm run lab -- up` outlives its owner on purpose; only `down` removes it. */
  persistent: boolean;
}

export interface LabStateFile {
  prefix: string;
  octet: number;
  dir: string;
  createdAt: string;
  owner: LabOwner;
  namespaces: string[];
  processes: { pid: number; name: string }[];
  /** Files created outside `dir` (e.g. /etc/netns/<ns>), removed at teardown. */
  extraPaths: string[];
}

export function statePath(prefix: string): string {
  return join(STATE_ROOT, `${prefix}.json`);
}

export function octetClaimPath(octet: number): string {
  return join(STATE_ROOT, `octet-${octet}.claim`);
}

export function writeState(state: LabStateFile): void {
  mkdirSync(STATE_ROOT, { recursive: true, mode: 0o700 });
  const path = statePath(state.prefix);
  // Write then rename: a run killed mid-write must not leave a half file that cleanup cannot read.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function readState(prefix: string): LabStateFile | undefined {
  try {
    return JSON.parse(readFileSync(statePath(prefix), 'utf8')) as LabStateFile;
  } catch {
    return undefined;
  }
}

export function listStates(): LabStateFile[] {
  if (!existsSync(STATE_ROOT)) return [];
  return readdirSync(STATE_ROOT)
    .filter((f) => f.endsWith('.json') && PREFIX_PATTERN.test(f.slice(0, -5)))
    .map((f) => readState(f.slice(0, -5)))
    .filter((s): s is LabStateFile => s !== undefined);
}

export function removeState(state: LabStateFile): void {
  rmSync(statePath(state.prefix), { force: true });
  rmSync(octetClaimPath(state.octet), { force: true });
}

/**
 * Second octets a lab may use: 10.16.0.0 to 10.191.255.255. Not below 16 (ranges people use at home), and not
 * 192 or above: system-wide Tor's VirtualAddrNetworkIPv4 is 10.192.0.0/10, and a lab inside it would have
 * tor map real lab addresses to virtual ones and reset every stream.
 */
export const LAB_OCTETS = { first: 16, count: 176 } as const;

/** Claims a free second octet atomically (O_EXCL), so two runs starting together never pick the same. */
export function claimOctet(prefix: string): number {
  mkdirSync(STATE_ROOT, { recursive: true, mode: 0o700 });
  const { first, count } = LAB_OCTETS;
  const start = first + Math.floor(Math.random() * count);
  for (let i = 0; i < count; i += 1) {
    const octet = first + ((start - first + i) % count);
    try {
      writeFileSync(octetClaimPath(octet), prefix, { flag: 'wx' });
      return octet;
    } catch {
      // taken by another run: try the next one
    }
  }
  throw new Error(`no free lab address range: ${STATE_ROOT} holds ${count} claims; run \`npm run lab -- down\``);
}

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name (field 2) may contain spaces, so count after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export function ownerAlive(owner: LabOwner): boolean {
  return processStartTime(owner.pid) === owner.startTime;
}

export function selfOwner(persistent: boolean): LabOwner {
  return { pid: process.pid, startTime: processStartTime(process.pid) ?? '', persistent };
}
