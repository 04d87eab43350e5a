#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build/electron-native/ (or $BURROW_ELECTRON_NATIVE_DIR),
// beside the Node build in node_modules, never in its place: vitest, the CLI and `burrow host` keep loading
// node_modules' copy under Node, while Electron (npm start, the packages, /usr/bin/burrow) loads this one
// through BURROW_SQLITE_BINDING (app/store/open-database.ts). Run by `npm start` and `npm run dist:linux`;
// a no-op when the copy there was built for this Electron and this better-sqlite3.
//
// The build is node-gyp against Electron's headers (--target, --dist-url, their own --devdir), as
// https://www.electronjs.org/docs/latest/tutorial/using-native-node-modules describes. The headers come
// from the internet once; without it this fails, says so, and changes nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ADDON = 'better_sqlite3.node';
export const STAMP = 'stamp.json';
export const DEFAULT_HEADERS_URL = 'https://electronjs.org/headers';

/** Where the Electron copy lives: BURROW_ELECTRON_NATIVE_DIR (relative to the repo) or build/electron-native. */
export function electronNativeDir(env = process.env, base = root) {
  const named = env.BURROW_ELECTRON_NATIVE_DIR;
  return named !== undefined && named !== '' ? resolve(base, named) : join(base, 'build', 'electron-native');
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** What the copy must have been built for; compared field by field with the stamp beside it. */
export function wantedStamp(base = root, arch = process.env.npm_config_arch || process.arch) {
  const electron = readJson(join(base, 'node_modules', 'electron', 'package.json')).version;
  const abiFile = join(base, 'node_modules', 'electron', 'abi_version');
  return {
    electron,
    abi: existsSync(abiFile) ? readFileSync(abiFile, 'utf8').trim() : null,
    betterSqlite3: readJson(join(base, 'node_modules', 'better-sqlite3', 'package.json')).version,
    platform: process.platform,
    arch,
  };
}

export function isUpToDate(dir, wanted) {
  if (!existsSync(join(dir, ADDON)) || !existsSync(join(dir, STAMP))) return false;
  const stamp = readJson(join(dir, STAMP));
  return Object.entries(wanted).every(([key, value]) => stamp[key] === value);
}

/**
 * node-gyp takes its options from npm_config_* too, and under `npm run` npm hands it its own (a
 * distribution's npm sets nodedir=/usr, which silently builds against Node's headers whatever --target
 * says). Only the command line decides here.
 */
function gypEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_config_/i.test(key)));
}

/**
 * Node refuses an addon built for Electron with "compiled against a different Node.js version using
 * NODE_MODULE_VERSION <Electron's ABI>": that refusal is the proof. An addon Node loads was built for Node.
 */
export function notBuiltFor(abi, addon) {
  if (abi === null) return null;
  const probe = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', addon], { encoding: 'utf8' });
  if (probe.status === 0) return `Node ${process.version} loads it, so it was built for Node's ABI ${process.versions.modules}`;
  return probe.stderr.includes(`NODE_MODULE_VERSION ${abi}`) ? null : probe.stderr.trim().split('\n').slice(0, 3).join(' ');
}

function fail(message) {
  console.error(`[burrow] ${message}`);
  process.exit(1);
}

export function buildElectronNative({ env = process.env, base = root } = {}) {
  const dir = electronNativeDir(env, base);
  const wanted = wantedStamp(base);
  const target = join(dir, ADDON);
  if (isUpToDate(dir, wanted)) {
    console.error(`[burrow] better-sqlite3 for Electron ${wanted.electron} (ABI ${wanted.abi}) is up to date: ${target}`);
    return target;
  }
  const headersUrl = env.BURROW_ELECTRON_HEADERS_URL || DEFAULT_HEADERS_URL;
  // A copy of the package's sources: node-gyp writes build/ next to binding.gyp, and node_modules' own
  // build/ must stay the Node one.
  const stage = join(dir, 'stage', 'better-sqlite3');
  rmSync(join(dir, 'stage'), { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const source = join(base, 'node_modules', 'better-sqlite3');
  for (const entry of ['package.json', 'binding.gyp', 'src', 'deps']) cpSync(join(source, entry), join(stage, entry), { recursive: true });
  console.error(`[burrow] Building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (ABI ${wanted.abi}) into ${dir} …`);
  const gyp = spawnSync(
    process.execPath,
    [
      join(base, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      'rebuild',
      '--release',
      `--target=${wanted.electron}`,
      `--arch=${wanted.arch}`,
      `--dist-url=${headersUrl}`,
      // Electron's headers apart from Node's (~/.cache/node-gyp): same version numbers, different ABI.
      `--devdir=${env.BURROW_ELECTRON_GYP_DIR || join(homedir(), '.electron-gyp')}`,
    ],
    { cwd: stage, env: gypEnv(env), encoding: 'utf8' },
  );
  const built = join(stage, 'build', 'Release', ADDON);
  if (gyp.status !== 0 || !existsSync(built)) {
    rmSync(join(dir, 'stage'), { recursive: true, force: true });
    const all = `${gyp.stdout ?? ''}${gyp.stderr ?? ''}${gyp.error ? String(gyp.error) : ''}`.trim();
    const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|network settings|fetch failed/i.test(all);
    // node-gyp's first error lines say what went wrong; its stack and version lines follow.
    const output = all.split('\n').filter((line) => /gyp ERR!/.test(line) && !/ERR! (stack (?!\w*Error)|System|command|cwd|node -v|node-gyp -v|\$npm|not ok)/.test(line)).slice(0, 8).join('\n');
    fail(
      [
        `Could not build better-sqlite3 for Electron ${wanted.electron} (ABI ${wanted.abi}).`,
        offline
          ? `node-gyp needs Electron's headers from ${headersUrl}/v${wanted.electron}/ and could not download them (no internet?).`
          : 'node-gyp failed (it needs Python 3, make and a C++ compiler, and Electron’s headers from ' + `${headersUrl}).`,
        'Electron cannot load the Node build in node_modules (a different ABI): npm start and the packages cannot go on without this copy.',
        'Nothing was changed: node_modules keeps the Node build, your data is untouched.',
        'Fix: connect to the internet (or set BURROW_ELECTRON_HEADERS_URL to a mirror) and run `npm run build:electron-native`.',
        '--- node-gyp said ---',
        output,
      ].join('\n'),
    );
  }
  const abiProblem = notBuiltFor(wanted.abi, built);
  if (abiProblem !== null) {
    rmSync(join(dir, 'stage'), { recursive: true, force: true });
    fail(`node-gyp built better-sqlite3, but not for Electron's ABI ${wanted.abi}: ${abiProblem}`);
  }
  mkdirSync(dir, { recursive: true });
  copyFileSync(built, `${target}.tmp`);
  renameSync(`${target}.tmp`, target);
  writeFileSync(join(dir, STAMP), `${JSON.stringify(wanted, null, 2)}\n`);
  rmSync(join(dir, 'stage'), { recursive: true, force: true });
  console.error(`[burrow] Built ${target}`);
  return target;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) buildElectronNative();
