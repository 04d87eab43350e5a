// Ways through the lab censor, each tried the way a person's machine would try it, from `client`:
// WireGuard direct, WireGuard over Shadowsocks (ss-tunnel), WireGuard over VLESS+WebSocket+TLS (v2ray),
// Tor direct, Tor over the obfs4 bridge. An attempt reports whether it got through, how long it took,
// and evidence; it always cleans up what it started. The transport helpers' argv and configs come from
// Burrow's own code (app/networks/wireguard/obfuscation), so the lab exercises what Burrow ships.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_PLACEHOLDER, helperPlan, splitObfuscation } from '../../app/networks/wireguard/obfuscation/index.js';
import type { TransportServers } from './censor-transports.js';
import type { Lab } from './lab.js';
import { sleep, waitFor, type LabProcess } from './process.js';
import { startTorClient } from './tor-client.js';

export const WAYS = ['wireguard', 'wireguard-shadowsocks', 'wireguard-vless', 'tor', 'tor-obfs4'] as const;
export type Way = (typeof WAYS)[number];

export interface Attempt {
  way: Way;
  through: boolean;
  /** Start of the attempt to the first packet through (or to giving up). */
  ms: number;
  /** Slowest round trip of 20 pings of 1200 bytes sent 10 ms apart through the tunnel (WireGuard ways): shows throttling. */
  burstMaxMs?: number;
  evidence: string;
}

export interface AttemptOptions {
  timeoutMs: number;
  transports?: TransportServers;
  /** Interface name in `client` (≤ 15 chars). */
  ifname?: string;
  /** Local UDP port for the transport helper. */
  localPort?: number;
}

const PRIVATE_KEY = /^PrivateKey = (\S+)$/m;

async function pingOnce(lab: Lab, target: string): Promise<number | undefined> {
  const r = await lab.exec('client', ['ping', '-c1', '-W1', target], { check: false });
  const m = /time=([\d.]+) ms/.exec(r.stdout);
  return r.code === 0 && m ? Number(m[1]) : undefined;
}

/** 20 × 1200 bytes in 0.2 s is about 1 Mbit/s: a throttled class queues them, an open path does not. */
async function pingBurst(lab: Lab, target: string): Promise<number | undefined> {
  const r = await lab.exec('client', ['ping', '-q', '-c20', '-i', '0.01', '-s', '1200', '-W5', target], { check: false });
  const m = /= [\d.]+\/[\d.]+\/([\d.]+)\//.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

async function wireguardAttempt(lab: Lab, way: Way, opts: AttemptOptions, started: number): Promise<Attempt> {
  const server = lab.wireguard;
  if (server === undefined) throw new Error('this lab runs no WireGuard server');
  const a = lab.addresses;
  const ifname = opts.ifname ?? `${lab.prefix}cw`;
  const helpers: LabProcess[] = [];
  let endpoint = server.endpoint;
  if (way !== 'wireguard') {
    const transports = opts.transports;
    if (transports === undefined) throw new Error(`${way} needs the lab's transport servers`);
    const section = way === 'wireguard-shadowsocks' ? transports.shadowsocksSection : transports.vlessSection;
    const split = splitObfuscation(`${server.clientConf}\n${section}`);
    const [obfuscation] = split.obfuscations;
    const [secret] = split.secrets;
    if (obfuscation === undefined || secret === undefined) throw new Error('the provider section did not parse');
    const plan = helperPlan(obfuscation, secret, server.endpoint, opts.localPort ?? 51901, obfuscation.type === 'vless-ws-tls' ? transports.caFile : undefined);
    const configFile = join(lab.dir, `${way}-helper.json`);
    writeFileSync(configFile, plan.config, { mode: 0o600 });
    helpers.push(lab.spawn('client', plan.argv.map((arg) => (arg === CONFIG_PLACEHOLDER ? configFile : arg)), { name: `${way}-helper` }));
    endpoint = plan.localEndpoint;
  }
  const wg = lab.spawn('client', ['wireguard-go', '-f', ifname], { name: `${way}-wg`, env: { WG_PROCESS_FOREGROUND: '1' } });
  try {
    await waitFor(`${ifname}'s UAPI socket`, 10_000, () => (existsSync(join(lab.wireguardDir('client'), `${ifname}.sock`)) ? true : undefined), 20);
    const conf = join(lab.dir, `${way}-wg.conf`);
    const privateKey = PRIVATE_KEY.exec(server.clientConf)?.[1] ?? '';
    // Only the tunnel's far end is routed into the tunnel: the attempt proves the path, nothing else of
    // the client's traffic changes.
    writeFileSync(conf, `[Interface]\nPrivateKey = ${privateKey}\n\n[Peer]\nPublicKey = ${server.serverPublicKey}\nEndpoint = ${endpoint}\nAllowedIPs = ${a.vpnTunnelServer}/32\n`, { mode: 0o600 });
    await lab.exec('client', ['wg', 'setconf', ifname, conf]);
    await lab.exec('client', ['ip', 'addr', 'add', `${a.vpnTunnelClient}/32`, 'peer', `${a.vpnTunnelServer}/32`, 'dev', ifname]);
    await lab.exec('client', ['ip', 'link', 'set', ifname, 'mtu', '1380', 'up']);
    const deadline = started + opts.timeoutMs;
    while (Date.now() < deadline) {
      if ((await pingOnce(lab, a.vpnTunnelServer)) !== undefined) {
        const ms = Date.now() - started;
        const burst = await pingBurst(lab, a.vpnTunnelServer);
        return { way, through: true, ms, ...(burst === undefined ? {} : { burstMaxMs: burst }), evidence: `ping through ${ifname} to ${a.vpnTunnelServer} answered` };
      }
      for (const helper of helpers) if (!helper.running()) return { way, through: false, ms: Date.now() - started, evidence: `helper exited: ${helper.log().slice(-300)}` };
    }
    const shown = await lab.exec('client', ['wg', 'show', ifname, 'transfer'], { check: false });
    return { way, through: false, ms: Date.now() - started, evidence: `no handshake within ${opts.timeoutMs} ms (wg transfer: ${shown.stdout.trim() || 'none'})` };
  } finally {
    await wg.stop();
    for (const helper of helpers) await helper.stop();
  }
}

async function torAttempt(lab: Lab, way: Way, opts: AttemptOptions, started: number): Promise<Attempt> {
  const tor = lab.tor;
  if (tor === undefined) throw new Error('this lab runs no Tor network');
  const client = startTorClient(lab, { name: `${way}-${Date.now()}`, ...(way === 'tor-obfs4' ? { bridges: [tor.bridgeLine] } : {}) });
  try {
    await client.waitForBootstrap(opts.timeoutMs);
    return { way, through: true, ms: Date.now() - started, evidence: 'Bootstrapped 100%' };
  } catch {
    return { way, through: false, ms: Date.now() - started, evidence: `stalled at Bootstrapped ${client.progress()}%` };
  } finally {
    await client.stop();
  }
}

export async function attempt(lab: Lab, way: Way, opts: AttemptOptions): Promise<Attempt> {
  const started = Date.now();
  const result = way.startsWith('tor') ? await torAttempt(lab, way, opts, started) : await wireguardAttempt(lab, way, opts, started);
  // wireguard-go removes its interface on exit, a little after the process is gone.
  await sleep(50);
  return result;
}
