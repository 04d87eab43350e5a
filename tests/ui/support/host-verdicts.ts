// The host's own leak verdicts, read from its database over the control socket (`burrow history`), and the
// chip a card shows for each: what the UI tests compare the Leak tests page with.
import { expect } from 'vitest';
import type { LeakTestKind, LeakVerdict } from '../../../app/domain/index.js';
import { burrowCli, type RunningHost } from './host-process.js';

export const CHIP = { passed: 'Passed', leaked: 'Leaked', not_tested: 'Not tested' } as const;

function isVerdictList(value: unknown): value is LeakVerdict[] {
  return Array.isArray(value);
}

/** The host's newest verdict per test. */
export async function hostVerdicts(host: RunningHost): Promise<Partial<Record<LeakTestKind, LeakVerdict>>> {
  const { code, json } = await burrowCli(host, ['history', '--limit', '200']);
  expect(code).toBe(0);
  const leaks = (json as { leaks?: unknown }).leaks;
  if (!isVerdictList(leaks)) throw new Error(`burrow history gave no leak list: ${JSON.stringify(json)}`);
  const latest: Partial<Record<LeakTestKind, LeakVerdict>> = {};
  for (const v of leaks) {
    const known = latest[v.test];
    if (!known || known.ranAt < v.ranAt) latest[v.test] = v;
  }
  return latest;
}
