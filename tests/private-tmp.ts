// vitest globalSetup for the unit and UI layers: every temporary file a test makes (mkdtemp under
// os.tmpdir()) lands in one directory of this run, removed when the run ends, also when tests fail.
// Mode 1777 like /tmp itself: some tests hand files to a dropped-privilege user.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pruneHelperHomes } from '../app/networks/helper/user.js';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-test-'));
  chmodSync(dir, 0o1777);
  process.env.TMPDIR = dir;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    // A root run's hosts gave their helpers homes in /run/burrow-helpers for data directories under `dir`:
    // those are gone now, and so go their homes (issue 12's leftovers: one set per test host, until boot).
    if (process.getuid?.() === 0) pruneHelperHomes();
  };
}
