// Who runs nym-socks5-client and myst: the host's own user, or (for a root host) Burrow's own user for
// that helper (burrow-nym, burrow-dvpn) with a private home in a root-only directory; never root, never a
// uid other programs share, never a predictable /tmp path.
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HELPER_HOMES_DIR, pruneHelperHomes, resolveHelperUser } from '../../../../app/networks/helper/user.js';

const dataDir = mkdtempSync(join(tmpdir(), 'burrow-helper-data-'));
const isRoot = process.getuid?.() === 0;
/** A machine knowing `users` (what getent would say). */
const machine = (users: Record<string, number>) => (name: string) => (users[name] === undefined ? undefined : { uid: users[name], gid: users[name] });
const DEBIAN = { nobody: 65534, proxy: 13, 'debian-tor': 102 };

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('resolveHelperUser', () => {
  it('a host running as a person\'s user runs the helper as that user, home under the data directory', () => {
    const user = resolveHelperUser('nym', { dataDir, uid: 1000, gid: 1000 });
    expect(user).toEqual({ name: '1000', uid: 1000, gid: 1000, home: join(dataDir, 'nym', 'home'), dedicated: false });
  });

  it.skipIf(!isRoot)('a root host runs nym as burrow-nym and myst as burrow-dvpn, each with a private home it owns, in a root-only directory', () => {
    const homesDir = join(dataDir, 'homes');
    // As a host with umask 077 leaves it: the helpers could not enter it (the lab's first run failed so).
    mkdirSync(homesDir, { mode: 0o700 });
    const lookup = machine({ ...DEBIAN, 'burrow-nym': 996, 'burrow-dvpn': 995 });
    const nym = resolveHelperUser('nym', { dataDir, uid: 0, gid: 0, lookup, homesDir });
    const myst = resolveHelperUser('myst', { dataDir, uid: 0, gid: 0, lookup, homesDir });
    expect(nym).toMatchObject({ name: 'burrow-nym', uid: 996, dedicated: true });
    expect(myst).toMatchObject({ name: 'burrow-dvpn', uid: 995, dedicated: true });
    for (const [user, uid] of [[nym, 996], [myst, 995]] as const) {
      const stat = lstatSync(user.home);
      expect(stat.isDirectory()).toBe(true);
      expect(stat.uid).toBe(uid);
      expect(stat.mode & 0o777).toBe(0o700);
      expect(user.home.startsWith(`${homesDir}/`)).toBe(true);
    }
    expect(statSync(homesDir)).toMatchObject({ uid: 0 });
    expect(statSync(homesDir).mode & 0o777).toBe(0o755);
  });

  it('the default homes are under /run (only root writes there), not the temp directory', () => {
    expect(HELPER_HOMES_DIR).toBe('/run/burrow-helpers');
    expect(HELPER_HOMES_DIR.startsWith(tmpdir())).toBe(false);
  });

  it.skipIf(!isRoot)('refuses a homes directory someone else could change, and never follows a link there', () => {
    const lookup = machine({ 'burrow-nym': 996 });
    const open = join(dataDir, 'world-writable');
    mkdirSync(open);
    chmodSync(open, 0o1777);
    expect(() => resolveHelperUser('nym', { dataDir, uid: 0, gid: 0, lookup, homesDir: open })).toThrow(/not a directory only root can change/);
    const target = join(dataDir, 'elsewhere');
    mkdirSync(target);
    const link = join(dataDir, 'link');
    symlinkSync(target, link);
    expect(() => resolveHelperUser('nym', { dataDir, uid: 0, gid: 0, lookup, homesDir: link })).toThrow(/not a directory only root can change/);
    expect(statSync(target).uid).toBe(0);
  });

  it('without Burrow’s user: refuses with the useradd command, never nobody or proxy instead', () => {
    // Before: BURROW_HELPER_USER (default nobody) ran it, a uid half the system shares.
    expect(() => resolveHelperUser('nym', { dataDir, uid: 0, gid: 0, lookup: machine(DEBIAN) })).toThrow(
      /The Nym client runs as burrow-nym, Burrow's own user, and this machine has no such user\. .*useradd --system --user-group --home-dir \/var\/lib\/burrow\/nym --no-create-home --shell \/usr\/sbin\/nologin --comment "Burrow system-wide Nym" burrow-nym/,
    );
    expect(() => resolveHelperUser('myst', { dataDir, uid: 0, gid: 0, lookup: machine(DEBIAN) })).toThrow(/burrow-dvpn/);
  });

  it('never root', () => {
    expect(() => resolveHelperUser('nym', { dataDir, uid: 0, gid: 0, lookup: machine({ 'burrow-nym': 0 }) })).toThrow(/never runs nym as root/);
  });

  it.skipIf(!isRoot)('a home whose data directory is gone is removed (the next resolve, or a prune); the others stay, and only in a root-only directory', () => {
    const homesDir = join(dataDir, 'pruned-homes');
    const lookup = machine({ 'burrow-nym': 996 });
    const gone = mkdtempSync(join(dataDir, 'gone-'));
    const kept = mkdtempSync(join(dataDir, 'kept-'));
    const old = resolveHelperUser('nym', { dataDir: gone, uid: 0, gid: 0, lookup, homesDir });
    writeFileSync(join(old.home, 'config.toml'), 'the client\'s files\n');
    rmSync(gone, { recursive: true });
    // Resolving for another data directory clears the home the removed one left behind.
    const current = resolveHelperUser('nym', { dataDir: kept, uid: 0, gid: 0, lookup, homesDir });
    expect(existsSync(old.home)).toBe(false);
    expect(existsSync(`${old.home}.data-dir`)).toBe(false);
    expect(existsSync(current.home)).toBe(true);
    rmSync(kept, { recursive: true });
    expect(pruneHelperHomes(homesDir)).toEqual([current.home]);
    // Records in a directory anyone may write are not trusted: nothing is removed there.
    const open = join(dataDir, 'open-homes');
    mkdirSync(join(open, 'victim'), { recursive: true });
    chmodSync(open, 0o1777);
    writeFileSync(join(open, 'victim.data-dir'), join(dataDir, 'no-such-dir'));
    expect(pruneHelperHomes(open)).toEqual([]);
    expect(existsSync(join(open, 'victim'))).toBe(true);
  });
});
