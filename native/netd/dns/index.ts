// The system resolver while a tunnel is up: the one place netd sets DNS, naming the cases it handles the way
// Mullvad's talpid-dns/src/linux does:
//   systemd-resolved (resolved.ts)  per-link DNS and `~.` on the tunnel link over D-Bus
//   a static resolv.conf (static-file.ts)  written in place, watched, rewrites adopted as the backup
// NetworkManager-managed resolv.conf files (rc-manager=file) are the static case: NetworkManager rewrites the
// file, the watch adopts its text and puts the tunnel's back. NetworkManager's own D-Bus DNS (with
// dns=systemd-resolved it hands resolved per-link DNS) needs nothing more: the tunnel link's `~.` wins.
// What was replaced is kept in a persistent directory (backup.ts), so that netd restores it on SIGTERM and,
// after a crash or a power loss, at its next start.
import { join } from 'node:path';
import { runTool, type Runner } from '../exec.js';
import type { Logger } from '../log.js';
import { BackupStore } from './backup.js';
import { detectCase, type DnsCase } from './detect.js';
import { ResolvedDns } from './resolved.js';
import { StaticResolvConf } from './static-file.js';

export type { DnsCase } from './detect.js';
export { BURROW_HEADER, resolvConfText } from './static-file.js';

export interface ResolverOptions {
  run?: Runner;
  /** Where the backup lives (default `<stateDir>/dns`; netd's unit passes a directory under /var/lib). */
  backupDir?: string;
  logger?: Logger;
  /** The tunnel interface resolved should put the servers on, if one is up. */
  tunnelLink?: () => string | undefined;
  /** Tests: nsswitch.conf and resolved's drop-in directory. */
  nsswitch?: string;
  resolvedDropInDir?: string;
}

export class ResolverConfig {
  private readonly run: Runner;
  private readonly store: BackupStore;
  private readonly file: StaticResolvConf;
  private readonly resolved: ResolvedDns;
  private active: DnsCase | undefined;

  constructor(
    private readonly resolvConf: string,
    stateDir: string,
    private readonly options: ResolverOptions = {},
  ) {
    this.run = options.run ?? runTool;
    this.store = new BackupStore(options.backupDir ?? join(stateDir, 'dns'));
    this.file = new StaticResolvConf(resolvConf, this.store, options.logger);
    this.resolved = new ResolvedDns(this.run, this.store, options.resolvedDropInDir);
  }

  /** The case the last set used, while it is in force. */
  get current(): DnsCase | undefined {
    return this.active;
  }

  async set(servers: readonly string[], search: readonly string[]): Promise<DnsCase> {
    const kind = await detectCase(this.resolvConf, this.run, this.options.nsswitch);
    // Switching cases between two sets (resolved started meanwhile): undo the other one first.
    if (this.active !== undefined && this.active !== kind) await this.restore();
    if (kind === 'systemd-resolved') await this.resolved.set(this.options.tunnelLink?.(), servers, search);
    else this.file.set(servers, search);
    this.active = kind;
    this.options.logger?.log('info', 'dns set', { case: kind, servers: [...servers] });
    return kind;
  }

  async restore(): Promise<boolean> {
    const backup = this.store.read();
    this.active = undefined;
    if (backup === undefined) {
      this.file.stop();
      return false;
    }
    return backup.kind === 'systemd-resolved' ? this.resolved.restore() : this.file.restore();
  }

  /** At start: a backup left by a netd that did not stop cleanly is put back (see static-file.ts recover). */
  async recover(): Promise<string | undefined> {
    const backup = this.store.read();
    if (backup === undefined) return undefined;
    if (backup.kind === 'systemd-resolved') {
      await this.resolved.restore();
      return 'systemd-resolved: reverted';
    }
    return `static-file: ${this.file.recover(backup)}`;
  }

  stop(): void {
    this.file.stop();
  }
}
