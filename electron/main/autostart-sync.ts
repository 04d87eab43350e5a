// Keeps ~/.config/autostart/burrow.desktop in step with the `autostart` setting (issue 18, item 7). The
// setting is the host's, changed from the Settings page, the tray or the CLI; this writes or removes the
// file when it changes. At start-up the file wins once: a person who removed it with their desktop's
// "Startup Applications" sees the switch off, not a file that comes back behind their back.
import type { Settings, SettingsPatch } from '../../app/domain/index.js';
import { autostartDesktopEntry, isAutostartEnabled, removeAutostart, writeAutostart, type AutostartEntryInput } from './autostart.js';

export interface AutostartTarget {
  readonly path: string;
  readonly entry: AutostartEntryInput;
}

/** What a session would start: the AppImage itself, the packaged binary, or Electron with the checkout. */
export function autostartEntryFor(input: { packaged: boolean; execPath: string; appPath: string; appImage?: string | undefined }): AutostartEntryInput {
  if (input.appImage !== undefined && input.appImage !== '') return { executable: input.appImage };
  return input.packaged ? { executable: input.execPath } : { executable: input.execPath, args: [input.appPath] };
}

export class AutostartSync {
  private applied: boolean | undefined;

  constructor(
    private readonly target: AutostartTarget,
    private readonly onError: (message: string) => void,
  ) {}

  /** Start-up: adopt the file's presence into the setting, and refresh the entry (the app may have moved). */
  async reconcile(settings: Settings, update: (patch: SettingsPatch) => Promise<unknown>): Promise<void> {
    const present = await isAutostartEnabled(this.target.path);
    this.applied = present;
    if (present) await this.write();
    if (present !== settings.autostart) await update({ autostart: present });
  }

  /** A `settings` event: write or remove the file when `autostart` differs from what was applied. */
  async apply(settings: Settings): Promise<void> {
    if (settings.autostart === this.applied) return;
    this.applied = settings.autostart;
    try {
      if (settings.autostart) await this.write();
      else await removeAutostart(this.target.path);
    } catch (error) {
      this.applied = undefined;
      this.onError(`Could not ${settings.autostart ? 'write' : 'remove'} ${this.target.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private write(): Promise<void> {
    return writeAutostart(this.target.path, autostartDesktopEntry(this.target.entry));
  }
}
