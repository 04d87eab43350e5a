// Only real corruption moves the person's database aside (issue 18, item 1). Before this, any error from
// opening (an addon built for another ABI, a directory that cannot be opened) renamed the file and started
// an empty one, or failed on renaming a file that was never there.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCorruption, openDatabase, sqliteNativeBinding } from '../../../app/store/open-database.js';

const nodeAddon = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
const fixedNow = () => new Date('2026-12-02T03:00:00.000Z');

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-open-db-'));
  dbPath = join(dir, 'burrow.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database with one row the person would not want to lose. */
function existingDatabase(): Buffer {
  const opened = openDatabase(dbPath, fixedNow, { nativeBinding: nodeAddon });
  opened.db.prepare("INSERT INTO settings (key, value) VALUES ('lockdown', 'true')").run();
  opened.db.pragma('wal_checkpoint(TRUNCATE)');
  opened.db.close();
  return readFileSync(dbPath);
}

const movedAside = (): string[] => readdirSync(dir).filter((file) => file.includes('.corrupt-'));

describe('openDatabase: what moves a file aside', () => {
  it('never moves the database when the native addon does not load (wrong ABI, not an addon)', () => {
    const before = existingDatabase();
    const wrongAbi = join(dir, 'built-for-another-abi.node');
    writeFileSync(wrongAbi, 'not an ELF shared object: what a load error looks like to dlopen');
    expect(() => openDatabase(dbPath, fixedNow, { nativeBinding: wrongAbi })).toThrow(/invalid ELF header|not an ELF|cannot open shared object/i);
    expect(movedAside()).toEqual([]);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
  });

  it('never moves the database when the addon is missing', () => {
    existingDatabase();
    expect(() => openDatabase(dbPath, fixedNow, { nativeBinding: join(dir, 'absent.node') })).toThrow(/Cannot find module/);
    expect(movedAside()).toEqual([]);
  });

  it('reports a first run that cannot create its file as that, not as a failed rename (ENOENT)', () => {
    const missing = join(dir, 'no-such-dir', 'burrow.db');
    expect(() => openDatabase(missing, fixedNow, { nativeBinding: nodeAddon })).toThrow(/directory does not exist/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never moves a database that another process holds locked', () => {
    existingDatabase();
    const holder = new Database(dbPath);
    holder.pragma('journal_mode = DELETE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => openDatabase(dbPath, fixedNow, { nativeBinding: nodeAddon })).toThrow(/locked/);
      expect(movedAside()).toEqual([]);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const again = new Database(dbPath, { readonly: true });
    expect(again.prepare("SELECT value FROM settings WHERE key = 'lockdown'").get()).toEqual({ value: 'true' });
    again.close();
  });

  it('moves a file that is not a database aside (SQLITE_NOTADB), keeping it byte for byte', () => {
    writeFileSync(dbPath, 'text the person wants back '.repeat(200));
    const opened = openDatabase(dbPath, fixedNow, { nativeBinding: nodeAddon });
    opened.db.close();
    expect(movedAside()).toEqual(['burrow.db.corrupt-2026-12-02T03-00-00-000Z']);
    expect(readFileSync(join(dir, movedAside()[0] ?? ''), 'utf8')).toContain('text the person wants back');
    expect(opened.recovered?.reason).toMatch(/not a database/);
  });

  it('moves a database with damaged pages aside (SQLITE_CORRUPT or a failed quick_check)', () => {
    const good = existingDatabase();
    const damaged = Buffer.from(good);
    // Page 2 onwards: the tables' b-tree pages. The header (page 1's first 100 bytes) stays valid.
    damaged.fill(0xa5, 4096, Math.min(damaged.length, 4096 * 3));
    writeFileSync(dbPath, damaged);
    const opened = openDatabase(dbPath, fixedNow, { nativeBinding: nodeAddon });
    opened.db.close();
    expect(movedAside()).toHaveLength(1);
    expect(opened.recovered?.reason).toMatch(/malformed|integrity check failed|corrupt/i);
  });

  it('classifies by SQLite code, extended codes included', () => {
    expect(isCorruption(Object.assign(new Error('x'), { code: 'SQLITE_CORRUPT' }))).toBe(true);
    expect(isCorruption(Object.assign(new Error('x'), { code: 'SQLITE_CORRUPT_INDEX' }))).toBe(true);
    expect(isCorruption(Object.assign(new Error('x'), { code: 'SQLITE_NOTADB' }))).toBe(true);
    for (const code of ['SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_IOERR_READ', 'ERR_DLOPEN_FAILED', 'EACCES', 'ENOENT']) {
      expect(isCorruption(Object.assign(new Error('x'), { code })), code).toBe(false);
    }
    expect(isCorruption(new Error('The module was compiled against a different Node.js version'))).toBe(false);
  });
});

describe('sqliteNativeBinding: which addon a process loads', () => {
  it('under Node: the one in node_modules; inside Electron: the Electron build named by BURROW_SQLITE_BINDING', () => {
    expect(sqliteNativeBinding({}, { node: '20.20.2' })).toBeUndefined();
    expect(sqliteNativeBinding({ BURROW_SQLITE_BINDING: '/opt/Burrow/resources/native/better_sqlite3.node' }, { node: '22.0.0', electron: '40.10.2' })).toBe(
      '/opt/Burrow/resources/native/better_sqlite3.node',
    );
  });

  it('inside Electron without one: a clear error instead of loading the Node build', () => {
    expect(() => sqliteNativeBinding({}, { electron: '40.10.2' })).toThrow(/npm run build:electron-native/);
  });

  it('loads the named addon (a copy of the Node build stands in for the Electron one here)', () => {
    const copy = join(dir, 'electron', 'better_sqlite3.node');
    expect(existsSync(nodeAddon)).toBe(true);
    mkdirSync(join(dir, 'electron'));
    copyFileSync(nodeAddon, copy);
    const opened = openDatabase(dbPath, fixedNow, { nativeBinding: copy });
    expect(opened.db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
    opened.db.close();
  });
});
