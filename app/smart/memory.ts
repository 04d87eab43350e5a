// What worked, per network: keyed by what identifies the network a person is on (the gateway's MAC
// address when known, else the LAN's prefix), one entry per goal, and the last outcome of every rung tried
// there (what the Compare page's "gets through here?" row reads). A small JSON file (0600) in the data
// directory; a damaged file is kept aside and memory starts empty, never a crash on connect.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GOALS, RUNGS, type Goal, type Rung } from './ladder.js';

export interface NetworkIdentity {
  gatewayMac?: string;
  /** e.g. 192.168.1.0/24 */
  lan?: string;
}

export function networkKey(id: NetworkIdentity): string | undefined {
  const mac = id.gatewayMac?.toLowerCase();
  if (mac !== undefined && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) return `mac:${mac}`;
  if (id.lan !== undefined && /^[0-9a-f.:]+\/\d{1,3}$/i.test(id.lan)) return `lan:${id.lan.toLowerCase()}`;
  return undefined;
}

interface Entry {
  rung: Rung;
  at: string;
}

/** The last attempt of one rung on one network: did it get through, and when. */
export interface RungOutcome {
  through: boolean;
  at: string;
}

type NetworkEntry = Partial<Record<Goal, Entry>> & { rungs?: Partial<Record<Rung, RungOutcome>> };
type Memory = Record<string, NetworkEntry>;

export interface SmartMemory {
  recall(key: string | undefined, goal: Goal): Rung | undefined;
  remember(key: string | undefined, goal: Goal, rung: Rung, at: Date): void;
  /** One rung's outcome on this network (through or blocked), kept until the next attempt of that rung. */
  record(key: string | undefined, rung: Rung, through: boolean, at: Date): void;
  /** Every rung's last outcome on this network. */
  outcomes(key: string | undefined): Partial<Record<Rung, RungOutcome>>;
}

const isRung = (value: unknown): boolean => (RUNGS as readonly unknown[]).includes(value);

function validOutcomes(rungs: unknown): boolean {
  return typeof rungs === 'object' && rungs !== null && Object.entries(rungs).every(
    ([rung, o]) => isRung(rung) && typeof (o as RungOutcome).through === 'boolean' && typeof (o as RungOutcome).at === 'string',
  );
}

function valid(data: unknown): data is Memory {
  if (typeof data !== 'object' || data === null) return false;
  return Object.values(data).every((goals) => typeof goals === 'object' && goals !== null && Object.entries(goals as object).every(
    ([goal, entry]) => (goal === 'rungs' ? validOutcomes(entry) : (GOALS as readonly string[]).includes(goal) && isRung((entry as Entry).rung)),
  ));
}

export function openSmartMemory(dataDir: string): SmartMemory {
  const file = join(dataDir, 'smart-connect.json');
  let memory: Memory = {};
  if (existsSync(file)) {
    try {
      const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!valid(data)) throw new Error('unexpected shape');
      memory = data;
    } catch {
      renameSync(file, `${file}.damaged-${Date.now()}`);
    }
  }
  return {
    recall: (key, goal) => (key === undefined ? undefined : memory[key]?.[goal]?.rung),
    remember(key, goal, rung, at) {
      if (key === undefined) return;
      memory[key] = { ...memory[key], [goal]: { rung, at: at.toISOString() } };
      writeFileSync(file, `${JSON.stringify(memory, null, 2)}\n`, { mode: 0o600 });
    },
    record(key, rung, through, at) {
      if (key === undefined) return;
      const entry = memory[key] ?? {};
      memory[key] = { ...entry, rungs: { ...entry.rungs, [rung]: { through, at: at.toISOString() } } };
      writeFileSync(file, `${JSON.stringify(memory, null, 2)}\n`, { mode: 0o600 });
    },
    outcomes: (key) => (key === undefined ? {} : { ...memory[key]?.rungs }),
  };
}
