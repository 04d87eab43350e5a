// What the store needs from a front door: open a session with the host, be told when it ends.
// Two implementations: the Electron preload bridge and a WebSocket to `burrow host --web`.
import type { ContractClient } from '../../../app/contract/index.js';

export interface LinkCallbacks {
  /** The session is usable; call `ready()` once every event listener is attached. */
  open(client: ContractClient, ready: () => void): void;
  /** The session ended or never started; `reason` is a sentence for the person. */
  close(reason: string): void;
}

export interface HostLink {
  /** Where the host is, for the "cannot reach" screen. */
  readonly description: string;
  /** Whether trying again can help (a socket can be reopened; the Electron bridge cannot). */
  readonly canReconnect: boolean;
  /** Opens one session; the returned function ends it without calling `close`. */
  connect(callbacks: LinkCallbacks): () => void;
}
