// A host in memory for renderer tests: answers commands from handlers (or `not_implemented`), records
// every call, and pushes events on demand through the same contract client the app uses.
import { createContractClient, type CommandName, type ContractTransport, type Snapshot } from '../../../app/contract/index.js';
import { BurrowError, DEFAULT_SETTINGS, toErrorInfo } from '../../../app/domain/index.js';
import type { HostLink, LinkCallbacks } from '../../../renderer/src/host/host-link.js';

type Handler = (params: unknown) => unknown;

export function makeSnapshot(patch: Partial<Snapshot> = {}): Snapshot {
  return {
    state: { state: 'disconnected', lockedDown: false },
    settings: structuredClone(DEFAULT_SETTINGS),
    profiles: [],
    networks: [
      { network: 'wireguard', label: 'WireGuard VPN', available: true },
      { network: 'tor', label: 'Tor', available: false, reason: 'tor is not installed.' },
    ],
    versions: { burrow: '0.1.0-test', helpers: [] },
    notices: [],
    ...patch,
  };
}

export class FakeHost {
  readonly calls: Array<{ method: CommandName; params: unknown }> = [];
  readonly handlers: Partial<Record<CommandName, Handler>> = {};
  private listeners = new Set<(raw: unknown) => void>();
  private callbacks: LinkCallbacks | null = null;
  readyCalls = 0;

  constructor(public snapshot: Snapshot = makeSnapshot()) {
    this.handlers.getSnapshot = () => this.snapshot;
    this.handlers.getLogs = () => [];
    this.handlers.getHistory = () => ({ connections: [], leaks: [], measurements: [] });
  }

  on(method: CommandName, handler: Handler): this {
    this.handlers[method] = handler;
    return this;
  }

  emit(event: string, data: unknown): void {
    for (const listener of this.listeners) listener({ event, data });
  }

  /** The link ends, as a closed socket would. */
  drop(reason: string): void {
    this.callbacks?.close(reason);
  }

  callsOf(method: CommandName): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params);
  }

  link(): HostLink {
    const transport: ContractTransport = {
      call: async (method, params) => {
        this.calls.push({ method, params });
        await Promise.resolve();
        const handler = this.handlers[method];
        try {
          if (!handler) throw new BurrowError('not_implemented', `${method} is not built yet in this version of Burrow.`);
          return { id: 1, ok: true, result: await handler(params) };
        } catch (error) {
          return { id: 1, ok: false, error: toErrorInfo(error) };
        }
      },
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    };
    return {
      description: 'the fake host',
      canReconnect: true,
      connect: (callbacks) => {
        this.callbacks = callbacks;
        callbacks.open(createContractClient(transport), () => {
          this.readyCalls++;
        });
        return () => {
          this.callbacks = null;
        };
      },
    };
  }
}
