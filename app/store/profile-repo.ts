// Imported profiles: the public part in SQLite, the secrets in the secrets file.
import type Database from 'better-sqlite3';
import { BurrowError, type NetworkKind, type ParsedProfile, type ProfileSummary } from '../domain/index.js';
import type { StoredProfile } from '../supervisor/driver.js';
import type { SecretsFile } from './secrets-file.js';

interface ProfileRow {
  id: string;
  name: string;
  network: string;
  details: string;
  config: string;
  created_at: string;
  last_used_at: string | null;
}

function slug(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return base || 'profile';
}

export class ProfileRepo {
  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SecretsFile,
  ) {}

  list(): ProfileSummary[] {
    const rows = this.db.prepare('SELECT * FROM profiles ORDER BY created_at, id').all() as ProfileRow[];
    return rows.map((row) => this.summary(row));
  }

  /** By id or by name (names are unique, case-insensitively). */
  find(idOrName: string): StoredProfile | undefined {
    const row = this.db.prepare('SELECT * FROM profiles WHERE id = ? OR name = ? COLLATE NOCASE LIMIT 1').get(idOrName, idOrName) as
      | ProfileRow
      | undefined;
    return row && this.stored(row);
  }

  lastUsed(): StoredProfile | undefined {
    const row = this.db
      .prepare('SELECT * FROM profiles ORDER BY last_used_at IS NULL, last_used_at DESC, created_at LIMIT 1')
      .get() as ProfileRow | undefined;
    return row && this.stored(row);
  }

  add(parsed: ParsedProfile, name: string, now: Date): ProfileSummary {
    if (this.db.prepare('SELECT 1 FROM profiles WHERE name = ? COLLATE NOCASE').get(name)) {
      throw new BurrowError('conflict', `A profile named "${name}" exists already. Choose another name with --name.`);
    }
    let id = slug(name);
    for (let n = 2; this.db.prepare('SELECT 1 FROM profiles WHERE id = ?').get(id); n++) id = `${slug(name)}-${n}`;
    const row: ProfileRow = {
      id,
      name,
      network: parsed.network,
      details: JSON.stringify(parsed.details),
      config: JSON.stringify(parsed.config),
      created_at: now.toISOString(),
      last_used_at: null,
    };
    // Secrets first: a profile row without its secrets would be a profile that cannot connect.
    this.secrets.set(id, parsed.secrets);
    this.db
      .prepare(
        'INSERT INTO profiles (id, name, network, details, config, created_at, last_used_at) VALUES (@id, @name, @network, @details, @config, @created_at, @last_used_at)',
      )
      .run(row);
    return this.summary(row);
  }

  remove(id: string): boolean {
    const removed = this.db.prepare('DELETE FROM profiles WHERE id = ?').run(id).changes > 0;
    if (removed) this.secrets.remove(id);
    return removed;
  }

  /** A changed configuration (already validated by its network) and the facts shown for it; secrets stay. */
  update(id: string, config: Record<string, unknown>, details: ProfileSummary['details']): ProfileSummary | undefined {
    this.db.prepare('UPDATE profiles SET config = ?, details = ? WHERE id = ?').run(JSON.stringify(config), JSON.stringify(details), id);
    const row = this.db.prepare('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
    return row && this.summary(row);
  }

  markUsed(id: string, now: Date): void {
    this.db.prepare('UPDATE profiles SET last_used_at = ? WHERE id = ?').run(now.toISOString(), id);
  }

  private summary(row: ProfileRow): ProfileSummary {
    return {
      id: row.id,
      name: row.name,
      network: row.network as NetworkKind,
      details: JSON.parse(row.details) as ProfileSummary['details'],
      createdAt: row.created_at,
    };
  }

  private stored(row: ProfileRow): StoredProfile {
    return {
      id: row.id,
      name: row.name,
      network: row.network as NetworkKind,
      config: JSON.parse(row.config) as Record<string, unknown>,
      secrets: this.secrets.get(row.id),
    };
  }
}
