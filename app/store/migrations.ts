// Numbered schema migrations. Each runs once, in order, in a transaction; PRAGMA user_version records
// how far a database has come. Never edit a released migration: add the next number.
import type Database from 'better-sqlite3';

export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE profiles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        network TEXT NOT NULL,
        details TEXT NOT NULL,
        config TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT
      );
      CREATE TABLE connections (
        id INTEGER PRIMARY KEY,
        network TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        profile_name TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT NOT NULL,
        error TEXT
      );
      CREATE INDEX connections_started ON connections (started_at);
      CREATE TABLE leak_results (
        id INTEGER PRIMARY KEY,
        test TEXT NOT NULL,
        verdict TEXT NOT NULL,
        summary TEXT NOT NULL,
        evidence TEXT NOT NULL,
        network TEXT,
        ran_at TEXT NOT NULL,
        duration_ms REAL NOT NULL
      );
      CREATE INDEX leak_results_ran ON leak_results (ran_at);
      CREATE TABLE measurements (
        id INTEGER PRIMARY KEY,
        network TEXT,
        profile_id TEXT,
        kind TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        conditions TEXT NOT NULL,
        measured_at TEXT NOT NULL
      );
      CREATE INDEX measurements_at ON measurements (measured_at);
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database.Database): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > LATEST_VERSION) {
    throw new Error(`the database was written by a newer Burrow (schema ${from}, this one knows ${LATEST_VERSION})`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: LATEST_VERSION };
}
