// Settings, connection history, leak verdicts and measurements: the records the host keeps.
import type Database from 'better-sqlite3';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type HistoryEntry,
  type LeakVerdict,
  type Measurement,
  type NetworkKind,
  type Settings,
} from '../domain/index.js';

export class SettingsRepo {
  constructor(private readonly db: Database.Database) {}

  /** Stored settings over the defaults; a value that no longer validates falls back to its default. */
  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const row of rows) {
      if (!(row.key in DEFAULT_SETTINGS)) continue;
      try {
        merged[row.key] = JSON.parse(row.value);
      } catch {
        /* keep the default for an unreadable value */
      }
    }
    const parsed = SettingsSchema.safeParse(merged);
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  }

  save(settings: Settings): void {
    const upsert = this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(settings)) upsert.run(key, JSON.stringify(value));
    })();
  }
}

interface ConnectionRow {
  id: number;
  network: string;
  profile_id: string;
  profile_name: string;
  started_at: string;
  ended_at: string | null;
  outcome: string;
  error: string | null;
}

export class HistoryRepo {
  constructor(private readonly db: Database.Database) {}

  start(entry: { network: NetworkKind; profileId: string; profileName: string; startedAt: string }): number {
    const result = this.db
      .prepare("INSERT INTO connections (network, profile_id, profile_name, started_at, outcome) VALUES (?, ?, ?, ?, 'active')")
      .run(entry.network, entry.profileId, entry.profileName, entry.startedAt);
    return Number(result.lastInsertRowid);
  }

  markConnected(id: number): void {
    this.db.prepare("UPDATE connections SET outcome = 'connected' WHERE id = ?").run(id);
  }

  finish(id: number, endedAt: string, outcome: 'connected' | 'failed' | 'cancelled', error: string | null): void {
    this.db.prepare('UPDATE connections SET ended_at = ?, outcome = ?, error = ? WHERE id = ?').run(endedAt, outcome, error, id);
  }

  /** Rows left open by a host that died: they ended, we just do not know when. */
  closeDangling(now: string): void {
    this.db.prepare("UPDATE connections SET ended_at = ?, outcome = 'cancelled', error = 'Burrow stopped while connected' WHERE ended_at IS NULL").run(now);
  }

  list(limit: number, network?: NetworkKind): HistoryEntry[] {
    const rows = (
      network
        ? this.db.prepare('SELECT * FROM connections WHERE network = ? ORDER BY id DESC LIMIT ?').all(network, limit)
        : this.db.prepare('SELECT * FROM connections ORDER BY id DESC LIMIT ?').all(limit)
    ) as ConnectionRow[];
    return rows.map((row) => ({
      id: row.id,
      network: row.network as NetworkKind,
      profileId: row.profile_id,
      profileName: row.profile_name,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      outcome: row.outcome as HistoryEntry['outcome'],
      error: row.error,
    }));
  }
}

export class ResultsRepo {
  constructor(private readonly db: Database.Database) {}

  addLeak(verdict: LeakVerdict): void {
    this.db
      .prepare('INSERT INTO leak_results (test, verdict, summary, evidence, network, ran_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(verdict.test, verdict.verdict, verdict.summary, JSON.stringify(verdict.evidence), verdict.network, verdict.ranAt, verdict.durationMs);
  }

  leaks(limit: number, network?: NetworkKind): LeakVerdict[] {
    const rows = (
      network
        ? this.db.prepare('SELECT * FROM leak_results WHERE network = ? ORDER BY id DESC LIMIT ?').all(network, limit)
        : this.db.prepare('SELECT * FROM leak_results ORDER BY id DESC LIMIT ?').all(limit)
    ) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      test: row.test as LeakVerdict['test'],
      verdict: row.verdict as LeakVerdict['verdict'],
      summary: row.summary as string,
      evidence: JSON.parse(row.evidence as string) as Record<string, unknown>,
      network: (row.network as NetworkKind | null) ?? null,
      ranAt: row.ran_at as string,
      durationMs: row.duration_ms as number,
    }));
  }

  addMeasurement(measurement: Omit<Measurement, 'id'>): number {
    const result = this.db
      .prepare('INSERT INTO measurements (network, profile_id, kind, value, unit, conditions, measured_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(
        measurement.network,
        measurement.profileId,
        measurement.kind,
        measurement.value,
        measurement.unit,
        JSON.stringify(measurement.conditions),
        measurement.measuredAt,
      );
    return Number(result.lastInsertRowid);
  }

  measurements(limit: number, network?: NetworkKind): Measurement[] {
    const rows = (
      network
        ? this.db.prepare('SELECT * FROM measurements WHERE network = ? ORDER BY id DESC LIMIT ?').all(network, limit)
        : this.db.prepare('SELECT * FROM measurements ORDER BY id DESC LIMIT ?').all(limit)
    ) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      id: row.id as number,
      network: (row.network as NetworkKind | null) ?? null,
      profileId: (row.profile_id as string | null) ?? null,
      kind: row.kind as Measurement['kind'],
      value: row.value as number,
      unit: row.unit as Measurement['unit'],
      conditions: JSON.parse(row.conditions as string) as Record<string, unknown>,
      measuredAt: row.measured_at as string,
    }));
  }
}
