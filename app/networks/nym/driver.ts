// The Nym driver: runs the real nym-socks5-client (found on PATH or named by BURROW_NYM_SOCKS5_CLIENT) as
// the helper user, never root (a host that is not root has netd start it as burrow-nym for system-wide
// mode: helper/netd-launcher.ts). First use: `init --id ID --provider P [--gateway G] -o json` (a second init
// is refused by the client: Burrow keeps its own record and handles the refusal); then `run --id ID --port P
// --host 127.0.0.1 --no-banner`. Connected = the readiness lines plus a SOCKS5 handshake (readiness.ts).
// Stopped with SIGINT. Streams the exit refuses are counted: enough of them and the details say the exit is
// failing. System-wide mode adds netd's redirect (redsocks + DNS stub) to the client's port.
import { lookup } from 'node:dns/promises';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { BurrowError, type ConnectionDetails, type Settings } from '../../domain/index.js';
import type { DriverAvailability, DriverSession, NetworkDriver, StoredProfile, TunnelStats } from '../../supervisor/driver.js';
import { initArgv, runArgv } from './client-argv.js';
import { checkClientVersion } from './client-version.js';
import { ClientRecords, applyMixing, withMixing, classifyLine, clientIdFor, clientPaths, listenerEndpoint, parseInitOutput, saysAlreadyInitialised, type InitResults } from './client-files.js';
import { mixingCost, nymConfigFromRecord, type NymProfileConfig } from './config.js';
import { describeExit, helperEnv } from '../helper/process.js';
import { localLauncher, type HelperLauncher, type SupervisedHelper } from '../helper/launcher.js';
import type { HelperUser } from '../helper/user.js';
import { waitUntilReady } from './readiness.js';
import { probeExitIp } from '../helper/http-get.js';
import { socks5Connect } from '../helper/socks5.js';
import { watchRedirect, type SystemRedirect } from '../helper/system-redirect.js';

export interface NymDriverOptions {
  dataDir: string;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  settings?: () => Settings;
  /** The nym-socks5-client binary, or undefined when this machine has none. */
  findClient: () => string | undefined;
  helperUser: () => HelperUser;
  /**
   * netd starting the client as burrow-nym, for system-wide mode when the host's own helper user is not
   * dedicated (a host that is not root). Absent: such a host refuses system-wide profiles.
   */
  systemLauncher?: HelperLauncher | undefined;
  /** System-wide mode (netd's redsocks + DNS stub); without it such profiles are refused. */
  systemRedirect?: SystemRedirect | undefined;
  startupTimeoutMs?: number;
  exitFailures?: { windowMs: number; threshold: number };
}

/** What the kill switch may let the helper reach, once known. */
export interface NymAllowance {
  uid: number;
  dedicated: boolean;
  gateway?: { ip: string; port: number };
  nymApis: { ip: string; port: number }[];
}

interface Active {
  profileId: string;
  proc: SupervisedHelper;
  user: HelperUser;
  config: NymProfileConfig;
  init: InitResults;
  allowance: NymAllowance;
  details: ConnectionDetails;
  failures: number[];
  system: boolean;
  stopWatch: () => void;
}

export const INSTALL_HINT = 'Install nym-socks5-client from the Nym releases (github.com/nymtech/nym/releases) and put it on PATH, or name it in BURROW_NYM_SOCKS5_CLIENT.';

function short(key: string): string {
  return key.length > 12 ? `${key.slice(0, 6)}…${key.slice(-4)}` : key;
}

async function resolveHost(host: string): Promise<string | undefined> {
  if (isIP(host) !== 0) return host;
  try {
    return (await lookup(host)).address;
  } catch {
    return undefined;
  }
}

export class NymDriver implements NetworkDriver {
  readonly network = 'nym' as const;
  private active: Active | undefined;
  private starting: { profileId: string; user: HelperUser } | undefined;
  private readonly records: ClientRecords;
  private checkedBinary: string | undefined;
  private readonly local: HelperLauncher;

  constructor(private readonly options: NymDriverOptions) {
    this.local = localLauncher(options.helperUser);
    const dir = join(options.dataDir, 'nym', 'clients');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.records = new ClientRecords(dir);
  }

  availability(): Promise<DriverAvailability> {
    return Promise.resolve(this.options.findClient() === undefined ? { available: false, reason: `nym-socks5-client is not installed on this machine. ${INSTALL_HINT}` } : { available: true });
  }

  prepare(profile: StoredProfile): Promise<void> {
    try {
      this.check(profile);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The host's own launcher, or netd's for system-wide mode where the host's helper user is not dedicated. */
  private launcherFor(mode: NymProfileConfig['mode']): HelperLauncher {
    const system = this.options.systemLauncher;
    return mode === 'system' && system !== undefined && !this.local.user().dedicated ? system : this.local;
  }

  private check(profile: StoredProfile): { config: NymProfileConfig; binary: string; user: HelperUser; launcher: HelperLauncher } {
    const config = nymConfigFromRecord(profile.config);
    const binary = this.options.findClient();
    if (binary === undefined) throw new BurrowError('network_unavailable', `nym-socks5-client is not installed on this machine. ${INSTALL_HINT}`);
    const launcher = this.launcherFor(config.mode);
    const user = launcher.user();
    if (config.mode === 'system') {
      if (this.options.systemRedirect === undefined) {
        throw new BurrowError('netd_unavailable', 'System-wide Nym needs netd, Burrow\'s privileged helper, and this host runs without it. Start the host with netd, or use "Mode = proxy".');
      }
      if (!user.dedicated) {
        throw new BurrowError('not_implemented', 'System-wide Nym needs the Nym client under a user of its own, so the kill switch can tell its packets from your programs\'. That needs netd, which runs it as burrow-nym, or a host running as root. Use "Mode = proxy" until then.');
      }
    }
    return { config, binary, user, launcher };
  }

  /**
   * For the firewall source: the helper's uid always (a connecting policy must not depend on how far the
   * driver got), and its gateway and nym-api addresses once this profile's client is up.
   */
  allowance(profileId: string): NymAllowance | undefined {
    if (this.active?.profileId === profileId) return this.active.allowance;
    try {
      // Asked only for system-wide profiles (proxy mode's policy is open): the uid that mode runs under.
      const user = this.launcherFor('system').user();
      return { uid: user.uid, dedicated: user.dedicated, nymApis: [] };
    } catch {
      return undefined;
    }
  }

  async connect(profile: StoredProfile, session: DriverSession): Promise<ConnectionDetails> {
    await this.disconnect();
    const checked = this.check(profile);
    const { config, binary, launcher } = checked;
    this.starting = { profileId: profile.id, user: checked.user };
    try {
      session.progress({ phase: 'Preparing the Nym client' });
      const user = await launcher.prepare();
      const env = helperEnv(user, dirname(binary), { RUST_LOG: 'info' });
      await this.checkVersion(binary, launcher, env, session.signal);
      const { id, init } = await this.ensureInitialised({ binary, env, user, launcher, profileId: profile.id, config, signal: session.signal });
      await this.setMixing(launcher, user, id, config);
      session.progress({ phase: 'Connecting to the Nym gateway' });
      const argv = runArgv(id, config);
      const proc = await launcher.start(binary, argv, { env });
      proc.onLine((line) => this.options.log('debug', `nym-socks5-client: ${line.slice(0, 300)}`));
      try {
        await waitUntilReady(proc, { port: config.socksPort, timeoutMs: this.options.startupTimeoutMs ?? 60_000, signal: session.signal });
        const gateway = listenerEndpoint(init.gateway_listener);
        const allowance: NymAllowance = { uid: user.uid, dedicated: user.dedicated, nymApis: [] };
        const gatewayIp = gateway === undefined ? undefined : await resolveHost(gateway.host);
        if (gateway !== undefined && gatewayIp !== undefined) allowance.gateway = { ip: gatewayIp, port: gateway.port };
        if (config.mode === 'system') {
          session.progress({ phase: 'Sending every program through the mixnet' });
          await this.options.systemRedirect?.up({ proxyType: 'socks5', proxyPort: config.socksPort, dnsUpstream: { ip: this.dnsUpstream(config), port: 53 } });
          // Resolved through the redirect's DNS stub, that is through the mixnet itself.
          for (const api of config.nymApis) {
            const url = new URL(api);
            const ip = await resolveHost(url.hostname.replace(/^\[|\]$/g, ''));
            if (ip !== undefined) allowance.nymApis.push({ ip, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) });
          }
        }
        if (session.signal.aborted) throw session.signal.reason instanceof Error ? session.signal.reason : new BurrowError('cancelled', 'Cancelled.');
        const details = this.detailsOf(config, init, user);
        const active: Active = { profileId: profile.id, proc, user, config, init, allowance, details, failures: [], system: config.mode === 'system', stopWatch: () => undefined };
        this.active = active;
        this.watch(active, session);
        this.options.log('info', `Nym is up (${config.mode} mode, SOCKS5 on 127.0.0.1:${config.socksPort}, gateway ${short(init.gateway_id)}).`);
        return details;
      } catch (error) {
        if (config.mode === 'system') await this.options.systemRedirect?.down().catch(() => undefined);
        await proc.stop();
        throw this.gatewayGone(profile.id, config, init, proc) ?? error;
      }
    } finally {
      this.starting = undefined;
    }
  }

  async disconnect(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    if (active === undefined) return;
    active.stopWatch();
    if (active.system) await this.options.systemRedirect?.down().catch((error: unknown) => this.options.log('warn', `Stopping the system-wide redirect: ${error instanceof Error ? error.message : String(error)}`));
    await active.proc.stop();
  }

  status(): Promise<'down' | 'connecting' | 'up'> {
    if (this.active?.proc.running === true) return Promise.resolve('up');
    return Promise.resolve(this.starting !== undefined ? 'connecting' : 'down');
  }

  /** The client reports no byte counts; Burrow does not see the traffic it carries. */
  stats(): Promise<TunnelStats> {
    return Promise.resolve({ bytesIn: 0, bytesOut: 0 });
  }

  private dnsUpstream(config: NymProfileConfig): string {
    return config.dnsServer ?? this.options.settings?.().dns.servers[0] ?? '1.1.1.1';
  }

  /** `--version` once per binary: a client outside the supported range is refused before it runs. */
  private async checkVersion(binary: string, launcher: HelperLauncher, env: Record<string, string>, signal: AbortSignal): Promise<void> {
    // netd runs the program it finds itself, which may not be the host's.
    const key = launcher === this.local ? binary : `netd:${binary}`;
    if (this.checkedBinary === key) return;
    const result = await launcher.run(binary, ['--version'], { env, timeoutMs: 10_000, signal });
    checkClientVersion(result.stdout);
    this.checkedBinary = key;
  }

  /** The profile's mixing delay into the client's config (through netd where the client's file is not the host's). */
  private async setMixing(launcher: HelperLauncher, user: HelperUser, id: string, config: NymProfileConfig): Promise<void> {
    const file = launcher.clientConfig;
    if (file === undefined) {
      applyMixing(clientPaths(user.home, id).config, config);
      return;
    }
    const before = await file.read(id);
    const after = withMixing(before, config);
    if (after !== before) await file.write(id, after);
  }

  /**
   * The client said its gateway cannot be reached or is gone. The real client keeps its gateway for good, so
   * retrying the same client fails for ever: retire it, and the next attempt initialises a new client, which
   * picks another gateway. A profile that names its gateway keeps it (the person chose it): then say so.
   */
  private gatewayGone(profileId: string, config: NymProfileConfig, init: InitResults, proc: SupervisedHelper): BurrowError | undefined {
    const event = proc.all().map(classifyLine).find((candidate) => candidate?.kind === 'gateway-lost');
    if (event?.kind !== 'gateway-lost') return undefined;
    const said = event.text;
    const evidence = { gateway: init.gateway_id, log: proc.recent(6) };
    if (config.gateway !== undefined) {
      return new BurrowError('host_unreachable', `The Nym gateway this profile names (${short(init.gateway_id)}) cannot be reached: ${said}. Remove "Gateway" from the profile to let Burrow choose another one, or try later.`, evidence);
    }
    const generation = this.records.retire(profileId);
    this.options.log('warn', `The Nym gateway ${short(init.gateway_id)} is gone (${said}); the next attempt registers a new client (generation ${generation}) with another gateway.`);
    return new BurrowError('host_unreachable', `The Nym gateway ${short(init.gateway_id)} cannot be reached (${said}). Burrow registers a new client with another gateway on the next attempt.`, evidence);
  }

  /** Whether the client `id` exists: its config file, looked at directly or (netd's helpers) through netd. */
  private async clientExists(launcher: HelperLauncher, user: HelperUser, id: string): Promise<boolean> {
    if (launcher.clientConfig === undefined) return existsSync(clientPaths(user.home, id).config);
    try {
      await launcher.clientConfig.read(id);
      return true;
    } catch (error) {
      if (error instanceof BurrowError && error.code === 'not_found') return false;
      throw error;
    }
  }

  /** This profile's client, initialised if needed: its id and what init said of it. */
  private async ensureInitialised(o: { binary: string; env: Record<string, string>; user: HelperUser; launcher: HelperLauncher; profileId: string; config: NymProfileConfig; signal: AbortSignal }): Promise<{ id: string; init: InitResults }> {
    let id = clientIdFor(o.profileId, o.config, this.records.generation(o.profileId));
    const known = this.records.read(id);
    const exists = await this.clientExists(o.launcher, o.user, id);
    if (exists && known !== undefined) return { id, init: known };
    if (exists && o.launcher.clientConfig !== undefined) {
      // A client netd keeps that Burrow has no record of: its files are the helper's, not the host's to move.
      // It stays as it is, and a new client (the next generation) is initialised beside it.
      this.records.retire(o.profileId);
      const next = clientIdFor(o.profileId, o.config, this.records.generation(o.profileId));
      this.options.log('warn', `Nym client ${id} had no record of its gateway; it is left as it is and a new client ${next} is initialised.`);
      id = next;
    } else if (exists) {
      // A client directory Burrow has no record of (its record was lost): keep it aside, start afresh.
      const paths = clientPaths(o.user.home, id);
      const aside = `${paths.root}.orphaned-${Date.now()}`;
      renameSync(paths.root, aside);
      this.options.log('warn', `Nym client ${id} had no record of its gateway; its old directory is kept at ${aside} and a new client is initialised.`);
    }
    const init = await this.initialise({ ...o, id });
    return { id, init };
  }

  private async initialise(o: { binary: string; env: Record<string, string>; user: HelperUser; launcher: HelperLauncher; id: string; config: NymProfileConfig; signal: AbortSignal }): Promise<InitResults> {
    const paths = clientPaths(o.user.home, o.id);
    const argv = initArgv(o.id, o.config);
    const result = await o.launcher.run(o.binary, argv, { env: o.env, timeoutMs: 120_000, signal: o.signal });
    const parsed = parseInitOutput(result.stdout);
    if (result.exit.code === 0 && parsed !== undefined) {
      this.records.write(parsed);
      this.options.log('info', `Initialised Nym client ${o.id} with gateway ${short(parsed.gateway_id)} (${parsed.gateway_listener}).`);
      return parsed;
    }
    if (saysAlreadyInitialised(result.stdout)) {
      const record = this.records.read(o.id);
      if (record !== undefined) return record;
      throw new BurrowError('conflict', `nym-socks5-client says client ${o.id} is already initialised, and Burrow has no record of its gateway. Remove ${paths.root}${o.launcher.clientConfig === undefined ? '' : ' (as root: netd keeps it)'} and connect again.`);
    }
    const said = result.lines.filter((line) => /error|fail/i.test(line)).slice(-3).join(' / ') || result.lines.slice(-3).join(' / ');
    throw new BurrowError('helper_failed', `nym-socks5-client init ${describeExit(result.exit)}${said === '' ? '.' : `: ${said.slice(0, 400)}`}`, { log: result.lines.slice(-10) });
  }

  private detailsOf(config: NymProfileConfig, init: InitResults, user: HelperUser): ConnectionDetails {
    return {
      endpoint: init.gateway_listener,
      extra: {
        mode: config.mode === 'system' ? 'every program (system-wide)' : `SOCKS5 proxy on 127.0.0.1:${config.socksPort}`,
        gateway: short(init.gateway_id),
        exit: short(config.provider.split('.')[0] ?? ''),
        mixing: mixingCost(config).summary,
        helper: `runs as ${user.dedicated ? `user ${user.name}` : 'you'}`,
      },
    };
  }

  private watch(active: Active, session: DriverSession): void {
    const window = this.options.exitFailures ?? { windowMs: 60_000, threshold: 3 };
    active.proc.onLine((line) => {
      const event = classifyLine(line);
      if (event?.kind !== 'exit-failed' || this.active !== active) return;
      const now = Date.now();
      active.failures = [...active.failures.filter((at) => now - at < window.windowMs), now];
      this.options.log('info', `The Nym exit refused or closed stream ${event.connection}: ${event.text}`);
      if (active.failures.length >= window.threshold) {
        const exit = `failing: ${active.failures.length} streams closed by the exit in the last ${Math.round(window.windowMs / 1000)} s (last: ${event.text.slice(0, 120)})`;
        if (active.details.extra?.exitHealth !== exit) {
          this.options.log('warn', `The Nym exit is failing: ${exit}. Choose another exit (Provider) if this goes on.`);
          active.details = { ...active.details, extra: { ...active.details.extra, exitHealth: exit } };
          session.update(active.details);
        }
      }
    });
    const lose = (message: string): void => {
      if (this.active !== active || session.signal.aborted) return;
      this.active = undefined;
      active.stopWatch();
      if (active.system) void this.options.systemRedirect?.down().catch(() => undefined);
      void active.proc.stop();
      session.lost({ code: 'helper_failed', message, evidence: { log: active.proc.recent(6) } });
    };
    void active.proc.exited.then((exit) => {
      if (this.active !== active || session.signal.aborted) return;
      const gone = this.gatewayGone(active.profileId, active.config, active.init, active.proc);
      lose(`${gone?.message ?? `nym-socks5-client ${describeExit(exit)}: the mixnet is down.`} The kill switch holds while Burrow starts it again.`);
    });
    const redirect = this.options.systemRedirect;
    if (active.system && redirect !== undefined) active.stopWatch = watchRedirect(redirect, () => lose('redsocks, which takes every program into the mixnet, stopped. The kill switch holds while Burrow starts it again.'));
    void this.askExitIp(active, session);
  }

  /** The address the leak server sees through the mixnet (after the fact; a failure means "unknown"). */
  private async askExitIp(active: Active, session: DriverSession): Promise<void> {
    const current = (): boolean => this.active === active && !session.signal.aborted;
    const ip = await probeExitIp({
      leakServerUrl: this.options.settings?.().leakServer.url ?? '',
      open: (host, port) => socks5Connect({ host: '127.0.0.1', port: active.config.socksPort }, host, port, AbortSignal.timeout(15_000)),
      current,
      log: (message) => this.options.log('debug', `Asking the leak server through Nym: ${message}`),
    });
    if (ip === undefined || !current()) return;
    active.details = { ...active.details, exitIp: ip, extra: { ...active.details.extra, exitHealth: 'working' } };
    session.update(active.details);
  }
}
