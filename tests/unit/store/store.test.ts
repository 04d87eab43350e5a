// The store keeps data private and never loses it: files are 0600 in a 0700 directory, a corrupt
// database or secrets file is moved aside (not deleted) and the person is told.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type ParsedProfile } from '../../../app/domain/index.js';
import { resolveDataDir } from '../../../app/store/data-dir.js';
import { LATEST_VERSION } from '../../../app/store/migrations.js';
import { DATABASE_FILE, openStore, SECRETS_FILE } from '../../../app/store/store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string): number => statSync(path).mode & 0o777;
const fixedNow = () => new Date('2026-11-25T10:00:00.000Z');

const parsed: ParsedProfile = {
  network: 'wireguard',
  suggestedName: 'Home',
  details: { endpoint: '10.0.3.2:51820' },
  config: { addresses: ['10.66.0.2/32'] },
  secrets: { privateKey: 'aGVsbG8gdGhpcyBpcyBub3QgYSByZWFsIGtleSEhISE=' },
};

describe('data directory', () => {
  it('prefers --data, then BURROW_DATA, then XDG_DATA_HOME', () => {
    expect(resolveDataDir('/x/flag', { BURROW_DATA: '/x/env' })).toBe('/x/flag');
    expect(resolveDataDir(undefined, { BURROW_DATA: '/x/env', XDG_DATA_HOME: '/x/xdg' })).toBe('/x/env');
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: '/x/xdg' })).toBe('/x/xdg/burrow');
    expect(resolveDataDir(undefined, { XDG_DATA_HOME: 'relative' })).toMatch(/\.local\/share\/burrow$/);
  });
});

describe('store', () => {
  it('creates a private directory and 0600 files, migrated to the latest schema', () => {
    const data = join(dir, 'data');
    const store = openStore(data);
    store.profiles.add(parsed, 'Home', fixedNow());
    store.close();
    expect(mode(data)).toBe(0o700);
    for (const file of readdirSync(data)) expect(mode(join(data, file)), file).toBe(0o600);
    const db = new Database(join(data, DATABASE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['settings', 'profiles', 'connections', 'leak_results', 'measurements']));
    db.close();
  });

  it('keeps secrets out of the database and in the secrets file', () => {
    const store = openStore(dir);
    const summary = store.profiles.add(parsed, 'Home', fixedNow());
    expect(JSON.stringify(summary)).not.toContain(parsed.secrets.privateKey);
    store.close();
    const db = readdirSync(dir)
      .filter((file) => file.startsWith(DATABASE_FILE))
      .map((file) => readFileSync(join(dir, file)).toString('latin1'))
      .join('');
    expect(db).not.toContain(parsed.secrets.privateKey);
    expect(readFileSync(join(dir, SECRETS_FILE), 'utf8')).toContain(parsed.secrets.privateKey);
    const again = openStore(dir);
    expect(again.profiles.find('home')?.secrets).toEqual(parsed.secrets);
    expect(again.profiles.find('HOME')?.id).toBe('home');
    again.close();
  });

  it('refuses a duplicate name and removes secrets with the profile', () => {
    const store = openStore(dir);
    store.profiles.add(parsed, 'Home', fixedNow());
    expect(() => store.profiles.add(parsed, 'home', fixedNow())).toThrow(/exists already/);
    expect(store.profiles.remove('home')).toBe(true);
    expect(readFileSync(join(dir, SECRETS_FILE), 'utf8')).not.toContain(parsed.secrets.privateKey);
    store.close();
  });

  it('moves a corrupt database aside, starts fresh and says so', () => {
    writeFileSync(join(dir, DATABASE_FILE), 'this is not a database, just text the user would want back'.repeat(100));
    const store = openStore(dir, fixedNow);
    const moved = join(dir, `${DATABASE_FILE}.corrupt-2026-11-25T10-00-00-000Z`);
    expect(existsSync(moved)).toBe(true);
    expect(readFileSync(moved, 'utf8')).toContain('just text the user would want back');
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toContain(moved);
    expect(store.settings.get()).toEqual(DEFAULT_SETTINGS);
    store.close();
  });

  it('moves an unreadable secrets file aside and says so', () => {
    writeFileSync(join(dir, SECRETS_FILE), '{ broken');
    const store = openStore(dir, fixedNow);
    expect(readdirSync(dir).some((file) => file.startsWith(`${SECRETS_FILE}.corrupt-`))).toBe(true);
    expect(store.notices.join(' ')).toMatch(/secrets file could not be read/);
    store.close();
  });

  it('refuses a database from a newer Burrow instead of moving it aside', () => {
    openStore(dir).close();
    const db = new Database(join(dir, DATABASE_FILE));
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => openStore(dir)).toThrow(/newer Burrow/);
    expect(readdirSync(dir).some((file) => file.includes('corrupt'))).toBe(false);
  });

  it('persists settings and falls back to defaults for values that no longer validate', () => {
    const store = openStore(dir);
    store.settings.save({ ...DEFAULT_SETTINGS, lockdown: true });
    store.close();
    const again = openStore(dir);
    expect(again.settings.get().lockdown).toBe(true);
    again.close();
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare("UPDATE settings SET value = '\"yes\"' WHERE key = 'lockdown'").run();
    db.close();
    const third = openStore(dir);
    expect(third.settings.get()).toEqual(DEFAULT_SETTINGS);
    third.close();
  });

  it('records connection history and closes rows a dead host left open', () => {
    const store = openStore(dir);
    const id = store.history.start({ network: 'wireguard', profileId: 'home', profileName: 'Home', startedAt: '2026-11-25T10:00:00.000Z' });
    store.history.markConnected(id);
    store.history.closeDangling('2026-11-25T11:00:00.000Z');
    expect(store.history.list(10)[0]).toMatchObject({ outcome: 'cancelled', endedAt: '2026-11-25T11:00:00.000Z' });
    store.close();
  });
});
