// electron-builder's afterPack hook: puts better-sqlite3 built for Electron (resources/build/electron-native.mjs)
// under <app>/resources/native/, where the desktop shell and /usr/bin/burrow point BURROW_SQLITE_BINDING.
// electron-builder's own npmRebuild is off (electron-builder.yml): it rebuilds node_modules in place, and
// afterwards vitest, the CLI and `burrow host` under Node could no longer load the Node build.
// A copy built for another Electron, better-sqlite3 or architecture is refused: the package would not start.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ADDON, electronNativeDir, isUpToDate, root, STAMP, wantedStamp } from './electron-native.mjs';

/** electron-builder's Arch enum (builder-util) by number, as Node names architectures. */
const BUILDER_ARCH = { 0: 'ia32', 1: 'x64', 2: 'arm', 3: 'arm64' };

export default async function afterPack(context) {
  const dir = electronNativeDir();
  const wanted = {
    ...wantedStamp(root, BUILDER_ARCH[context.arch] ?? String(context.arch)),
    platform: context.electronPlatformName,
    ...(context.packager?.config?.electronVersion ? { electron: context.packager.config.electronVersion } : {}),
  };
  if (!isUpToDate(dir, wanted)) {
    throw new Error(
      `No better-sqlite3 built for Electron ${wanted.electron} (${wanted.platform} ${wanted.arch}, better-sqlite3 ${wanted.betterSqlite3}) in ${dir}. ` +
        'Run `npm run build:electron-native` first (npm run dist:linux does).',
    );
  }
  const target = join(context.appOutDir, 'resources', 'native');
  mkdirSync(target, { recursive: true });
  for (const file of [ADDON, STAMP]) copyFileSync(join(dir, file), join(target, file));
}
