// What every measurement shares: how its traffic leaves the host (route), where it goes (target), how
// it reports progress, and the shape it is stored in (a Measurement with its conditions).
import { BurrowError, type Measurement, type NetworkKind } from '../domain/index.js';

export interface Socks5Route {
  host: string;
  port: number;
}

/**
 * How a measurement's sockets reach the target. `system`: plain sockets of the host process, which a
 * system-wide tunnel (WireGuard, system-wide Tor) carries because the host's traffic goes through it;
 * `socks5`: through the network's SOCKS proxy (Tor in proxy mode), names resolved at the far end.
 */
export type Route = { kind: 'system' } | { kind: 'socks5'; proxy: Socks5Route };

export const SYSTEM_ROUTE: Route = { kind: 'system' };

export function describeRoute(route: Route): string {
  return route.kind === 'system' ? 'system (the host’s own sockets)' : `socks5 ${route.proxy.host}:${route.proxy.port}`;
}

/** Who the measurement was for: stored with every number. */
export interface MeasureSubject {
  network: NetworkKind | null;
  profileId: string | null;
  profileName?: string;
  /** The Measure-all run this belongs to, if any. */
  runId?: string;
}

export interface StepProgress {
  /** 0..100 within this measurement. */
  percent: number;
  message: string;
}

export type ProgressListener = (progress: StepProgress) => void;

export type NewMeasurement = Omit<Measurement, 'id'>;

/** Epoch milliseconds with sub-millisecond resolution (monotonic within this process). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export function cancelledError(signal: AbortSignal | undefined): BurrowError {
  const reason: unknown = signal?.reason;
  if (reason instanceof BurrowError) return reason;
  return new BurrowError('cancelled', 'The measurement was cancelled.');
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw cancelledError(signal);
}

/** Resolves after `ms`, or rejects as cancelled as soon as the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(cancelledError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
