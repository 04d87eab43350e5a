// The plain case: a resolv.conf that glibc reads and some other program (NetworkManager with
// rc-manager=file, dhclient, resolvconf, a person) may rewrite at any time. Written in place (truncate and
// write), never replaced by a rename: where /etc/resolv.conf is a bind mount (network namespaces,
// containers) a rename fails or lands on the wrong file. While Burrow's text is in place a watch (inotify,
// on the file and on its directory, since a rewrite by rename makes a new inode) notices a rewrite: the new
// content is the system's new configuration, so it becomes the backup, and Burrow's text goes back on top.
// On restore the system's latest configuration comes back, never a stale copy.
import { readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../log.js';
import type { BackupStore } from './backup.js';

export const BURROW_HEADER = '# Written by Burrow netd while a tunnel is up; the original comes back on disconnect.';

export function resolvConfText(servers: readonly string[], search: readonly string[]): string {
  const lines = [BURROW_HEADER];
  if (search.length > 0) lines.push(`search ${search.join(' ')}`);
  for (const server of servers) lines.push(`nameserver ${server}`);
  return `${lines.join('\n')}\n`;
}

export class StaticResolvConf {
  private dirWatcher: FSWatcher | undefined;
  private fileWatcher: FSWatcher | undefined;
  private pending: NodeJS.Timeout | undefined;
  /** Rewrites adopted since the last set (for status and tests). */
  adopted = 0;

  constructor(
    readonly path: string,
    private readonly store: BackupStore,
    private readonly logger: Logger | undefined,
  ) {}

  set(servers: readonly string[], search: readonly string[]): void {
    const written = resolvConfText(servers, search);
    const previous = this.store.read();
    // Only the first set keeps the original: a second set must not save Burrow's own text as the system's.
    const original = previous?.kind === 'static-file' && previous.path === this.path ? previous.original : this.read();
    this.store.save({ kind: 'static-file', path: this.path, original, written });
    writeFileSync(this.path, written);
    this.watch();
  }

  restore(): boolean {
    this.unwatch();
    const backup = this.store.read();
    if (backup?.kind !== 'static-file') return false;
    writeFileSync(backup.path, backup.original);
    this.store.clear();
    return true;
  }

  /**
   * After an unclean stop (netd killed, power lost): the original goes back only while the file still holds
   * what Burrow wrote; if the system has written its own since, that stays and the backup is dropped.
   */
  recover(backup: { path: string; original: string; written: string }): 'restored' | 'kept-system' {
    let current: string;
    try {
      current = readFileSync(backup.path, 'utf8');
    } catch {
      current = '';
    }
    this.store.clear();
    if (current === backup.written || current.startsWith(BURROW_HEADER)) {
      writeFileSync(backup.path, backup.original);
      return 'restored';
    }
    return 'kept-system';
  }

  stop(): void {
    this.unwatch();
  }

  private read(): string {
    try {
      return readFileSync(this.path, 'utf8');
    } catch {
      return '';
    }
  }

  private watch(): void {
    if (this.dirWatcher !== undefined) return;
    const name = basename(this.path);
    try {
      this.dirWatcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
        if (file !== null && file !== name) return;
        // A rewrite by rename gave the path a new inode: watch that one.
        this.watchFile();
        this.soon();
      });
    } catch (error) {
      this.logger?.log('warn', 'cannot watch the resolver file; rewrites by other programs go unnoticed', { path: this.path, reason: String(error) });
    }
    this.watchFile();
  }

  private watchFile(): void {
    this.fileWatcher?.close();
    try {
      this.fileWatcher = watch(this.path, { persistent: false }, () => this.soon());
    } catch {
      // no file at the moment: the directory watch sees it appear
      this.fileWatcher = undefined;
    }
  }

  /** Programs write in several steps: look once things have settled. */
  private soon(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.check(), 150);
  }

  private check(): void {
    const backup = this.store.read();
    if (backup?.kind !== 'static-file') return;
    const current = this.read();
    if (current === backup.written) return;
    // Someone else wrote the file: that is the system's configuration now. Adopt it, put Burrow's back.
    if (!current.startsWith(BURROW_HEADER)) this.store.save({ ...backup, original: current });
    writeFileSync(this.path, backup.written);
    this.adopted++;
    this.logger?.log('info', 'resolv.conf was rewritten by another program: adopted as the system\'s, tunnel DNS put back', { path: this.path });
  }

  private unwatch(): void {
    clearTimeout(this.pending);
    this.dirWatcher?.close();
    this.fileWatcher?.close();
    this.dirWatcher = undefined;
    this.fileWatcher = undefined;
  }
}
