// Builds the Linux package the way a person's `npm run dist:linux` does, as far as this machine allows
// (shared/TOOLCHAIN.md): electron-builder `--linux deb` itself, offline, with three stand-ins for what
// cannot be downloaded here and nothing else changed:
//   - Electron's unpacked distribution (stand-in-electron.ts) as electronDist;
//   - better-sqlite3 built for Electron (no Electron headers here): a copy of the Node build, stamped as
//     a stand-in, in BURROW_ELECTRON_NATIVE_DIR for the afterPack hook;
//   - fpm, which electron-builder downloads from GitHub: resources/build/fpm-shim.mjs through
//     CUSTOM_FPM_PATH, only when no fpm is on PATH (with one, USE_SYSTEM_FPM=true uses it).
// So the .desktop file, the icons, the maintainer scripts, the AppArmor profile and the control fields
// are electron-builder's own, not a copy of its logic.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createStandInElectronDist } from './stand-in-electron.js';
import { runOk } from './run.js';

export const root = join(import.meta.dirname, '..', '..', '..');
export const scriptsDir = join(root, 'resources', 'linux', 'scripts');
export const fpmShim = join(root, 'resources', 'build', 'fpm-shim.mjs');
export const sqliteNodeAddon = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

export interface PackageJson {
  name: string;
  version: string;
  main: string;
  desktopName: string;
}

export function packageJson(): PackageJson {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * electron-builder's macro expansion of afterInstall/afterRemove (app-builder-lib FpmTarget writeConfigFile,
 * 26.17.0): `${name}` becomes the option's value, an unknown name is an error, `<%=name%>` is the old form.
 */
export function expandLikeElectronBuilder(text: string, options: Record<string, unknown>): string {
  const replace = (_match: string, name: string): string => {
    if (!(name in options)) throw new Error(`Macro ${name} is not defined`);
    return String(options[name]);
  };
  return text.replace(/\${([a-zA-Z]+)}/g, replace).replace(/<%=([a-zA-Z]+)%>/g, (match, name: string) => replace(match, name.trim()));
}

export function templateOptions(config: { productName?: string | null; linux?: { executableName?: string | null } | null }): Record<string, unknown> {
  return {
    executable: config.linux?.executableName,
    sanitizedProductName: config.productName,
    productFilename: config.productName,
    ...config.linux,
  };
}

/** Marks the stand-in so a test (or a person) can tell it from a real Electron build. */
export const STAND_IN_NOTE = 'stand-in: a copy of the Node build (no Electron headers on the build machine)';

/** better-sqlite3 "for Electron" as the build script would leave it, but copied from the Node build. */
export async function createStandInElectronNative(dir: string): Promise<void> {
  const script = (await import(join(root, 'resources', 'build', 'electron-native.mjs'))) as {
    wantedStamp: () => Record<string, unknown>;
  };
  mkdirSync(dir, { recursive: true });
  copyFileSync(sqliteNodeAddon, join(dir, 'better_sqlite3.node'));
  writeFileSync(join(dir, 'stamp.json'), `${JSON.stringify({ ...script.wantedStamp(), note: STAND_IN_NOTE }, null, 2)}\n`);
}

const onPath = (tool: string): boolean => (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, tool)));

/** Environment for electron-builder: the caller's, minus vitest's markers, and never hard links. */
function builderEnv(nativeDir: string): NodeJS.ProcessEnv {
  // builder-util hard-links files (node_modules included) into the output when VITEST is set: then a later
  // change to the output would be a change to the repo's node_modules.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));
  const fpm = onPath('fpm') ? { USE_SYSTEM_FPM: 'true' } : { CUSTOM_FPM_PATH: fpmShim };
  return { ...env, ...fpm, USE_HARD_LINKS: 'false', ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: 'true', BURROW_ELECTRON_NATIVE_DIR: nativeDir };
}

export interface BuiltPackage {
  /** electron-builder's linux-unpacked folder (what went into the .deb under /opt/Burrow). */
  unpacked: string;
  deb: string;
  log: string;
}

/** `electron-builder --linux deb` into work/out, offline. */
export async function buildLinuxPackage(work: string): Promise<BuiltPackage> {
  const electronDist = join(work, 'electron-dist');
  createStandInElectronDist(electronDist);
  const nativeDir = join(work, 'electron-native');
  await createStandInElectronNative(nativeDir);
  const out = join(work, 'out');
  const log = await runOk(
    process.execPath,
    [
      join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      'deb',
      '--projectDir',
      root,
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${out}`,
      // gzip instead of xz: the test needs a valid package quickly, not a small one.
      '-c.deb.compression=gz',
    ],
    { cwd: root, env: builderEnv(nativeDir), timeoutMs: 400_000 },
  );
  const debs = readdirSync(out).filter((file) => file.endsWith('.deb'));
  if (debs.length !== 1) throw new Error(`electron-builder wrote ${debs.length} .deb files in ${out}:\n${log}`);
  return { unpacked: join(out, 'linux-unpacked'), deb: join(out, debs[0] ?? ''), log };
}

/**
 * The .deb a person installs, built into `work`: the one entry point the packaging test and the VM suite
 * share, so the VM installs exactly what the packaging test checked. Returns the .deb's path.
 */
export async function buildDeb(work: string): Promise<string> {
  return (await buildLinuxPackage(work)).deb;
}
