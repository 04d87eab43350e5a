// The store: one data directory (0700) holding burrow.db (0600) and secrets.json (0600).
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { ensurePrivateDir } from './data-dir.js';
import { openDatabase } from './open-database.js';
import { ProfileRepo } from './profile-repo.js';
import { HistoryRepo, ResultsRepo, SettingsRepo } from './records-repo.js';
import { SecretsFile } from './secrets-file.js';

export const DATABASE_FILE = 'burrow.db';
export const SECRETS_FILE = 'secrets.json';

export interface Store {
  readonly dataDir: string;
  readonly settings: SettingsRepo;
  readonly profiles: ProfileRepo;
  readonly history: HistoryRepo;
  readonly results: ResultsRepo;
  /** What went wrong on opening and was repaired without losing anything: tell the person. */
  readonly notices: string[];
  close(): void;
}

export function openStore(dataDir: string, now: () => Date = () => new Date()): Store {
  ensurePrivateDir(dataDir);
  const notices: string[] = [];
  const opened = openDatabase(join(dataDir, DATABASE_FILE), now);
  if (opened.recovered) {
    notices.push(
      `Burrow's database could not be read (${opened.recovered.reason}). It was kept as ${opened.recovered.movedTo} and a new, empty one was started.`,
    );
  }
  const secrets = new SecretsFile(join(dataDir, SECRETS_FILE), now);
  if (secrets.recovered) {
    notices.push(
      `Burrow's secrets file could not be read (${secrets.recovered.reason}). It was kept as ${secrets.recovered.movedTo}; profiles need to be imported again.`,
    );
  }
  const db: Database.Database = opened.db;
  return {
    dataDir,
    settings: new SettingsRepo(db),
    profiles: new ProfileRepo(db, secrets),
    history: new HistoryRepo(db),
    results: new ResultsRepo(db),
    notices,
    close: () => db.close(),
  };
}
