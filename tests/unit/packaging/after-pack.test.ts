// electron-builder's afterPack hook (resources/build/after-pack.mjs): a package gets the Electron build of
// better-sqlite3 that matches it, or no package is made (issue 18, item 1).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStandInElectronNative, root } from './build-package.js';

type AfterPack = (context: { appOutDir: string; arch: number; electronPlatformName: string; packager?: unknown }) => Promise<void>;
const afterPack = async (): Promise<AfterPack> => ((await import(join(root, 'resources', 'build', 'after-pack.mjs'))) as { default: AfterPack }).default;

let work: string;
const before = process.env.BURROW_ELECTRON_NATIVE_DIR;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'burrow-after-pack-'));
  process.env.BURROW_ELECTRON_NATIVE_DIR = join(work, 'native');
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
  if (before === undefined) delete process.env.BURROW_ELECTRON_NATIVE_DIR;
  else process.env.BURROW_ELECTRON_NATIVE_DIR = before;
});

const context = () => ({ appOutDir: join(work, 'linux-unpacked'), arch: 1, electronPlatformName: 'linux' });

describe('afterPack', () => {
  it('refuses to package without the Electron build, naming the command that makes it', async () => {
    await expect((await afterPack())(context())).rejects.toThrow(/npm run build:electron-native/);
  });

  it('refuses a build for another architecture or Electron', async () => {
    await createStandInElectronNative(join(work, 'native'));
    await expect((await afterPack())({ ...context(), arch: 3 })).rejects.toThrow(/linux arm64/);
    const stamp = join(work, 'native', 'stamp.json');
    writeFileSync(stamp, readFileSync(stamp, 'utf8').replace(/"electron": "[^"]+"/, '"electron": "39.0.0"'));
    await expect((await afterPack())(context())).rejects.toThrow(/No better-sqlite3 built for Electron/);
  });

  it('copies the matching build under resources/native', async () => {
    await createStandInElectronNative(join(work, 'native'));
    await (await afterPack())(context());
    for (const file of ['better_sqlite3.node', 'stamp.json']) expect(existsSync(join(work, 'linux-unpacked', 'resources', 'native', file))).toBe(true);
  });
});
