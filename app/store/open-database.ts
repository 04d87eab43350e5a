// Open (or create) the SQLite database. A corrupt file is never deleted and never silently replaced: it is
// moved aside as `<name>.corrupt-<time>` (with its -wal/-shm), a fresh database is made, and the caller
// gets a notice to show the person. Only real corruption moves a file: SQLite saying the file is not a
// database or is malformed, or a failed quick_check. Anything else (the native addon does not load, the
// file or its directory cannot be opened, the database is locked by another Burrow) is thrown unchanged,
// so the person's data stays where it is and the real cause is what they see.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync } from 'node:fs';
import { migrate } from './migrations.js';

export interface OpenedDatabase {
  db: Database.Database;
  /** Set when the old file had to be moved aside. */
  recovered?: { movedTo: string; reason: string };
}

export class NewerDatabaseError extends Error {}

/** The file is readable but its content is damaged: the only case in which it is moved aside. */
export class CorruptDatabaseError extends Error {}

/**
 * Where better-sqlite3's addon comes from. Under Node: the one in node_modules (built for Node's ABI).
 * Inside Electron (the desktop app, or the CLI run with the app's Electron as node): the copy built for
 * Electron's ABI, named by BURROW_SQLITE_BINDING (the desktop shell sets it; /usr/bin/burrow too).
 */
export function sqliteNativeBinding(
  env: Readonly<Record<string, string | undefined>> = process.env,
  versions: Readonly<Record<string, string | undefined>> = process.versions,
): string | undefined {
  const named = env.BURROW_SQLITE_BINDING;
  if (named !== undefined && named !== '') return named;
  if (versions.electron === undefined) return undefined;
  throw new Error(
    `Burrow runs inside Electron ${versions.electron}, which cannot load the better-sqlite3 built for Node. ` +
      'Build the Electron copy with `npm run build:electron-native` (npm start does it) or name it in BURROW_SQLITE_BINDING.',
  );
}

/** SQLite's own verdict that the file is damaged or not a database (extended codes included). */
export function isCorruption(error: unknown): boolean {
  if (error instanceof CorruptDatabaseError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)(_|$)/.test(code);
}

function tighten(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

function openChecked(path: string, nativeBinding: string | undefined): Database.Database {
  const db = new Database(path, nativeBinding === undefined ? {} : { nativeBinding });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CorruptDatabaseError(`integrity check failed: ${String(check)}`);
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

export interface OpenDatabaseOptions {
  /** better-sqlite3's addon; default: sqliteNativeBinding() for this process. */
  readonly nativeBinding?: string;
}

export function openDatabase(path: string, now: () => Date = () => new Date(), options: OpenDatabaseOptions = {}): OpenedDatabase {
  const nativeBinding = options.nativeBinding ?? sqliteNativeBinding();
  try {
    return { db: openChecked(path, nativeBinding) };
  } catch (error) {
    // A newer version's database, an addon that does not load, a permission or I/O error, a lock: not
    // corruption. Moving the file aside would lose the person's data for a fault that is elsewhere.
    if (!isCorruption(error) || !existsSync(path)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const movedTo = `${path}.corrupt-${timestamp(now())}`;
    renameSync(path, movedTo);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
    }
    return { db: openChecked(path, nativeBinding), recovered: { movedTo, reason } };
  }
}
