// GNOME without a StatusNotifierWatcher (issue 18, item 6): no tray, so closing the window must quit,
// --hidden must not hide, and the person is told.
import { describe, expect, it } from 'vitest';
import { closeDecision, NO_TRAY_NOTICE, parseNameHasOwner, probeTrayPresence, startHidden, WATCHER_NAME, type Exec } from '../../../electron/main/tray-presence.js';

describe('tray presence', () => {
  it('reads NameHasOwner as gdbus, busctl and dbus-send print it', () => {
    expect(parseNameHasOwner('(true,)\n')).toBe(true);
    expect(parseNameHasOwner('(false,)\n')).toBe(false);
    expect(parseNameHasOwner('b true\n')).toBe(true);
    expect(parseNameHasOwner('b false\n')).toBe(false);
    expect(parseNameHasOwner('method return time=1 sender=org.freedesktop.DBus\n   boolean false\n')).toBe(false);
    expect(parseNameHasOwner('Error: something')).toBeUndefined();
  });

  it('without a watcher: closing the window quits, --hidden shows the window; with one (or unknown): stays in the tray', () => {
    expect(closeDecision('absent')).toBe('quit');
    expect(closeDecision('present')).toBe('keep-in-tray');
    expect(closeDecision('unknown')).toBe('keep-in-tray');
    expect(startHidden(true, 'absent')).toBe(false);
    expect(startHidden(true, 'present')).toBe(true);
    expect(startHidden(false, 'present')).toBe(false);
    expect(NO_TRAY_NOTICE).toMatch(/closing the window quits Burrow/);
  });

  it('asks the session bus for the watcher, falling back from gdbus to busctl', async () => {
    const asked: string[] = [];
    const noGdbus: Exec = (file, args) => {
      asked.push(`${file} ${args.join(' ')}`);
      return file === 'gdbus' ? Promise.reject(new Error('ENOENT')) : Promise.resolve('b false\n');
    };
    expect(await probeTrayPresence('linux', noGdbus)).toBe('absent');
    expect(asked).toHaveLength(2);
    expect(asked[1]).toContain(`NameHasOwner s ${WATCHER_NAME}`);
    expect(await probeTrayPresence('linux', () => Promise.resolve('(true,)'))).toBe('present');
    expect(await probeTrayPresence('linux', () => Promise.reject(new Error('no bus')))).toBe('unknown');
    expect(await probeTrayPresence('darwin', () => Promise.reject(new Error('never asked')))).toBe('present');
  });
});
