// The shape of the host the desktop shell needs: app/host/create-host.ts provides it (the same host
// `burrow host` runs headless). Kept as a local interface so the shell compiles and is tested against
// exactly what it uses, nothing more.
import type { CommandHandlers, EventName, Snapshot } from '../../app/contract/index.js';

export interface HostLike {
  readonly handlers: CommandHandlers;
  /** Every event the host pushes; returns an unsubscribe function. Payloads match app/contract/events.ts. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  snapshot(): Promise<Snapshot>;
  close(): Promise<void>;
}

export interface HostFactoryOptions {
  dataDir: string;
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
