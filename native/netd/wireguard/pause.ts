// The kill-switch probe's interruption: for a few seconds the tunnel is as broken as it can get without
// being torn down. wireguard-go is stopped (SIGSTOP: the interface, its keys and session stay, so it comes
// back in milliseconds) AND the tunnel's routing rules are lifted, so unmarked traffic follows the main
// table straight out of the physical interface, as it would if routing ever went wrong. Only the firewall
// is left between that traffic and the outside: what it refuses is counted by its named counters, and a
// capture on the outside interface shows whether anything got past. Stopping the helper alone would prove
// nothing: routing would still send everything into the dead tun device.
//
// While paused, wgStatus answers with the peers as they were just before (a stopped wireguard-go cannot
// answer its UAPI socket), so the host's health loop does not take the probe for a lost tunnel; if the
// process really exits meanwhile, that still shows. netd resumes by itself after maxMs (a host that dies
// mid-probe must not leave the person offline), and before a tunnel is taken down.
import type { Runner } from '../exec.js';
import type { Logger } from '../log.js';
import { tunnelRules, type Family } from './routing.js';
import type { PeerStatus } from './uapi.js';
import { stopOrContinue } from '../stop-continue.js';

export interface PauseTarget {
  ifname: string;
  table: number;
  fwmark: number;
  /** wireguard-go's pid while it runs; undefined for a kernel interface. */
  pid: number | undefined;
}

interface Paused {
  target: PauseTarget;
  lifted: Family[];
  peers: PeerStatus[];
  timer: NodeJS.Timeout;
}

export interface PauseResult {
  ifname: string;
  paused: boolean;
  helperPid: number | null;
  liftedFamilies: Family[];
}


export class TunnelPauses {
  private readonly paused = new Map<string, Paused>();

  constructor(
    private readonly run: Runner,
    private readonly logger: Logger,
  ) {}

  isPaused(ifname: string): boolean {
    return this.paused.has(ifname);
  }

  /** The peers as they were when the pause began. */
  peersOf(ifname: string): PeerStatus[] | undefined {
    return this.paused.get(ifname)?.peers;
  }

  async pause(target: PauseTarget, peers: PeerStatus[], maxMs: number): Promise<PauseResult> {
    const existing = this.paused.get(target.ifname);
    if (existing) return describe(existing, true);
    const lifted: Family[] = [];
    for (const family of ['-4', '-6'] as const) {
      // The `not fwmark` rule first: if it is not there, this family has no tunnel default to lift.
      const [notMarked, ...rest] = tunnelRules(target.fwmark, target.table);
      const removed = await this.run('ip', [family, 'rule', 'del', ...(notMarked?.del ?? [])], { allowFailure: true });
      if (removed.code !== 0) continue;
      for (const rule of rest) await this.run('ip', [family, 'rule', 'del', ...rule.del], { allowFailure: true });
      lifted.push(family);
    }
    if (target.pid !== undefined) stopOrContinue(target.pid, 'SIGSTOP');
    const entry: Paused = {
      target,
      lifted,
      peers,
      timer: setTimeout(() => {
        this.logger.log('warn', 'kill-switch probe pause ran out; resuming the tunnel by itself', { ifname: target.ifname, maxMs });
        void this.resume(target.ifname).catch(() => undefined);
      }, maxMs),
    };
    this.paused.set(target.ifname, entry);
    this.logger.log('info', 'tunnel paused for the kill-switch probe', { ifname: target.ifname, pid: target.pid ?? null, lifted });
    return describe(entry, true);
  }

  /** Puts the rules back and lets the helper run. */
  async resume(ifname: string): Promise<PauseResult> {
    const entry = this.release(ifname);
    if (!entry) return { ifname, paused: false, helperPid: null, liftedFamilies: [] };
    for (const family of entry.lifted) {
      for (const rule of tunnelRules(entry.target.fwmark, entry.target.table)) await this.run('ip', [family, 'rule', 'add', ...rule.add]);
    }
    this.logger.log('info', 'tunnel resumed after the kill-switch probe', { ifname });
    return describe(entry, false);
  }

  /** Lets the helper run again without touching routing (the tunnel is about to be taken down). */
  release(ifname: string): Paused | undefined {
    const entry = this.paused.get(ifname);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.paused.delete(ifname);
    if (entry.target.pid !== undefined) stopOrContinue(entry.target.pid, 'SIGCONT');
    return entry;
  }
}

function describe(entry: Paused, paused: boolean): PauseResult {
  return { ifname: entry.target.ifname, paused, helperPid: entry.target.pid ?? null, liftedFamilies: [...entry.lifted] };
}
