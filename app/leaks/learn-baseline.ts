// The no-tunnel baseline, learned in passing: whenever the host is disconnected and not locked down (at
// start, before the first connect, after a disconnect) it asks the leak server once which address it sees.
// That is the person's own address, so the first leak test through a tunnel can tell "still your own
// address" from "someone else's" without asking the person to disconnect and run the tests first.
// Only an answer from a moment that stayed disconnected from start to end counts: if the state changes
// while the probe runs, the probe is aborted and its answer dropped (it might have gone through a tunnel).
import type { TunnelState } from '../domain/index.js';
import { ipv4Target, ipv6Target, observe } from './exit-ip.js';
import type { LeakBaseline } from './types.js';

export interface LeakServerUrls {
  url: string;
  urlV6?: string | undefined;
}

export interface BaselineLearnerOptions {
  /** The leak server to ask, read at each attempt; an empty URL means "do not ask". */
  server(): LeakServerUrls;
  now?: () => Date;
  /** Test seam: how one address is asked for (default: the exit-IP test's own request). */
  ask?: typeof observe;
  /** Each request's deadline, ms. */
  timeoutMs?: number;
}

export interface BaselineLearner {
  /** Tell it every state the supervisor enters and every settings change (call with the current state). */
  observe(state: TunnelState): void;
  /** The last baseline it learned, if any. */
  current(): LeakBaseline | undefined;
  /** Resolves when no probe is running (tests). */
  idle(): Promise<void>;
  stop(): void;
}

function isHttpUrl(text: string): boolean {
  try {
    const protocol = new URL(text).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

const openDisconnected = (state: TunnelState): boolean => state.state === 'disconnected' && !state.lockedDown;

export function createBaselineLearner(options: BaselineLearnerOptions): BaselineLearner {
  const now = options.now ?? (() => new Date());
  const ask = options.ask ?? observe;
  let learned: LeakBaseline | undefined;
  let running: { controller: AbortController; done: Promise<void>; server: string } | undefined;
  let stopped = false;

  const start = (server: LeakServerUrls): void => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000);
    const signal = controller.signal;
    const done = (async () => {
      const [v4, v6] = await Promise.all([
        ask(ipv4Target(server.url), { signal }),
        ask(ipv6Target(server.url, server.urlV6), { signal }),
      ]);
      // Aborted (state changed, stopped, deadline): whatever came back is not trusted.
      if (signal.aborted) return;
      const next: LeakBaseline = { measuredAt: now().toISOString() };
      if ('ip' in v4) next.v4 = v4.ip;
      if ('ip' in v6) next.v6 = v6.ip;
      if (next.v4 !== undefined || next.v6 !== undefined) learned = next;
    })()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        if (running?.controller === controller) running = undefined;
      });
    running = { controller, done, server: server.url };
  };

  return {
    observe(state) {
      if (stopped) return;
      if (!openDisconnected(state)) {
        running?.controller.abort();
        running = undefined;
        return;
      }
      const server = options.server();
      if (!isHttpUrl(server.url)) return;
      // Already asking this server in this disconnected spell: one probe is enough.
      if (running !== undefined && running.server === server.url) return;
      running?.controller.abort();
      start(server);
    },
    current: () => learned,
    idle: async () => {
      await running?.done;
    },
    stop() {
      stopped = true;
      running?.controller.abort();
      running = undefined;
    },
  };
}

/** The newer of two baselines (by measuredAt); a baseline with addresses beats none. */
export function newerBaseline(a: LeakBaseline | undefined, b: LeakBaseline | undefined): LeakBaseline | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const merged = (a.measuredAt ?? '') >= (b.measuredAt ?? '') ? { ...b, ...a } : { ...a, ...b };
  return merged;
}
