// Tries that may fail for a moment right after a tunnel comes up (a fresh Tor client can refuse its first
// streams until it has an exit's descriptor): try again until a deadline, counting the failures so they
// are stored with the number instead of hidden. A cancellation is never retried.
import { BurrowError } from '../domain/index.js';
import { pause, preciseNow } from './types.js';

export interface RetryOptions {
  /** Give up once this much time has passed since the first try (default 20 s). */
  withinMs?: number;
  /** Pause between tries (default 250 ms). */
  pauseMs?: number;
  signal?: AbortSignal;
}

export async function retrying<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<{ value: T; failures: number; lastError?: string }> {
  const deadline = preciseNow() + (options.withinMs ?? 20_000);
  let failures = 0;
  let lastError: string | undefined;
  for (;;) {
    try {
      const value = await work();
      return lastError === undefined ? { value, failures } : { value, failures, lastError };
    } catch (error) {
      if (error instanceof BurrowError && error.code === 'cancelled') throw error;
      failures += 1;
      lastError = error instanceof Error ? error.message : String(error);
      const wait = options.pauseMs ?? 250;
      if (preciseNow() + wait >= deadline) throw error;
      await pause(wait, options.signal);
    }
  }
}
