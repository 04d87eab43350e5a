// While connected: watch the tunnel through netd once a second and report the first sign it is gone — the
// interface vanished, wireguard-go exited, or no handshake for longer than WireGuard ever goes without one
// on a live tunnel with keep-alives (REJECT_AFTER_TIME, 180 s). Details are refreshed now and then.
import type { ErrorInfo } from '../../domain/index.js';
import { NETD_AWAY, type WgStatus } from '../../contract/index.js';

export const STALE_HANDSHAKE_S = 180;

/** Why this status means the tunnel is lost, or undefined while it is fine. */
export function judgeStatus(status: WgStatus, nowSec: number, staleAfterS = STALE_HANDSHAKE_S): ErrorInfo | undefined {
  const helper = status.process;
  if (helper !== null && !helper.alive) {
    const how = helper.signal !== null ? `was killed by ${helper.signal}` : `exited with code ${helper.exitCode ?? "?"}`;
    return { code: 'helper_failed', message: `wireguard-go ${how}; the tunnel is down. Burrow reconnects while the kill switch holds.`, evidence: { ...helper } };
  }
  if (!status.exists) {
    return { code: 'helper_failed', message: `The WireGuard interface ${status.ifname} disappeared; the tunnel is down.`, evidence: { ifname: status.ifname } };
  }
  const latest = Math.max(0, ...status.peers.map((peer) => peer.lastHandshakeSec));
  const age = latest === 0 ? Number.POSITIVE_INFINITY : nowSec - latest;
  if (age > staleAfterS) {
    return {
      code: 'handshake_timeout',
      message: `No handshake with the VPN server for ${Number.isFinite(age) ? `${Math.round(age)} s` : 'the whole session'}: the server is not answering.`,
      evidence: { lastHandshakeSec: latest, staleAfterS },
    };
  }
  return undefined;
}

export interface HealthLoopOptions {
  poll(): Promise<WgStatus>;
  onLost(cause: ErrorInfo): void;
  onStatus?(status: WgStatus): void;
  intervalMs?: number;
  staleAfterS?: number;
  /** Consecutive failed polls (netd gone) before the tunnel counts as lost. */
  maxPollFailures?: number;
}

/** Starts the loop; the returned function stops it. */
export function startHealthLoop(options: HealthLoopOptions): () => void {
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      const status = await options.poll();
      failures = 0;
      if (stopped) return;
      const lost = judgeStatus(status, Date.now() / 1000, options.staleAfterS);
      if (lost) {
        stopped = true;
        options.onLost(lost);
        return;
      }
      options.onStatus?.(status);
    } catch (error) {
      failures++;
      if (failures >= (options.maxPollFailures ?? 3) && !stopped) {
        stopped = true;
        options.onLost({ code: 'netd_unavailable', message: `Burrow lost contact with netd: ${error instanceof Error ? error.message : String(error)}`, evidence: { ...NETD_AWAY } });
        return;
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), options.intervalMs ?? 1000);
  };
  timer = setTimeout(() => void tick(), options.intervalMs ?? 1000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
