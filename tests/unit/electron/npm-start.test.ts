// `npm start` as a person runs it, up to the launch (issue 18, item 1): the real npm script chain
// (`npm run start:electron`: the Electron build of better-sqlite3, then `electron .` through the electron
// package's own launcher) with a stand-in Electron binary (ELECTRON_OVERRIDE_DIST_PATH) that records how
// it was started. Offline the Electron headers cannot be downloaded: the chain must then stop before the
// launch with a message that says so, and touch nothing. With a build from an earlier run in place it
// launches, and the module Electron would load is that build, never node_modules' Node one.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../app/store/open-database.js';
import { electronSqliteBinding } from '../../../electron/main/native-binding.js';
import { createStandInElectronNative, root, sqliteNodeAddon, STAND_IN_NOTE } from '../packaging/build-package.js';
import { run } from '../packaging/run.js';

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

let work: string;
let record: string;
let native: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'burrow-npm-start-'));
  record = join(work, 'launched.txt');
  native = join(work, 'electron-native');
  // Records its working directory, its arguments and the variable the shell resolves the binding from.
  writeFileSync(
    join(work, 'electron'),
    `#!/bin/sh\n{ echo "$PWD"; echo "$BURROW_ELECTRON_NATIVE_DIR"; echo "$BURROW_SQLITE_BINDING"; printf '%s\\n' "$@"; } > "${record}"\n`,
    { mode: 0o755 },
  );
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function npmStart() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));
  return run('npm', ['run', '--silent', 'start:electron'], {
    cwd: root,
    env: { ...env, ELECTRON_OVERRIDE_DIST_PATH: work, BURROW_ELECTRON_NATIVE_DIR: native, BURROW_ELECTRON_GYP_DIR: join(work, 'gyp') },
    timeoutMs: 120_000,
  });
}

describe('npm start, up to the launch (stand-in Electron)', () => {
  it('offline with no Electron build: stops before the launch, says why, changes nothing', async () => {
    const before = sha256(sqliteNodeAddon);
    const result = await npmStart();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`Could not build better-sqlite3 for Electron ${electronVersion}`);
    expect(result.stderr).toMatch(/could not download them \(no internet\?\)/);
    expect(result.stderr).toContain('npm run build:electron-native');
    expect(existsSync(record)).toBe(false);
    expect(existsSync(join(native, 'better_sqlite3.node'))).toBe(false);
    expect(sha256(sqliteNodeAddon)).toBe(before);
  }, 120_000);

  it('refuses a build for another Electron instead of launching with it', async () => {
    await createStandInElectronNative(native);
    const stamp = join(native, 'stamp.json');
    writeFileSync(stamp, readFileSync(stamp, 'utf8').replace(`"electron": "${electronVersion}"`, '"electron": "39.0.0"'));
    const result = await npmStart();
    expect(result.code).not.toBe(0);
    expect(existsSync(record)).toBe(false);
  }, 120_000);

  it('with the Electron build in place: launches `electron .` from the checkout, and Electron would load that build', async () => {
    await createStandInElectronNative(native);
    const result = await npmStart();
    expect(result.code, result.stderr).toBe(0);
    const [cwd = '', nativeDir = '', bindingFromEnv = '', ...args] = readFileSync(record, 'utf8').trimEnd().split('\n');
    expect(cwd).toBe(root);
    expect(args).toEqual(['.']);
    expect(bindingFromEnv).toBe(''); // the shell decides, not the caller
    // The desktop shell's own choice, from what it is started with (electron/main/desktop.ts).
    const binding = electronSqliteBinding({ packaged: false, appPath: cwd, resourcesPath: '/nonexistent', env: { BURROW_ELECTRON_NATIVE_DIR: nativeDir } });
    expect(binding).toBe(join(native, 'better_sqlite3.node'));
    expect(binding).not.toBe(sqliteNodeAddon);
    expect(result.stderr).toContain(`better-sqlite3 for Electron ${electronVersion} (ABI 143) is up to date: ${binding}`);
    expect(JSON.parse(readFileSync(join(native, 'stamp.json'), 'utf8'))).toMatchObject({ electron: electronVersion, abi: '143', note: STAND_IN_NOTE });
    // And the store opens with it (here the "Electron build" is a copy of the Node one, so Node can load it).
    const opened = openDatabase(join(work, 'burrow.db'), () => new Date(), { nativeBinding: binding });
    opened.db.close();
  }, 120_000);

  it('without BURROW_ELECTRON_NATIVE_DIR the build lives in build/electron-native of the checkout', () => {
    expect(electronSqliteBinding({ packaged: false, appPath: root, resourcesPath: '/x', env: {} })).toBe(join(root, 'build', 'electron-native', 'better_sqlite3.node'));
    expect(electronSqliteBinding({ packaged: true, appPath: '/opt/Burrow/resources/app.asar', resourcesPath: '/opt/Burrow/resources', env: {} })).toBe(
      '/opt/Burrow/resources/native/better_sqlite3.node',
    );
  });
});
