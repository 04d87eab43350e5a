// When to try again after a failed attempt, and how long to wait first.
import type { ErrorInfo } from '../domain/index.js';

/**
 * Failures that another attempt can fix; a bad profile or a missing helper will not fix itself. A firewall
 * that could not be applied is retried too: netd may have been busy or restarting.
 */
const RETRIABLE = new Set<ErrorInfo['code']>(['handshake_timeout', 'helper_failed', 'timeout', 'host_unreachable', 'firewall_failed']);

export const MAX_ATTEMPTS = 5;

export function shouldRetry(cause: ErrorInfo, attempt: number): boolean {
  // netd away (restarting under systemd) comes back; a host started without netd does not.
  const netdAway = cause.code === 'netd_unavailable' && cause.evidence?.netd === 'away';
  return (RETRIABLE.has(cause.code) || netdAway) && attempt < MAX_ATTEMPTS;
}

/** 0 for the first attempt, then 1 s, 2 s, 4 s, ... capped at 30 s. */
export function backoffMs(attempt: number): number {
  return attempt <= 1 ? 0 : Math.min(30_000, 1000 * 2 ** (attempt - 2));
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
