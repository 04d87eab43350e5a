// Open (or create) the SQLite database. A corrupt or unreadable file is never deleted and never silently
// replaced: it is moved aside as `<name>.corrupt-<time>` (with its -wal/-shm), a fresh database is made,
// and the caller gets a notice to show the person.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync } from 'node:fs';
import { migrate } from './migrations.js';

export interface OpenedDatabase {
  db: Database.Database;
  /** Set when the old file had to be moved aside. */
  recovered?: { movedTo: string; reason: string };
}

export class NewerDatabaseError extends Error {}

function tighten(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

function openChecked(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
    try {
      migrate(db);
    } catch (error) {
      if (error instanceof Error && error.message.includes('newer Burrow')) throw new NewerDatabaseError(error.message);
      throw error;
    }
    tighten(path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

export function openDatabase(path: string, now: () => Date = () => new Date()): OpenedDatabase {
  try {
    return { db: openChecked(path) };
  } catch (error) {
    // A database from a newer version is not corrupt: moving it aside would lose the user's data on a downgrade.
    if (error instanceof NewerDatabaseError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const movedTo = `${path}.corrupt-${timestamp(now())}`;
    renameSync(path, movedTo);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
    }
    return { db: openChecked(path), recovered: { movedTo, reason } };
  }
}
