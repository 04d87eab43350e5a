// Which better-sqlite3 addon the desktop app loads: never node_modules' own (built for Node's ABI, which
// Electron refuses), but the copy built for Electron beside it. In a checkout that is what
// resources/build/electron-native.mjs writes (npm start runs it); in a package, electron-builder's
// afterPack hook puts it under resources/native/. The path reaches app/store/open-database.ts through
// BURROW_SQLITE_BINDING, the same variable /usr/bin/burrow sets for the CLI.
import { isAbsolute, join, resolve } from 'node:path';

export const SQLITE_ADDON = 'better_sqlite3.node';
/** Under process.resourcesPath in a package; kept in step with electron-builder.yml and after-pack.mjs. */
export const PACKAGED_NATIVE_DIR = 'native';
/** Under the checkout, unless BURROW_ELECTRON_NATIVE_DIR names another (as the build script reads it). */
export const CHECKOUT_NATIVE_DIR = join('build', 'electron-native');

export interface NativeBindingInput {
  readonly packaged: boolean;
  /** app.getAppPath(): the checkout in development, app.asar in a package. */
  readonly appPath: string;
  readonly resourcesPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function electronSqliteBinding(input: NativeBindingInput): string {
  const named = input.env.BURROW_SQLITE_BINDING;
  if (named !== undefined && named !== '' && isAbsolute(named)) return named;
  if (input.packaged) return join(input.resourcesPath, PACKAGED_NATIVE_DIR, SQLITE_ADDON);
  const dir = input.env.BURROW_ELECTRON_NATIVE_DIR;
  return join(dir !== undefined && dir !== '' ? resolve(input.appPath, dir) : join(input.appPath, CHECKOUT_NATIVE_DIR), SQLITE_ADDON);
}

/** What to say when the copy is not there: in a checkout the command that builds it. */
export function missingBindingMessage(path: string, packaged: boolean): string {
  return packaged
    ? `Burrow's database module for Electron is missing (${path}): the package is incomplete; reinstall it.`
    : `better-sqlite3 built for Electron is missing (${path}): run \`npm run build:electron-native\` (npm start does it).`;
}
