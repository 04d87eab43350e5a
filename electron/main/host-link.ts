// The shape of the host the desktop shell needs: app/host/create-host.ts provides it (the same host
// `burrow host` runs headless). Kept as a local interface so the shell compiles and is tested against
// exactly what it uses, nothing more.
import type { CommandHandlers, EventName, Snapshot } from '../../app/contract/index.js';

export interface HostLike {
  readonly handlers: CommandHandlers;
  /** Every event the host pushes; returns an unsubscribe function. Payloads match app/contract/events.ts. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  snapshot(): Promise<Snapshot>;
  /** The host's log (shown on the Logs page): the shell's refusals and warnings go there too. */
  log(level: 'debug' | 'info' | 'warn' | 'error', source: string, message: string): void;
  close(): Promise<void>;
}

export interface HostFactoryOptions {
  dataDir: string;
  /** netd's socket (--netd / BURROW_NETD); without it the host says the kill switch cannot be enforced. */
  netdSocket?: string;
  /** Log lines also to stderr, for a person who started the app from a terminal. */
  logMirror?: (line: string) => void;
}

export type HostFactory = (options: HostFactoryOptions) => Promise<HostLike>;

/** Close the host, but never let a stuck close keep the app from quitting. */
export async function closeWithin(host: Pick<HostLike, 'close'>, ms: number): Promise<'closed' | 'timeout' | 'failed'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([host.close().then(() => 'closed' as const, () => 'failed' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
