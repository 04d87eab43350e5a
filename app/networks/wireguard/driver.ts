// WireGuard as a NetworkDriver, through netd: connect asks netd for the interface (keys over the UAPI, never
// argv), points DNS at the tunnel, and reports `connected` only after a real handshake with the server.
// While connected a health loop watches the tunnel and reports it lost; disconnect undoes all of it.
import { BurrowError, toErrorInfo, type ConnectionDetails, type Settings } from '../../domain/index.js';
import type { WgStatus } from '../../contract/index.js';
import type { NetdClient } from '../../netd/client.js';
import type { DriverAvailability, DriverSession, NetworkDriver, StoredProfile, TunnelStats } from '../../supervisor/driver.js';
import { formatEndpoint } from './config/index.js';
import type { EndpointResolver } from './endpoints.js';
import { fetchExitIp } from './exit-ip.js';
import { startHealthLoop } from './health.js';
import { loadProfile } from './profile-data.js';
import { obfsStartRequest } from './obfuscation/helpers.js';
import { obfuscationSecretName } from './obfuscation/schema.js';
import { obfsHelperUid, tunnelFacts, wgUpRequest, WG_INTERFACE, type TunnelFacts } from './tunnel-plan.js';

export interface WireGuardDriverDeps {
  netd: NetdClient;
  resolver: EndpointResolver;
  settings(): Settings;
  /** No handshake within this → `handshake_timeout` (retried with backoff by the supervisor). */
  handshakeTimeoutMs?: number;
  healthIntervalMs?: number;
  /** How often the connected details (handshake age, bytes) are refreshed. */
  detailsIntervalMs?: number;
  /** Burrow's transport helper account's uid (obfuscated profiles only); default: looked up by name. */
  helperUid?: () => number | undefined;
}

interface Active {
  facts: TunnelFacts;
  dnsSet: boolean;
  /** netd runs the transport helper for this tunnel (obfsStop on teardown). */
  helperStarted: boolean;
  stopHealth: (() => void) | undefined;
  details: ConnectionDetails;
}

const HANDSHAKE_POLL_MS = 25;

export class WireGuardDriver implements NetworkDriver {
  readonly network = 'wireguard' as const;
  private active: Active | undefined;

  constructor(private readonly deps: WireGuardDriverDeps) {}

  async availability(): Promise<DriverAvailability> {
    try {
      await this.deps.netd.call('ping', {}, 3000);
      return { available: true };
    } catch (error) {
      return { available: false, reason: toErrorInfo(error).message };
    }
  }

  prepare(profile: StoredProfile): Promise<void> {
    loadProfile(profile);
    return Promise.resolve();
  }

  async connect(profile: StoredProfile, session: DriverSession): Promise<ConnectionDetails> {
    const { config, secrets } = loadProfile(profile);
    const { netd } = this.deps;
    const settings = this.deps.settings();
    if (config.peers.some((peer) => peer.endpoint.hostKind === 'name')) session.progress({ phase: 'Looking up the VPN server' });
    const uid = config.obfuscation === undefined ? undefined : (this.deps.helperUid ?? obfsHelperUid)();
    const facts = tunnelFacts(config, await this.deps.resolver.resolveAll(config), settings, uid);
    const active: Active = { facts, dnsSet: false, helperStarted: false, stopHealth: undefined, details: {} };
    this.active = active;
    try {
      const transport = facts.transport;
      if (transport !== undefined) {
        // Before the interface: WireGuard's first handshake goes to the helper's port, which must be listening.
        session.progress({ phase: `Starting the transport (${transport.label})` });
        const secretValue = profile.secrets[obfuscationSecretName(0)];
        if (secretValue === undefined) throw new BurrowError('invalid_profile', `The stored secret of ${profile.name}'s obfuscation is missing; import the profile again.`);
        const secret = transport.obfuscation.type === 'shadowsocks' ? { password: secretValue } : { id: secretValue };
        active.helperStarted = true;
        const helper = await netd.call('obfsStart', obfsStartRequest(transport.obfuscation, secret, transport.serverIp, transport.target));
        session.log('info', `${helper.program} runs as ${helper.user} (pid ${helper.pid}) on 127.0.0.1:${helper.localPort}, carrying WireGuard to ${transport.serverIp}:${transport.obfuscation.server.port}/${transport.proto}.`);
        throwIfAborted(session.signal);
      }
      session.progress({ phase: 'Creating the tunnel' });
      const up = await netd.call('wgUp', wgUpRequest(config, secrets, facts));
      session.log('info', `WireGuard interface ${up.ifname} up (${up.implementation}, ${up.ms} ms); waiting for the handshake with ${describeEndpoints(facts)}.`);
      throwIfAborted(session.signal);
      if (facts.dns.servers.length > 0) {
        await netd.call('setDns', facts.dns);
        active.dnsSet = true;
      }
      session.progress({ phase: 'Waiting for the handshake' });
      const status = await this.waitForHandshake(facts, session.signal);
      active.details = detailsOf(facts, status);
    } catch (error) {
      await this.teardown(active).catch(() => undefined);
      throw error;
    }
    this.watch(active, session);
    return active.details;
  }

  async disconnect(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    if (active) await this.teardown(active);
    else {
      await this.deps.netd.call('wgDown', { ifname: WG_INTERFACE });
      // A helper a previous host left running (netd keeps it): nothing may keep the transport open.
      await this.deps.netd.call('obfsStop', {});
    }
  }

  async status(): Promise<'down' | 'connecting' | 'up'> {
    if (this.active === undefined) return 'down';
    const status = await this.deps.netd.call('wgStatus', { ifname: this.active.facts.ifname });
    if (!status.exists) return 'down';
    return status.peers.some((peer) => peer.lastHandshakeSec > 0) ? 'up' : 'connecting';
  }

  async stats(): Promise<TunnelStats> {
    if (this.active === undefined) return { bytesIn: 0, bytesOut: 0 };
    const status = await this.deps.netd.call('wgStatus', { ifname: this.active.facts.ifname });
    const latest = Math.max(0, ...status.peers.map((peer) => peer.lastHandshakeSec));
    return {
      bytesIn: status.peers.reduce((sum, peer) => sum + peer.rxBytes, 0),
      bytesOut: status.peers.reduce((sum, peer) => sum + peer.txBytes, 0),
      ...(latest > 0 ? { lastProofAgeSeconds: Math.max(0, Math.round(Date.now() / 1000 - latest)) } : {}),
    };
  }

  private async teardown(active: Active): Promise<void> {
    active.stopHealth?.();
    const errors: unknown[] = [];
    await this.deps.netd.call('wgDown', { ifname: active.facts.ifname }).catch((error: unknown) => errors.push(error));
    if (active.helperStarted) await this.deps.netd.call('obfsStop', {}).catch((error: unknown) => errors.push(error));
    if (active.dnsSet) await this.deps.netd.call('restoreDns', {}).catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  }

  private async waitForHandshake(facts: TunnelFacts, signal: AbortSignal): Promise<WgStatus> {
    const timeoutMs = this.deps.handshakeTimeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      throwIfAborted(signal);
      const status = await this.deps.netd.call('wgStatus', { ifname: facts.ifname });
      if (status.process !== null && !status.process.alive) {
        throw new BurrowError('helper_failed', `wireguard-go exited while connecting (${status.process.signal ?? `code ${status.process.exitCode ?? '?'}`}).`);
      }
      if (status.peers.some((peer) => peer.lastHandshakeSec > 0)) return status;
      if (Date.now() > deadline) {
        const sent = status.peers.reduce((sum, peer) => sum + peer.txBytes, 0);
        throw new BurrowError(
          'handshake_timeout',
          `The VPN server ${describeEndpoints(facts)} did not answer the WireGuard handshake within ${Math.round(timeoutMs / 1000)} s. The server may be down, the keys may not match it, or the network may block WireGuard.`,
          { endpoint: describeEndpoints(facts), bytesSent: sent, timeoutMs },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, HANDSHAKE_POLL_MS));
    }
  }

  private watch(active: Active, session: DriverSession): void {
    const detailsEvery = this.deps.detailsIntervalMs ?? 30_000;
    let lastDetails = Date.now();
    active.stopHealth = startHealthLoop({
      poll: () => this.deps.netd.call('wgStatus', { ifname: active.facts.ifname }),
      onLost: (cause) => {
        if (this.active !== active || session.signal.aborted) return;
        session.lost(cause);
      },
      onStatus: (status) => {
        if (Date.now() - lastDetails < detailsEvery || this.active !== active) return;
        lastDetails = Date.now();
        active.details = { ...detailsOf(active.facts, status), ...(active.details.exitIp ? { exitIp: active.details.exitIp } : {}) };
        session.update(active.details);
      },
      ...(this.deps.healthIntervalMs === undefined ? {} : { intervalMs: this.deps.healthIntervalMs }),
    });
    // Connecting never waits for the exit address; it arrives as an update when the leak server answers.
    void this.askExitIp(active, session);
  }

  /** The connected rules go in just after connect resolves: the first asks may be refused, so ask again. */
  private async askExitIp(active: Active, session: DriverSession): Promise<void> {
    const url = this.deps.settings().leakServer.url;
    if (url === '') return;
    for (const delayMs of [100, 500, 1500, 4000]) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (this.active !== active || session.signal.aborted) return;
      const exitIp = await fetchExitIp(url, 2000);
      if (exitIp === undefined) continue;
      if (this.active !== active) return;
      active.details = { ...active.details, exitIp };
      session.update(active.details);
      return;
    }
  }
}

/** The WireGuard server(s) a person knows: the real one, also when a transport helper carries the packets. */
function describeEndpoints(facts: TunnelFacts): string {
  return (facts.transport === undefined ? facts.endpoints : [facts.transport.target]).map((endpoint) => formatEndpoint({ host: endpoint.ip, port: endpoint.port, hostKind: endpoint.ip.includes(':') ? 'ipv6' : 'ipv4' })).join(', ');
}

function detailsOf(facts: TunnelFacts, status: WgStatus): ConnectionDetails {
  const latest = Math.max(0, ...status.peers.map((peer) => peer.lastHandshakeSec));
  const rx = status.peers.reduce((sum, peer) => sum + peer.rxBytes, 0);
  const tx = status.peers.reduce((sum, peer) => sum + peer.txBytes, 0);
  return {
    endpoint: describeEndpoints(facts),
    interface: facts.ifname,
    extra: {
      ...(facts.transport === undefined ? {} : {
        transport: facts.transport.label,
        transportServer: `${facts.transport.serverIp.includes(':') ? `[${facts.transport.serverIp}]` : facts.transport.serverIp}:${facts.transport.obfuscation.server.port}/${facts.transport.proto}`,
      }),
      handshakeAge: latest > 0 ? `${Math.max(0, Math.round(Date.now() / 1000 - latest))} s` : 'none yet',
      bytesIn: String(rx),
      bytesOut: String(tx),
      implementation: status.implementation ?? 'unknown',
    },
  };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new BurrowError('cancelled', 'The connection attempt was cancelled.');
}
