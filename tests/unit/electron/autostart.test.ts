import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  autostartDesktopEntry,
  autostartPath,
  isAutostartEnabled,
  quoteExecArgument,
  removeAutostart,
  writeAutostart,
} from '../../../electron/main/autostart.js';
import { parseLaunchArgs } from '../../../electron/main/launch-args.js';

describe('autostart entry', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe('/cfg/autostart/burrow.desktop');
    expect(autostartPath({}, '/home/u')).toBe('/home/u/.config/autostart/burrow.desktop');
    expect(autostartPath({ XDG_CONFIG_HOME: 'relative' }, '/home/u')).toBe('/home/u/.config/autostart/burrow.desktop');
  });

  it('starts the app hidden in the tray', () => {
    const entry = autostartDesktopEntry({ executable: '/opt/Burrow/burrow-desktop' });
    expect(entry).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=Burrow',
        'Comment=Start Burrow in the tray when you log in',
        'Exec=/opt/Burrow/burrow-desktop --hidden',
        'Icon=burrow-desktop',
        'Terminal=false',
        'Categories=Network;Security;',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(quoteExecArgument('/usr/bin/burrow')).toBe('/usr/bin/burrow');
    expect(quoteExecArgument('/home/me/My Apps/Burrow.AppImage')).toBe('"/home/me/My Apps/Burrow.AppImage"');
    // $ and " are backslash-escaped inside quotes, and that backslash doubles for the string value.
    expect(quoteExecArgument('/tmp/a$b"c')).toBe('"/tmp/a\\\\$b\\\\"c"');
    expect(quoteExecArgument('/tmp/back\\slash')).toBe('"/tmp/back\\\\\\\\slash"');
    expect(quoteExecArgument('50%')).toBe('50%%');
    expect(() => quoteExecArgument('a\nExec=evil')).toThrow();
    const entry = autostartDesktopEntry({ executable: '/usr/lib/electron/electron', args: ['/home/me/dev burrow'] });
    expect(entry).toContain('Exec=/usr/lib/electron/electron "/home/me/dev burrow" --hidden\n');
  });

  it('is written atomically, readable by the session, and removed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'burrow-autostart-')), 'config', 'autostart', 'burrow.desktop');
    expect(await isAutostartEnabled(path)).toBe(false);
    await writeAutostart(path, autostartDesktopEntry({ executable: '/opt/Burrow/burrow-desktop' }));
    expect(await isAutostartEnabled(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('--hidden');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    await removeAutostart(path);
    await removeAutostart(path);
    expect(await isAutostartEnabled(path)).toBe(false);
  });
});

describe('launch arguments', () => {
  it('reads --hidden and --data, ignoring Chromium switches', () => {
    expect(parseLaunchArgs(['/opt/Burrow/burrow-desktop', '--hidden'])).toEqual({ hidden: true });
    expect(parseLaunchArgs(['electron', '.', '--data', '/tmp/d', '--enable-logging'])).toEqual({ hidden: false, dataDir: '/tmp/d' });
    expect(parseLaunchArgs(['x', '--data=/srv/burrow'])).toEqual({ hidden: false, dataDir: '/srv/burrow' });
    expect(parseLaunchArgs(['x', '--data', '--hidden'])).toEqual({ hidden: true });
  });

  it('takes netd\'s socket from --netd, else BURROW_NETD', () => {
    expect(parseLaunchArgs(['x', '--netd', '/run/burrow/netd.sock'])).toEqual({ hidden: false, netdSocket: '/run/burrow/netd.sock' });
    expect(parseLaunchArgs(['x'], { BURROW_NETD: '/tmp/netd.sock' })).toEqual({ hidden: false, netdSocket: '/tmp/netd.sock' });
    expect(parseLaunchArgs(['x', '--netd=/a.sock'], { BURROW_NETD: '/b.sock' })).toEqual({ hidden: false, netdSocket: '/a.sock' });
    expect(parseLaunchArgs(['x'], { BURROW_NETD: '' })).toEqual({ hidden: false });
  });

  it('uses an installed netd\'s socket when none is named, and only when it exists', () => {
    const installed = (path: string): boolean => path === '/run/burrow/netd.sock';
    expect(parseLaunchArgs(['x'], {}, installed)).toEqual({ hidden: false, netdSocket: '/run/burrow/netd.sock' });
    expect(parseLaunchArgs(['x'], {}, () => false)).toEqual({ hidden: false });
    expect(parseLaunchArgs(['x', '--netd', '/tmp/mine.sock'], {}, installed)).toEqual({ hidden: false, netdSocket: '/tmp/mine.sock' });
  });
});
