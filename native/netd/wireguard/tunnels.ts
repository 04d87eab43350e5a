// WireGuard interfaces netd owns: up (kernel module where present, else wireguard-go), down, status, and
// the cleanup of tunnels a previous netd left behind. Keys reach the interface over the UAPI socket or
// `wg setconf` from a private file (kernel-config.ts): never argv, never the log, never an error message.
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { WgStatus, WgUpRequest } from '../../../app/contract/index.js';
import { BurrowError } from '../../../app/domain/index.js';
import type { Runner } from '../exec.js';
import type { Logger } from '../log.js';
import type { StateFile, TunnelRecord } from '../state-file.js';
import { wgSetconf } from './kernel-config.js';
import { TunnelPauses, type PauseResult } from './pause.js';
import { BURROW_TABLE, bringUp, planRoutes, tearDownRouting } from './routing.js';
import { parseUapiGet, parseWgDump, uapiExchange, uapiSetRequest, wgSetconfText, type PeerStatus } from './uapi.js';
import { WireguardGo } from './userspace.js';

interface Tunnel {
  ifname: string;
  table: number;
  fwmark: number;
  implementation: 'kernel' | 'userspace';
  process: WireguardGo | undefined;
}

export interface TunnelDeps {
  run: Runner;
  logger: Logger;
  state: StateFile;
  /** Tests and machines without the module force wireguard-go. */
  userspaceOnly?: boolean;
  wireguardGo?: string;
}

const linkExists = (ifname: string): boolean => existsSync(`/sys/class/net/${ifname}`);

export class Tunnels {
  private readonly tunnels = new Map<string, Tunnel>();
  private readonly pauses: TunnelPauses;

  constructor(private readonly deps: TunnelDeps) {
    this.pauses = new TunnelPauses(deps.run, deps.logger);
  }

  /** The tunnel the resolver should send names to (dns/resolved.ts), if one is up. */
  activeLink(): string | undefined {
    return [...this.tunnels.keys()].find((ifname) => linkExists(ifname));
  }

  /** Kill-switch probe: see pause.ts. */
  async pause(ifname: string, maxMs: number): Promise<PauseResult> {
    const tunnel = this.tunnels.get(ifname);
    if (!tunnel || !linkExists(ifname)) throw new BurrowError('not_found', `There is no tunnel ${ifname} to pause.`);
    if (tunnel.process && !tunnel.process.state.alive) throw new BurrowError('helper_failed', `wireguard-go for ${ifname} is not running; there is nothing to pause.`);
    const peers = this.pauses.isPaused(ifname) ? [] : (await this.status(ifname)).peers;
    return this.pauses.pause({ ifname, table: tunnel.table, fwmark: tunnel.fwmark, pid: tunnel.process?.state.pid }, peers, maxMs);
  }

  resume(ifname: string): Promise<PauseResult> {
    return this.pauses.resume(ifname);
  }

  async up(request: WgUpRequest): Promise<{ ifname: string; implementation: 'kernel' | 'userspace'; ms: number }> {
    const started = performance.now();
    const { ifname } = request;
    // Connect after a lost tunnel: whatever is left of the old one goes first.
    await this.down(ifname);
    const tunnel = await this.createLink(ifname, request.fwmark);
    this.tunnels.set(ifname, tunnel);
    this.persist();
    try {
      if (tunnel.process) await uapiExchange(tunnel.process.socketPath, uapiSetRequest(request));
      else await wgSetconf(this.deps.run, this.deps.state.dir, ifname, wgSetconfText(request));
      await bringUp(this.deps.run, {
        ifname,
        addresses: request.addresses,
        mtu: request.mtu,
        fwmark: request.fwmark,
        table: tunnel.table,
        plan: planRoutes(request.peers.flatMap((peer) => peer.allowedIps)),
      });
    } catch (error) {
      await this.down(ifname);
      throw error;
    }
    this.deps.logger.log('info', 'tunnel up', {
      ifname,
      implementation: tunnel.implementation,
      endpoints: request.peers.map((peer) => `${peer.endpoint.ip}:${peer.endpoint.port}`),
      addresses: request.addresses,
    });
    return { ifname, implementation: tunnel.implementation, ms: Math.round(performance.now() - started) };
  }

  async down(ifname: string): Promise<{ removed: boolean }> {
    const tunnel = this.tunnels.get(ifname);
    const known = tunnel ?? this.deps.state.tunnels().find((record) => record.ifname === ifname);
    const existed = known !== undefined || linkExists(ifname);
    if (!existed) return { removed: false };
    this.pauses.release(ifname);
    await tearDownRouting(this.deps.run, ifname, known?.table ?? BURROW_TABLE);
    if (tunnel?.process) await tunnel.process.stop();
    else if (known && 'pid' in known && known.pid !== null) killStale(known.pid, ifname);
    if (linkExists(ifname)) await this.deps.run('ip', ['link', 'del', 'dev', ifname], { allowFailure: true });
    this.tunnels.delete(ifname);
    this.persist(ifname);
    this.deps.logger.log('info', 'tunnel down', { ifname });
    return { removed: true };
  }

  async status(ifname: string): Promise<WgStatus> {
    const tunnel = this.tunnels.get(ifname);
    const exists = linkExists(ifname);
    // A stopped wireguard-go cannot answer its socket: while paused, the peers as they were before.
    const pausedPeers = this.pauses.peersOf(ifname);
    let peers: PeerStatus[] = [];
    if (pausedPeers !== undefined) peers = pausedPeers;
    else if (exists && tunnel?.process?.state.alive) {
      peers = parseUapiGet(await uapiExchange(tunnel.process.socketPath, 'get=1\n\n').catch(() => ''));
    } else if (exists && tunnel?.implementation === 'kernel') {
      const dump = await this.deps.run('wg', ['show', ifname, 'dump'], { allowFailure: true });
      peers = dump.code === 0 ? parseWgDump(dump.stdout) : [];
    }
    return {
      ifname,
      exists,
      implementation: tunnel?.implementation ?? null,
      process: tunnel?.process ? { ...tunnel.process.state } : null,
      peers,
    };
  }

  /** Startup: undo every tunnel the state file lists (a previous netd's, now without an owner). */
  async recover(): Promise<string[]> {
    const stale = this.deps.state.tunnels().map((record) => record.ifname);
    for (const ifname of stale) await this.down(ifname);
    this.persist();
    return stale;
  }

  /** Shutdown: tunnels go, the firewall stays (fail closed). */
  async downAll(): Promise<void> {
    for (const ifname of [...this.tunnels.keys()]) await this.down(ifname);
  }

  private async createLink(ifname: string, fwmark: number): Promise<Tunnel> {
    const table = BURROW_TABLE;
    // Chosen at connect time: the kernel module where `ip link add type wireguard` works (it autoloads),
    // else wireguard-go. wgUp's answer and wgStatus say which.
    if (this.deps.userspaceOnly !== true) {
      const kernel = await this.deps.run('ip', ['link', 'add', 'dev', ifname, 'type', 'wireguard'], { allowFailure: true });
      if (kernel.code === 0) return { ifname, table, fwmark, implementation: 'kernel', process: undefined };
    }
    const helper = new WireguardGo(ifname, this.deps.logger, this.deps.wireguardGo);
    try {
      await helper.ready();
    } catch (error) {
      await helper.stop();
      throw error;
    }
    return { ifname, table, fwmark, implementation: 'userspace', process: helper };
  }

  private persist(removed?: string): void {
    const records: TunnelRecord[] = [...this.tunnels.values()].map((tunnel) => ({
      ifname: tunnel.ifname,
      table: tunnel.table,
      implementation: tunnel.implementation,
      pid: tunnel.process?.state.pid ?? null,
    }));
    // Records of a previous netd stay until they are cleaned up, unless this call just did that.
    const carried = this.deps.state.tunnels().filter((record) => record.ifname !== removed && !this.tunnels.has(record.ifname));
    this.deps.state.save([...records, ...carried]);
  }
}

/** A wireguard-go a previous netd started: only killed if the pid still runs wireguard-go for this interface. */
function killStale(pid: number, ifname: string): void {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  const argv = cmdline.split('\0');
  if (!argv[0]?.endsWith('wireguard-go') || !argv.includes(ifname)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}
