// How a proxy network's helper (nym-socks5-client, myst) gets started: by the host itself (as the person, or
// under Burrow's own user when the host is root), or by netd under Burrow's own user for a host that is not
// root (netd-launcher.ts): what system-wide mode needs on a desktop. Drivers see one surface either way.
import { HelperProcess, runHelper, type HelperExit } from './process.js';
import type { HelperUser } from './user.js';


/** A running helper as a driver watches it: its lines as events, its exit, its stop. */
export interface SupervisedHelper {
  readonly exited: Promise<HelperExit>;
  readonly running: boolean;
  readonly exitInfo: HelperExit | undefined;
  /** The last lines it printed. */
  recent(count?: number): string[];
  /** Every line kept so far. */
  all(): readonly string[];
  onLine(listener: (line: string) => void): () => void;
  /** Its clean-stop signal, then SIGKILL; resolves once it is gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface HelperRunResult {
  exit: HelperExit;
  stdout: string;
  lines: string[];
}

export interface HelperLauncher {
  /** Who runs the helper, known without starting anything (for refusals and the firewall's allowance). */
  user(): HelperUser;
  /** The same, with its home ready. */
  prepare(): Promise<HelperUser>;
  /** Runs to completion (`--version`, `init`). `env` is what the host would give; netd sets its own. */
  run(binary: string, argv: readonly string[], o: { env: Record<string, string>; timeoutMs: number; signal?: AbortSignal }): Promise<HelperRunResult>;
  start(binary: string, argv: readonly string[], o: { env: Record<string, string> }): Promise<SupervisedHelper>;
  /**
   * The Nym client's config.toml, where the host cannot open it itself (netd's helpers: the client makes it
   * 0600 under its own uid). Undefined: the host edits the file in `user().home` directly.
   */
  clientConfig?: { read(clientId: string): Promise<string>; write(clientId: string, text: string): Promise<void> } | undefined;
}

/** The host starts the helper itself, as `user()` (the person, or Burrow's user for a root host). */
export function localLauncher(user: () => HelperUser): HelperLauncher {
  return {
    user,
    prepare: () => Promise.resolve(user()),
    run: (binary, argv, o) => runHelper(binary, argv, { user: user(), env: o.env, timeoutMs: o.timeoutMs, ...(o.signal === undefined ? {} : { signal: o.signal }) }),
    start: (binary, argv, o) => Promise.resolve(HelperProcess.start(binary, argv, { user: user(), env: o.env })),
  };
}
