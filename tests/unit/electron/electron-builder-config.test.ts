// electron-builder.yml loads and passes electron-builder's own schema check (offline, no build), and
// holds the fuses and packaging choices the security checklist (item 19) and issue 9 ask for.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(root, join(root, 'electron-builder.yml'), null);
});

function targetsOf(platform: 'linux' | 'win' | 'mac'): string[] {
  const target = config[platform]?.target;
  const list = Array.isArray(target) ? target : target === undefined || target === null ? [] : [target];
  return list.map((t) => (typeof t === 'string' ? t : t.target));
}

describe('electron-builder.yml', () => {
  it('passes electron-builder 26 schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the validator really rejects what the schema does not know (so the check above means something)', async () => {
    await expect(validateConfiguration({ ...config, electronFusez: {} } as Configuration, new DebugLogger(false))).rejects.toThrow(/configuration/i);
  });

  it('flips the fuses the checklist asks for', () => {
    expect(config.electronFuses).toEqual({
      // On for /usr/bin/burrow (the CLI run by the app's Electron as node); see electron-builder.yml.
      runAsNode: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('names the app and its folders', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('Burrow');
    expect(config.directories).toEqual({ buildResources: 'resources', output: 'out' });
  });

  it('packs the built app (main, preload, renderer, tray icons) into the asar and unpacks native addons', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main.cjs');
    // getConfig normalises `files` into [{ filter: [...] }].
    const files = [config.files ?? []].flat().flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.filter ?? []].flat()));
    expect(files).toEqual(expect.arrayContaining(['dist/**', 'package.json', 'resources/icons/tray/**', '!dist/**/*.map', '!dist/node/{lab-cli,demo}.mjs']));
    // Sources never ship: only the bundles.
    expect(files.filter((f) => /^(app|electron|renderer|native|tests)\//.test(f))).toEqual([]);
    expect(config.asarUnpack).toEqual(['**/*.node', 'dist/node/burrow.mjs', '**/node_modules/{better-sqlite3,bindings,file-uri-to-path}/**']);
    // better-sqlite3's Node build does not ship: Electron loads its own copy from resources/native.
    expect(files).toContain('!**/node_modules/better-sqlite3/{deps,src,build}/**');
    expect(config.asar).not.toBe(false);
  });

  it('builds deb, rpm and AppImage for Linux, and declares Windows and macOS for later', () => {
    expect(targetsOf('linux')).toEqual(['deb', 'rpm', 'AppImage']);
    expect(targetsOf('win')).toEqual(['nsis']);
    expect(targetsOf('mac')).toEqual(['dmg']);
  });

  it('points the Linux icon at a set of NxN PNGs that exist', () => {
    expect(config.linux?.icon).toBe('icons/app');
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(existsSync(join(root, 'resources', 'icons', 'app', `${size}x${size}.png`))).toBe(true);
    }
  });

  it('installs the desktop app under its own name, apart from the `burrow` CLI', () => {
    expect(config.linux?.executableName).toBe('burrow-desktop');
  });

  it('never rebuilds node_modules in place, and adds the Electron build of better-sqlite3 after packing (issue 18)', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.afterPack).toBe('./resources/build/after-pack.mjs');
    expect(existsSync(join(root, 'resources', 'build', 'after-pack.mjs'))).toBe(true);
  });

  it('Wayland: the desktop file is named after desktopName, with no StartupWMClass of our own (issue 18)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { desktopName: string; homepage?: string; author?: { email?: string } };
    expect(pkg.desktopName).toBe('burrow.desktop');
    expect(config.linux?.syncDesktopName).toBe(true);
    const entry = (config.linux?.desktop as { entry?: Record<string, string> } | undefined)?.entry ?? {};
    expect(entry.StartupWMClass).toBeUndefined();
    // electron-builder's deb and rpm targets refuse to start without these.
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.email).toBeTruthy();
  });
});
