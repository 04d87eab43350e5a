// The system resolver while a tunnel is up: the one place netd sets DNS, naming the cases it handles the way
// Mullvad's talpid-dns/src/linux does:
//   systemd-resolved (resolved.ts)  per-link DNS and `~.` on the tunnel link over D-Bus
//   NetworkManager (network-manager.ts)  its global DNS configuration over D-Bus, when it writes resolv.conf
//   a static resolv.conf (static-file.ts)  written in place, watched, rewrites adopted as the backup
// NetworkManager with dns=systemd-resolved hands resolved per-link DNS: that is the resolved case, and the
// tunnel link's `~.` wins. A NetworkManager that will not take the global DNS (a [global-dns] section in its
// own config) falls back to the static case, whose watch keeps the tunnel's servers on top of its rewrites.
// What was replaced is kept in a persistent directory (backup.ts), so that netd restores it on SIGTERM and,
// after a crash or a power loss, at its next start.
import { join } from 'node:path';
import { runTool, type Runner } from '../exec.js';
import type { Logger } from '../log.js';
import { BackupStore } from './backup.js';
import { detectCase, type DnsCase } from './detect.js';
import { NetworkManagerDns } from './network-manager.js';
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
  /** Tests: how long recover() waits before asking a NetworkManager that did not answer again. */
  recoverRetryMs?: number;
  /** Tests: how long a set waits for NetworkManager to write the servers into resolv.conf. */
  nmWriteWaitMs?: number;
}

const RECOVER_RETRY_MS = 5000;
const RECOVER_ATTEMPTS = 60;

export class ResolverConfig {
  private readonly run: Runner;
  private readonly store: BackupStore;
  private readonly file: StaticResolvConf;
  private readonly resolved: ResolvedDns;
  private readonly networkManager: NetworkManagerDns;
  private recovering: NodeJS.Timeout | undefined;
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
    this.networkManager = new NetworkManagerDns(resolvConf, this.run, this.store, options.nmWriteWaitMs);
  }

  /** The case the last set used, while it is in force. */
  get current(): DnsCase | undefined {
    return this.active;
  }

  async set(servers: readonly string[], search: readonly string[]): Promise<DnsCase> {
    this.stopRecovering();
    let kind = await detectCase(this.resolvConf, this.run, this.options.nsswitch);
    // Switching cases between two sets (resolved started meanwhile): undo the other one first.
    if (this.active !== undefined && this.active !== kind) await this.restore();
    if (kind === 'systemd-resolved') await this.resolved.set(this.options.tunnelLink?.(), servers, search);
    else if (kind === 'network-manager') kind = await this.setThroughNetworkManager(servers, search);
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
    if (backup.kind === 'systemd-resolved') return this.resolved.restore();
    if (backup.kind === 'network-manager') return this.networkManager.restore();
    return this.file.restore();
  }

  /** At start: a backup left by a netd that did not stop cleanly is put back (see static-file.ts recover). */
  async recover(): Promise<string | undefined> {
    const backup = this.store.read();
    if (backup === undefined) return undefined;
    if (backup.kind === 'systemd-resolved') {
      await this.resolved.restore();
      return 'systemd-resolved: reverted';
    }
    if (backup.kind === 'network-manager') return this.recoverNetworkManager(backup);
    return `static-file: ${this.file.recover(backup)}`;
  }

  stop(): void {
    this.stopRecovering();
    this.file.stop();
  }

  private async setThroughNetworkManager(servers: readonly string[], search: readonly string[]): Promise<DnsCase> {
    try {
      await this.networkManager.set(servers, search);
      return 'network-manager';
    } catch (error) {
      this.options.logger?.log('warn', 'NetworkManager did not take the tunnel\'s DNS: writing resolv.conf instead, and watching it', { reason: String(error) });
      this.file.set(servers, search);
      return 'static-file';
    }
  }

  /**
   * NetworkManager keeps its global DNS across a reboot, and at boot netd may start before it: while it does
   * not answer, the backup stays and netd asks again every few seconds (for up to five minutes; a connect
   * meanwhile keeps the same original, and its disconnect restores it).
   */
  private async recoverNetworkManager(backup: { original: string; written: string }, attempt = 0): Promise<string> {
    try {
      return `network-manager: ${await this.networkManager.recover(backup)}`;
    } catch (error) {
      if (attempt >= RECOVER_ATTEMPTS) return `network-manager: not answering, the backup is kept (${String(error)})`;
      this.recovering = setTimeout(() => {
        this.recovering = undefined;
        void this.recoverNetworkManager(backup, attempt + 1).then((how) => {
          if (!how.includes('not answering')) this.options.logger?.log('warn', 'restored the resolver a previous netd left replaced', { how });
        });
      }, this.options.recoverRetryMs ?? RECOVER_RETRY_MS);
      this.recovering.unref();
      return 'network-manager: not answering yet, trying again';
    }
  }

  private stopRecovering(): void {
    clearTimeout(this.recovering);
    this.recovering = undefined;
  }
}
