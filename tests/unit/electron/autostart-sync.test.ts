// The autostart file follows the setting, and at start-up the setting follows the file (issue 18, item 7).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../app/domain/index.js';
import { autostartDesktopEntry, INSTALLED_ICON, writeAutostart } from '../../../electron/main/autostart.js';
import { AutostartSync, autostartEntryFor } from '../../../electron/main/autostart-sync.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-autostart-sync-'));
  path = join(dir, 'autostart', 'burrow.desktop');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = { executable: '/opt/Burrow/burrow-desktop' };
const on = { ...DEFAULT_SETTINGS, autostart: true };
const off = { ...DEFAULT_SETTINGS, autostart: false };

describe('AutostartSync', () => {
  it('writes the entry when the setting turns on and removes it when it turns off', async () => {
    const sync = new AutostartSync({ path, entry }, () => undefined);
    const update = vi.fn(() => Promise.resolve());
    await sync.reconcile(off, update);
    expect(update).not.toHaveBeenCalled();
    await sync.apply(on);
    expect(readFileSync(path, 'utf8')).toBe(autostartDesktopEntry(entry));
    await sync.apply(off);
    expect(existsSync(path)).toBe(false);
  });

  it('at start-up adopts a file the person removed or added elsewhere, and refreshes an existing one', async () => {
    await writeAutostart(path, 'stale entry from an old location\n');
    const update = vi.fn(() => Promise.resolve());
    await new AutostartSync({ path, entry }, () => undefined).reconcile(off, update);
    expect(update).toHaveBeenCalledWith({ autostart: true });
    expect(readFileSync(path, 'utf8')).toBe(autostartDesktopEntry(entry));
    rmSync(path);
    const again = vi.fn(() => Promise.resolve());
    await new AutostartSync({ path, entry }, () => undefined).reconcile(on, again);
    expect(again).toHaveBeenCalledWith({ autostart: false });
  });

  it('says when the entry cannot be written', async () => {
    const errors: string[] = [];
    const blocked = join(dir, 'file-not-dir');
    await writeAutostart(blocked, 'x');
    const sync = new AutostartSync({ path: join(blocked, 'burrow.desktop'), entry }, (message) => errors.push(message));
    await sync.apply(on);
    expect(errors[0]).toMatch(/Could not write/);
  });

  it('starts what a session should: the AppImage, the packaged binary, or Electron with the checkout', () => {
    expect(autostartEntryFor({ packaged: true, execPath: '/tmp/.mount_x/burrow-desktop', appPath: '/x', appImage: '/home/me/Burrow.AppImage' })).toEqual({ executable: '/home/me/Burrow.AppImage' });
    expect(autostartEntryFor({ packaged: true, execPath: '/opt/Burrow/burrow-desktop', appPath: '/opt/Burrow/resources/app.asar' })).toEqual({ executable: '/opt/Burrow/burrow-desktop' });
    expect(autostartEntryFor({ packaged: false, execPath: '/repo/node_modules/electron/dist/electron', appPath: '/repo' })).toEqual({
      executable: '/repo/node_modules/electron/dist/electron',
      args: ['/repo'],
    });
  });

  it('names the icon the packages install (electron-builder: linux.executableName)', async () => {
    const config = await getConfig(join(import.meta.dirname, '..', '..', '..'), join(import.meta.dirname, '..', '..', '..', 'electron-builder.yml'), null);
    expect(INSTALLED_ICON).toBe(config.linux?.executableName);
    expect(autostartDesktopEntry(entry)).toContain(`Icon=${INSTALLED_ICON}\n`);
  });
});
