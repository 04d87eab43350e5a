// The Tor driver behind the NetworkDriver interface. Proxy mode runs tor as the user with a SOCKS port and
// nothing system-wide; system-wide mode asks netd to run tor under its own uid behind the `tor-system`
// firewall policy. Both are followed the same way over the control port (tor-session.ts).
import { BurrowError } from '../../domain/errors.js';
import type { ConnectionDetails } from '../../domain/tunnel-state.js';
import type { DriverAvailability, DriverSession, NetworkDriver, StoredProfile, TunnelStats } from '../../supervisor/driver.js';
import { DEFAULT_WATCH, type WatchOptions } from './bootstrap-watch.js';
import { torConfigFromRecord, transportsOf, type CheckedTorConfig } from './config.js';
import { findTorHelpers, type TorHelpers } from './helpers.js';
import { userLauncher, type TorLauncher } from './launcher.js';
import { INSTALL_HINT } from './torrc.js';
import { ActiveTor } from './tor-session.js';
import type { PluggableTransport } from './bridge-line.js';

export interface TorDriverOptions {
  /** The host's data directory (tor's state is kept under `<dataDir>/tor`). */
  dataDir: string;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** Finds tor and the transport clients (tests replace it). */
  helpers?: () => TorHelpers;
  /** How long a stuck bootstrap is given before it is called blocked or timed out. */
  watch?: Partial<Omit<WatchOptions, 'hasBridges'>>;
  /** The process tor must not outlive before TAKEOWNERSHIP (default: this one). */
  owningPid?: number;
  /** Tests only: proxy-mode tor starts with DisableNetwork 1 and never touches the network. */
  disableNetwork?: boolean;
  /** System-wide mode through netd; without it such profiles are refused with netd_unavailable. */
  systemLauncher?: TorLauncher;
}

export class TorDriver implements NetworkDriver {
  readonly network = 'tor' as const;
  private active: ActiveTor | undefined;
  private connecting = false;
  private readonly helpers: () => TorHelpers;
  private readonly proxyLauncher: TorLauncher;
  private readonly watch: Omit<WatchOptions, 'hasBridges'>;

  constructor(private readonly options: TorDriverOptions) {
    this.helpers = options.helpers ?? (() => findTorHelpers());
    this.watch = { ...DEFAULT_WATCH, ...options.watch };
    this.proxyLauncher = userLauncher({
      dataDir: options.dataDir,
      helpers: this.helpers,
      owningPid: options.owningPid ?? process.pid,
      disableNetwork: options.disableNetwork === true,
    });
  }

  availability(): Promise<DriverAvailability> {
    const helpers = this.helpers();
    if (helpers.tor === undefined) return Promise.resolve({ available: false, reason: 'Tor is not installed on this machine: install the tor package.' });
    return Promise.resolve({ available: true });
  }

  prepare(profile: StoredProfile): Promise<void> {
    try {
      this.check(profile);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Everything that can be known without starting tor: the profile, the mode, the programs. */
  private check(profile: StoredProfile): void {
    const config = torConfigFromRecord(profile.config);
    this.launcherFor(config);
    const helpers = this.helpers();
    if (helpers.tor === undefined) throw new BurrowError('network_unavailable', 'Tor is not installed on this machine. Install the tor package (apt install tor).');
    for (const transport of transportsOf(config) as PluggableTransport[]) {
      if (helpers.transports[transport] === undefined) {
        throw new BurrowError('network_unavailable', `This profile's bridges use ${transport}, and no program for it was found. ${INSTALL_HINT[transport]}`, { transport });
      }
    }
  }

  async connect(profile: StoredProfile, session: DriverSession): Promise<ConnectionDetails> {
    await this.disconnect();
    const config = torConfigFromRecord(profile.config);
    const launcher = this.launcherFor(config);
    this.connecting = true;
    try {
      session.progress({ percent: 0, phase: config.mode === 'system' ? 'Starting Tor for the whole system' : 'Starting Tor' });
      const launched = await launcher.launch({ profileId: profile.id, config, signal: session.signal });
      const { tor, details } = await ActiveTor.bootstrap({ launched, config, session, watch: this.watch });
      if (session.signal.aborted) {
        await tor.stop();
        throw session.signal.reason instanceof Error ? session.signal.reason : new BurrowError('cancelled', 'Cancelled.');
      }
      this.active = tor;
      this.options.log('info', `Tor is up (${config.mode} mode${tor.torVersion === undefined ? '' : `, tor ${tor.torVersion}`}).`);
      return details;
    } finally {
      this.connecting = false;
    }
  }

  async disconnect(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.stop();
  }

  status(): Promise<'down' | 'connecting' | 'up'> {
    if (this.active?.isUp === true) return Promise.resolve('up');
    return Promise.resolve(this.connecting ? 'connecting' : 'down');
  }

  async stats(): Promise<TunnelStats> {
    return this.active === undefined ? { bytesIn: 0, bytesOut: 0 } : this.active.stats();
  }

  /** SIGNAL NEWNYM: new connections use new circuits. Answers the details of the moment (they refresh as circuits build). */
  async newIdentity(): Promise<ConnectionDetails> {
    const active = this.active;
    if (active?.isUp !== true) throw new BurrowError('conflict', 'Tor is not connected: a new identity needs a running Tor.');
    await active.newIdentity();
    return active.details();
  }

  private launcherFor(config: CheckedTorConfig): TorLauncher {
    if (config.mode === 'proxy') return this.proxyLauncher;
    if (this.options.systemLauncher === undefined) {
      throw new BurrowError('netd_unavailable', 'System-wide Tor needs netd, Burrow\'s privileged helper, and this host runs without it. Start the host with netd, or use a profile with "Mode proxy".');
    }
    return this.options.systemLauncher;
  }
}
