// Start with the session on Linux: a freedesktop autostart entry in ~/.config/autostart (Electron's
// setLoginItemSettings only works on macOS and Windows). It starts Burrow with --hidden, straight into the
// tray. Generation is pure; writing and removing take the path so tests use a temporary directory.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const HIDDEN_FLAG = '--hidden';
/**
 * The icon the packages install: electron-builder names it after linux.executableName
 * (/usr/share/icons/hicolor/<size>/apps/burrow-desktop.png); the packaging test checks both agree.
 */
export const INSTALLED_ICON = 'burrow-desktop';

export function autostartPath(env: Readonly<Record<string, string | undefined>> = process.env, home: string = homedir()): string {
  const configHome = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(configHome, 'autostart', 'burrow.desktop');
}

/**
 * Quote one Exec argument per the Desktop Entry spec: inside double quotes, `"`, `` ` ``, `$` and `\` are
 * backslash-escaped, and since the value is itself a string value, every backslash doubles again. `%`
 * starts a field code and is written `%%`.
 */
export function quoteExecArgument(arg: string): string {
  if (/[\n\r\0]/.test(arg)) throw new Error('An Exec argument cannot contain a newline or NUL.');
  const percent = arg.replace(/%/g, '%%');
  if (/^[A-Za-z0-9_\-./=:,+@%]+$/.test(percent)) return percent;
  const quoted = percent.replace(/(["`$\\])/g, '\\$1');
  return `"${quoted.replace(/\\/g, '\\\\')}"`;
}

export interface AutostartEntryInput {
  /** The program: process.execPath of the packaged app, or $APPIMAGE when run from an AppImage. */
  readonly executable: string;
  /** Extra arguments before --hidden (in development: the app directory). */
  readonly args?: readonly string[];
  readonly icon?: string;
}

export function autostartDesktopEntry(input: AutostartEntryInput): string {
  const exec = [input.executable, ...(input.args ?? []), HIDDEN_FLAG].map(quoteExecArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Burrow',
    'Comment=Start Burrow in the tray when you log in',
    `Exec=${exec}`,
    `Icon=${input.icon ?? INSTALLED_ICON}`,
    'Terminal=false',
    'Categories=Network;Security;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Write atomically (temp file + rename) so a crash never leaves a half entry the session would run. */
export async function writeAutostart(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, content, { mode: 0o644 });
  await rename(temp, path);
}

export async function removeAutostart(path: string): Promise<void> {
  await rm(path, { force: true });
}

export async function isAutostartEnabled(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
