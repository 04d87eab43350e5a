// Whether this desktop can show Burrow's tray at all. Electron's Tray on Linux is a StatusNotifierItem:
// it appears only when a StatusNotifierWatcher owns its name on the session bus (KDE, Xfce, Cinnamon, most
// panels, GNOME with the AppIndicator extension). Stock GNOME (Fedora's default) has none: closing the
// window would leave Burrow running with no icon and no way back but a relaunch. Without a watcher,
// closing the window quits, an autostart (--hidden) shows the window, and the person is told once.
import { execFile } from 'node:child_process';

export const WATCHER_NAME = 'org.kde.StatusNotifierWatcher';
export type TrayPresence = 'present' | 'absent' | 'unknown';

/** NameHasOwner's answer as gdbus (`(true,)`), busctl (`b true`) or dbus-send (`boolean true`) print it. */
export function parseNameHasOwner(output: string): boolean | undefined {
  const match = /(?:^\(|^b |boolean )(true|false)/m.exec(output.trim());
  return match === null ? undefined : match[1] === 'true';
}

/** What closing the last window does. Unknown (no bus tool answered) keeps the old behaviour. */
export function closeDecision(presence: TrayPresence): 'keep-in-tray' | 'quit' {
  return presence === 'absent' ? 'quit' : 'keep-in-tray';
}

/** Whether to start without a window: only for --hidden, and only where the tray can be seen. */
export function startHidden(hidden: boolean, presence: TrayPresence): boolean {
  return hidden && presence !== 'absent';
}

export const NO_TRAY_NOTICE =
  'This desktop shows no tray icons (no StatusNotifierWatcher on the session bus), so closing the window quits Burrow. ' +
  'On GNOME, the "AppIndicator and KStatusNotifierItem Support" extension keeps Burrow in the tray.';

export type Exec = (file: string, args: readonly string[]) => Promise<string>;

const execText: Exec = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 1500, encoding: 'utf8' }, (error: Error | null, stdout: string) => {
      if (error === null) resolve(stdout);
      else reject(error);
    });
  });

/** Asks the session bus with whichever tool the desktop has (gdbus ships with GLib, busctl with systemd). */
export async function probeTrayPresence(platform: NodeJS.Platform = process.platform, exec: Exec = execText): Promise<TrayPresence> {
  if (platform !== 'linux') return 'present';
  const probes: Array<[string, string[]]> = [
    ['gdbus', ['call', '--session', '--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus', '--method', 'org.freedesktop.DBus.NameHasOwner', WATCHER_NAME]],
    ['busctl', ['--user', 'call', 'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameHasOwner', 's', WATCHER_NAME]],
  ];
  for (const [file, args] of probes) {
    try {
      const answer = parseNameHasOwner(await exec(file, args));
      if (answer !== undefined) return answer ? 'present' : 'absent';
    } catch {
      // Not installed, or no session bus: try the next tool.
    }
  }
  return 'unknown';
}
