// The lockdown flag the early-boot blocking unit reads (resources/linux/scripts/early-boot-blocking.sh):
// present = lockdown on, one line `allow-lan=yes|no`; absent = off. netd writes it, so it is root's; the
// mode is 0644 because the script opens the LAN only for a flag that root alone can write. It is written
// to a temporary file beside it, synced and renamed over, so a crash mid-write never leaves half a line
// (which the script would read as "block everything": safe, but not what the person chose).
import { closeSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

export const DEFAULT_LOCKDOWN_FLAG = '/var/lib/burrow/lockdown';

export const lockdownFlagText = (allowLan: boolean): string => `allow-lan=${allowLan ? 'yes' : 'no'}\n`;

export class LockdownFlag {
  constructor(readonly path: string) {}

  /** What the flag says now: undefined when absent. */
  read(): string | undefined {
    try {
      return readFileSync(this.path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** As the early-boot script checks it: owned by netd's user (root) and writable by it alone. */
  private trustworthy(): boolean {
    try {
      const stats = lstatSync(this.path);
      return stats.isFile() && stats.uid === process.getuid?.() && (stats.mode & 0o777) === 0o644;
    } catch {
      return false;
    }
  }

  set(lockdown: boolean, allowLan: boolean): { lockdown: boolean; changed: boolean } {
    const current = this.read();
    if (!lockdown) {
      if (current === undefined) return { lockdown, changed: false };
      unlinkSync(this.path);
      return { lockdown, changed: true };
    }
    const text = lockdownFlagText(allowLan);
    if (current === text && this.trustworthy()) return { lockdown, changed: false };
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const temporary = join(dir, `.${basename(this.path)}.${process.pid}.tmp`);
    try {
      // 'wx' refuses to follow anything already at the temporary name (a planted symlink).
      rmSync(temporary, { force: true });
      const fd = openSync(temporary, 'wx', 0o644);
      try {
        fchmodSync(fd, 0o644); // whatever netd's umask is
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.path);
    } finally {
      rmSync(temporary, { force: true });
    }
    syncDirectory(dir);
    return { lockdown, changed: true };
  }
}

/** The rename is only durable once the directory is synced (the flag must survive a power cut). */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
}
