// The probe over a person's profiles: for each WireGuard profile a handshake initiation to its endpoint;
// for each Tor profile a TCP connection to every bridge and a real bootstrap (tor-bootstrap.ts). Runs as
// the user from the host, outside any tunnel: it answers "what gets through on this network", so it runs
// while disconnected (with lockdown on the kill switch drops its packets, and the verdicts then say
// "blocked", truthfully for this machine but not about the network; the handler refuses to run then).
import type { StoredProfile } from '../supervisor/driver.js';
import { decodeKey, formatEndpoint } from '../networks/wireguard/config/index.js';
import { loadProfile } from '../networks/wireguard/profile-data.js';
import { torConfigFromRecord } from '../networks/tor/config.js';
import type { TorHelpers } from '../networks/tor/helpers.js';
import { probeTcp } from './tcp-reach.js';
import { probeTorBootstrap, type TorBootstrapOptions } from './tor-bootstrap.js';
import { handshakeVerdict, tcpVerdict, torVerdict, type ProbeVerdict } from './verdict.js';
import { probeHandshake } from './wireguard-handshake.js';

export interface ProbeOptions {
  /** Initiations per WireGuard endpoint (1 s apart). */
  tries?: number;
  timeoutMs?: number;
  /** Tor profiles are bootstrapped by a real tor (absent: their bridges are only reached over TCP). */
  tor?: TorBootstrapOptions & { helpers: () => TorHelpers };
}

function splitAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address);
  return { host: m?.[1] ?? m?.[2] ?? address, port: Number(m?.[3] ?? 0) };
}

async function probeWireguard(profile: StoredProfile, opts: ProbeOptions): Promise<ProbeVerdict[]> {
  const { config, secrets } = loadProfile(profile);
  const key = decodeKey(secrets.privateKey);
  if (!key.ok) throw new Error('stored private key unreadable');
  const direct = config.peers.map(async (peer) => {
    const target = formatEndpoint(peer.endpoint);
    const peerKey = decodeKey(peer.publicKey);
    if (!peerKey.ok) throw new Error('stored peer key unreadable');
    const result = await probeHandshake({ host: peer.endpoint.host, port: peer.endpoint.port }, key.bytes, peerKey.bytes, { tries: opts.tries ?? 3 });
    return handshakeVerdict(profile.id, target, result.reply, result.tries, result.ms);
  });
  const obfuscated = (config.obfuscation ?? []).map(async (o): Promise<ProbeVerdict> => {
    const target = `${o.server.host}:${o.server.port}`;
    if (o.type === 'shadowsocks') {
      // A Shadowsocks server answers nothing to a packet it cannot decrypt: silence proves nothing here.
      return { profile: profile.id, transport: 'wireguard-shadowsocks', target, outcome: 'untested', sentence: `Shadowsocks at ${target} answers only its own clients: Smart connect judges it by connecting.`, evidence: {} };
    }
    const r = await probeTcp({ host: o.server.host, port: o.server.port, tls: { serverName: o.serverName, ...(o.caPem === undefined ? {} : { ca: o.caPem }) }, timeoutMs: opts.timeoutMs ?? 4000 });
    return tcpVerdict(profile.id, 'wireguard-vless', target, r.outcome, r.detail);
  });
  return Promise.all([...direct, ...obfuscated]);
}

/** Tor: a TCP connection to every bridge, then a real bootstrap (where it stalls says what is blocked). */
async function probeTor(profile: StoredProfile, opts: ProbeOptions): Promise<ProbeVerdict[]> {
  const config = torConfigFromRecord(profile.config);
  const transport = config.useBridges ? `tor-${config.parsedBridges[0]?.transport ?? 'bridge'}` : 'tor';
  const bridges = config.useBridges
    ? await Promise.all(config.parsedBridges.map(async (bridge) => {
      const { host, port } = splitAddress(bridge.address);
      const r = await probeTcp({ host, port, timeoutMs: opts.timeoutMs ?? 4000 });
      return tcpVerdict(profile.id, `tor-${bridge.transport}`, bridge.address, r.outcome, r.detail);
    }))
    : [];
  const target = config.useBridges ? 'bootstrap over the bridges' : config.dirAuthorities.length > 0 ? 'bootstrap via this profile\'s directory authorities' : 'bootstrap via Tor\'s directory authorities';
  if (opts.tor === undefined) return bridges;
  const result = await probeTorBootstrap(config, opts.tor.helpers(), opts.tor);
  const verdict = torVerdict(profile.id, transport, target, result.progress, result.tag);
  const evidence = { ...verdict.evidence, ms: result.ms, ended: result.ended, ...(result.warning === undefined ? {} : { warning: result.warning }) };
  return [...bridges, { ...verdict, evidence }];
}

export async function probeProfiles(profiles: readonly StoredProfile[], opts: ProbeOptions = {}): Promise<ProbeVerdict[]> {
  const all = await Promise.all(profiles.map(async (profile): Promise<ProbeVerdict[]> => {
    try {
      if (profile.network === 'wireguard') return await probeWireguard(profile, opts);
      if (profile.network === 'tor') return await probeTor(profile, opts);
    } catch (err) {
      return [{ profile: profile.id, transport: profile.network, target: '', outcome: 'untested', sentence: `Could not probe ${profile.name}: ${err instanceof Error ? err.message : String(err)}`, evidence: {} }];
    }
    return [{ profile: profile.id, transport: profile.network, target: '', outcome: 'untested', sentence: `The probe has no test for ${profile.network} yet; Smart connect judges it by connecting.`, evidence: {} }];
  }));
  return all.flat();
}
