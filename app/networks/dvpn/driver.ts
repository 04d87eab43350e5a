// The dVPN driver for Mysterium: runs the real `myst` daemon in consumer proxy mode as the helper user (for
// system-wide mode on a host that is not root, netd starts it as burrow-dvpn: helper/netd-launcher.ts)
// (found on PATH or named by BURROW_MYST), logs in to TequilAPI, creates or unlocks the identity, refuses
// honestly when it is not registered, picks a node (the profile's, else the best quality within the price
// limits), connects with `PUT /connection` (blocking; `kill_switch: true` turns myst's own kill switch off
// so Burrow's is the only one) and follows `/events/state`. System-wide mode adds netd's redirect to
// myst's HTTP CONNECT proxy.
import { BurrowError, type ConnectionDetails, type Settings } from '../../domain/index.js';
import type { DriverAvailability, DriverSession, NetworkDriver, StoredProfile, TunnelStats } from '../../supervisor/driver.js';
import { describeExit } from '../helper/process.js';
import type { HelperUser } from '../helper/user.js';
import { localLauncher, type HelperLauncher } from '../helper/launcher.js';
import { probeExitIp } from '../helper/http-get.js';
import { watchRedirect, type SystemRedirect } from '../helper/system-redirect.js';
import { dvpnConfigFromRecord, dvpnSecrets, type DvpnProfileConfig, type DvpnSecrets } from './config.js';
import { startDaemon, type MystDaemon } from './daemon.js';
import { connectError, mayConnect, registrationError } from './errors.js';
import { importIdentity, readIdentity, registerIdentity, type IdentityFacts, type RegistrationProgress } from './identity.js';
import { httpConnect } from './http-connect.js';
import { followEvents } from './sse.js';
import { burrowPhase, describeFailure, statusOfEvent } from './states.js';
import { pickNode, toOffer, type NodeOffer } from './tequilapi.js';

export interface DvpnDriverOptions {
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  settings?: () => Settings;
  findMyst: () => string | undefined;
  helperUser: () => HelperUser;
  /** netd starting myst as burrow-dvpn, for system-wide mode when the host's helper user is not dedicated. */
  systemLauncher?: HelperLauncher | undefined;
  systemRedirect?: SystemRedirect | undefined;
  startupTimeoutMs?: number;
  /** How long myst may stay Reconnecting before Burrow calls the tunnel lost. */
  reconnectGraceMs?: number;
}


interface Active {
  profileId: string;
  daemon: MystDaemon;
  config: DvpnProfileConfig;
  details: ConnectionDetails;
  events: AbortController;
  system: boolean;
  stopWatch: () => void;
}

export const INSTALL_HINT = 'Install the Mysterium node (myst) from mysterium.network or github.com/mysteriumnetwork/node/releases and put it on PATH, or name it in BURROW_MYST.';

function short(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

function amount(value: number | undefined, unit: string): string {
  return value === undefined ? 'unknown' : `${Number(value.toFixed(6))} ${unit}`;
}

export class DvpnDriver implements NetworkDriver {
  readonly network = 'dvpn' as const;
  private active: Active | undefined;
  private starting: { profileId: string; user: HelperUser } | undefined;
  private questions: Promise<void> = Promise.resolve();
  private readonly local: HelperLauncher;

  constructor(private readonly options: DvpnDriverOptions) {
    this.local = localLauncher(options.helperUser);
  }

  /** The host's own launcher, or netd's for system-wide mode where the host's helper user is not dedicated. */
  private launcherFor(mode: DvpnProfileConfig['mode']): HelperLauncher {
    const system = this.options.systemLauncher;
    return mode === 'system' && system !== undefined && !this.local.user().dedicated ? system : this.local;
  }

  availability(): Promise<DriverAvailability> {
    return Promise.resolve(this.options.findMyst() === undefined ? { available: false, reason: `myst (the Mysterium node) is not installed on this machine. ${INSTALL_HINT}` } : { available: true });
  }

  prepare(profile: StoredProfile): Promise<void> {
    try {
      this.check(profile);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private check(profile: StoredProfile): { config: DvpnProfileConfig; secrets: DvpnSecrets; binary: string; user: HelperUser; launcher: HelperLauncher } {
    const config = dvpnConfigFromRecord(profile.config);
    const binary = this.options.findMyst();
    if (binary === undefined) throw new BurrowError('network_unavailable', `myst (the Mysterium node) is not installed on this machine. ${INSTALL_HINT}`);
    const launcher = this.launcherFor(config.mode);
    const user = launcher.user();
    if (config.mode === 'system') {
      if (this.options.systemRedirect === undefined) throw new BurrowError('netd_unavailable', 'System-wide Mysterium needs netd, Burrow\'s privileged helper, and this host runs without it. Use "Mode = proxy".');
      if (!user.dedicated) throw new BurrowError('not_implemented', 'System-wide Mysterium needs myst under a user of its own, so the kill switch can tell its packets from your programs\'. That needs netd, which runs it as burrow-dvpn, or a host running as root. Use "Mode = proxy" until then.');
    }
    return { config, secrets: dvpnSecrets(profile.secrets), binary, user, launcher };
  }

  /** myst's uid, for the firewall source (system-wide mode lets only a dedicated uid out). */
  allowance(_profileId: string): { uid: number; dedicated: boolean } | undefined {
    try {
      // Asked only for system-wide profiles (proxy mode's policy is open): the uid that mode runs under.
      const user = this.launcherFor('system').user();
      return { uid: user.uid, dedicated: user.dedicated };
    } catch {
      return undefined;
    }
  }

  /**
   * Runs `ask` with myst up: this profile's connected myst, else one started for the question. One question
   * at a time: they share the profile's TequilAPI port, and myst's keystore is one directory.
   */
  private async withDaemon<T>(profile: StoredProfile, ask: (daemon: MystDaemon, config: DvpnProfileConfig, secrets: DvpnSecrets) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      // A connect of this profile holds its TequilAPI port with a myst Burrow cannot ask yet.
      if (this.starting?.profileId === profile.id) throw new BurrowError('conflict', 'Burrow is connecting with this profile right now; ask again once it is connected.');
      const { config, secrets, binary, launcher } = this.check(profile);
      const own = this.active?.profileId === profile.id ? this.active.daemon : undefined;
      const daemon = own ?? (await startDaemon({ binary, user: await launcher.prepare(), launcher, config, secrets, signal: new AbortController().signal, timeoutMs: this.options.startupTimeoutMs ?? 60_000, log: this.options.log }));
      try {
        return await ask(daemon, config, secrets);
      } finally {
        if (own === undefined) await daemon.proc.stop();
      }
    };
    const answer = this.questions.then(run, run);
    this.questions = answer.then(() => undefined, () => undefined);
    return answer;
  }

  /** The node picker's data: the identity's registration and balance, and the nodes on offer ("any": every country). */
  nodes(profile: StoredProfile, country?: string): Promise<{ identity: IdentityFacts; nodes: NodeOffer[] }> {
    return this.withDaemon(profile, async (daemon, config, secrets) => ({
      identity: await readIdentity(daemon, config, secrets),
      nodes: (await daemon.api.proposals(country === 'any' ? undefined : (country ?? config.country))).map(toOffer),
    }));
  }

  /** The profile's identity, its registration and balance. */
  identity(profile: StoredProfile): Promise<IdentityFacts> {
    return this.withDaemon(profile, (daemon, config, secrets) => readIdentity(daemon, config, secrets));
  }

  /** The free registration (see identity.ts); `waitMs` > 0 waits for Registered, reporting progress. */
  async register(profile: StoredProfile, o: { waitMs?: number; progress?: RegistrationProgress } = {}): Promise<{ outcome: 'sent' | 'in-progress' | 'registered'; identity: IdentityFacts }> {
    const progress = o.progress ?? (() => undefined);
    progress('starting', 'Starting the Mysterium node to ask about your identity');
    try {
      const result = await this.withDaemon(profile, (daemon, config, secrets) => registerIdentity(daemon, config, secrets, { waitMs: o.waitMs ?? 0, progress }));
      this.options.log('info', `Mysterium identity ${short(result.identity.id)}: registration ${result.outcome} (now ${result.identity.registrationStatus}).`);
      return result;
    } catch (error) {
      const failure = connectError(error, '');
      progress('failed', failure.message);
      throw failure;
    }
  }

  /** Import a person's keystore file into myst; answers the identity's address (the host puts it in the profile). */
  async importIdentity(profile: StoredProfile, keystore: string, passphrase: string): Promise<IdentityFacts> {
    return this.withDaemon(profile, async (daemon, config, secrets) => {
      const id = await importIdentity(daemon, secrets, keystore, passphrase);
      this.options.log('info', `Mysterium identity ${short(id)} imported from a keystore file.`);
      return readIdentity(daemon, { ...config, identity: id }, secrets);
    });
  }

  async connect(profile: StoredProfile, session: DriverSession): Promise<ConnectionDetails> {
    await this.disconnect();
    // A question's myst (node list, registration) holds the profile's TequilAPI port until it is done.
    await this.questions;
    const { config, secrets, binary, user, launcher } = this.check(profile);
    this.starting = { profileId: profile.id, user };
    let daemon: MystDaemon | undefined;
    let identity = '';
    try {
      session.progress({ phase: 'Starting the Mysterium node' });
      daemon = await startDaemon({ binary, user: await launcher.prepare(), launcher, config, secrets, signal: session.signal, timeoutMs: this.options.startupTimeoutMs ?? 60_000, log: this.options.log });
      session.progress({ phase: 'Unlocking your Mysterium identity' });
      const facts = await readIdentity(daemon, config, secrets).catch((error: unknown) => Promise.reject(connectError(error, 'the current identity')));
      identity = facts.id;
      // As myst's PUT /connection does (tequilapi/endpoints/connection.go): InProgress may connect.
      if (!mayConnect(facts.registrationStatus)) throw registrationError(facts.id, facts.registrationStatus);
      const node = pickNode((await daemon.api.proposals(config.country)).map(toOffer), config);
      if (node === undefined) {
        throw new BurrowError('network_unavailable', config.node === undefined ? `No Mysterium node${config.country === undefined ? '' : ` in ${config.country}`} is on offer within the profile's price limits.` : `The node ${config.node} is not on offer now; choose another one.`);
      }
      session.progress({ phase: `Connecting to node ${short(node.providerId)}${node.country === '' ? '' : ` (${node.country})`}` });
      const d = daemon;
      const onAbort = (): void => void d.api.disconnect(config.proxyPort).catch(() => undefined);
      session.signal.addEventListener('abort', onAbort, { once: true });
      try {
        await d.api.connect({ consumerId: identity, providerId: node.providerId, proxyPort: config.proxyPort }, session.signal);
      } finally {
        session.signal.removeEventListener('abort', onAbort);
      }
      if (config.mode === 'system') {
        session.progress({ phase: 'Sending every program through the node' });
        await this.options.systemRedirect?.up({ proxyType: 'http-connect', proxyPort: config.proxyPort, dnsUpstream: { ip: config.dnsServer ?? this.options.settings?.().dns.servers[0] ?? '1.1.1.1', port: 53 } });
      }
      if (session.signal.aborted) throw session.signal.reason instanceof Error ? session.signal.reason : new BurrowError('cancelled', 'Cancelled.');
      const details: ConnectionDetails = {
        endpoint: `${short(node.providerId)}${node.country === '' ? '' : ` (${node.country}${node.city === '' ? '' : `, ${node.city}`})`}`,
        extra: {
          mode: config.mode === 'system' ? 'every program (system-wide)' : `HTTP proxy on 127.0.0.1:${config.proxyPort}`,
          node: node.providerId,
          price: `${amount(node.pricePerGib, 'MYST/GiB')}, ${amount(node.pricePerHour, 'MYST/h')}`,
          quality: node.quality === undefined ? 'unknown' : `${node.quality.toFixed(1)} of 3${node.latencyMs === undefined ? '' : `, ${Math.round(node.latencyMs)} ms`}`,
          identity: `${short(facts.id)} (${facts.registrationStatus})`,
          balance: amount(facts.balanceMyst, 'MYST'),
          helper: `runs as ${user.dedicated ? `user ${user.name}` : 'you'}`,
        },
      };
      const active: Active = { profileId: profile.id, daemon: d, config, details, events: new AbortController(), system: config.mode === 'system', stopWatch: () => undefined };
      this.active = active;
      this.watch(active, session);
      this.options.log('info', `Mysterium is up: node ${node.providerId} (${config.mode} mode).`);
      return details;
    } catch (error) {
      if (daemon !== undefined) {
        if (config.mode === 'system') await this.options.systemRedirect?.down().catch(() => undefined);
        await daemon.api.disconnect(config.proxyPort).catch(() => undefined);
        await daemon.proc.stop();
      }
      throw connectError(error, identity);
    } finally {
      this.starting = undefined;
    }
  }

  async disconnect(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    if (active === undefined) return;
    active.stopWatch();
    active.events.abort();
    if (active.system) await this.options.systemRedirect?.down().catch((error: unknown) => this.options.log('warn', `Stopping the system-wide redirect: ${error instanceof Error ? error.message : String(error)}`));
    await active.daemon.api.disconnect(active.config.proxyPort).catch((error: unknown) => this.options.log('debug', `DELETE /connection: ${error instanceof Error ? error.message : String(error)}`));
    await active.daemon.proc.stop();
  }

  status(): Promise<'down' | 'connecting' | 'up'> {
    if (this.active?.daemon.proc.running === true) return Promise.resolve('up');
    return Promise.resolve(this.starting !== undefined ? 'connecting' : 'down');
  }

  async stats(): Promise<TunnelStats> {
    const stats = await this.active?.daemon.api.statistics(this.active.config.proxyPort).catch(() => undefined);
    return { bytesIn: stats?.bytesReceived ?? 0, bytesOut: stats?.bytesSent ?? 0 };
  }

  private watch(active: Active, session: DriverSession): void {
    let reconnectTimer: NodeJS.Timeout | undefined;
    const lose = (code: 'helper_failed' | 'host_unreachable' | 'timeout', message: string): void => {
      if (this.active !== active || session.signal.aborted) return;
      clearTimeout(reconnectTimer);
      this.active = undefined;
      active.stopWatch();
      active.events.abort();
      if (active.system) void this.options.systemRedirect?.down().catch(() => undefined);
      void active.daemon.proc.stop();
      session.lost({ code, message, evidence: { log: active.daemon.proc.recent(6) } });
    };
    void followEvents(`${active.daemon.api.baseUrl}/events/state`, active.daemon.api.authHeaders, (event) => {
      const status = statusOfEvent(event.data)?.status;
      if (status === undefined || this.active !== active) return;
      const phase = burrowPhase(status);
      if (phase === 'connected') {
        clearTimeout(reconnectTimer);
        reconnectTimer = undefined;
        if (active.details.extra?.state !== undefined) {
          active.details = { ...active.details, extra: Object.fromEntries(Object.entries(active.details.extra).filter(([key]) => key !== 'state')) };
          session.update(active.details);
        }
      } else if (phase === 'connecting') {
        active.details = { ...active.details, extra: { ...active.details.extra, state: `${status}…` } };
        session.update(active.details);
        reconnectTimer ??= setTimeout(() => lose('timeout', `Mysterium stayed ${status} for ${Math.round((this.options.reconnectGraceMs ?? 30_000) / 1000)} s: the node is gone.`), this.options.reconnectGraceMs ?? 30_000);
      } else if (phase === 'error') lose('host_unreachable', `Mysterium: ${describeFailure(status)}. The kill switch holds while Burrow tries again.`);
      else if (phase === 'disconnected' || phase === 'disconnecting') lose('host_unreachable', `Mysterium dropped the connection (${status}) without Burrow asking.`);
    }, active.events.signal).catch((error: unknown) => this.options.log('debug', `myst's event stream ended: ${error instanceof Error ? error.message : String(error)}`));
    void active.daemon.proc.exited.then((exit) => lose('helper_failed', `myst ${describeExit(exit)}: the dVPN connection is down. The kill switch holds while Burrow starts it again.`));
    const redirect = this.options.systemRedirect;
    if (active.system && redirect !== undefined) active.stopWatch = watchRedirect(redirect, () => lose('helper_failed', 'redsocks, which takes every program to the Mysterium node, stopped. The kill switch holds while Burrow starts it again.'));
    void this.askExitIp(active, session);
  }

  private async askExitIp(active: Active, session: DriverSession): Promise<void> {
    const current = (): boolean => this.active === active && !session.signal.aborted;
    const ip = await probeExitIp({
      leakServerUrl: this.options.settings?.().leakServer.url ?? '',
      open: (host, port) => httpConnect({ host: '127.0.0.1', port: active.config.proxyPort }, host, port),
      current,
      log: (message) => this.options.log('debug', `Asking the leak server through Mysterium: ${message}`),
    });
    if (ip === undefined || !current()) return;
    active.details = { ...active.details, exitIp: ip };
    session.update(active.details);
  }
}
