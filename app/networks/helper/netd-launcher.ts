// The proxy networks' helpers started by netd, for a host that is not root (app/contract/netd-helpers.ts):
// netd runs nym-socks5-client or myst under Burrow's own user (burrow-nym, burrow-dvpn), the one uid the
// system-wide kill switch lets out. The host sees the same surface as for a helper it started itself: the
// lines (read from netd every POLL_MS), the exit, the stop.
import { BurrowError } from '../../domain/errors.js';
import { missingUserMessage, NETD_HELPERS, type NetdHelperName } from '../../contract/index.js';
import type { NetdClient } from '../../netd/client.js';
import { HelperLines } from './helper-lines.js';
import type { HelperLauncher, HelperRunResult, SupervisedHelper } from './launcher.js';
import type { HelperExit } from './process.js';
import { lookupUser, type HelperUser } from './user.js';

const POLL_MS = 150;
/** netd not answering this many reads in a row: the helper is taken as gone (netd stops its helpers as it stops). */
const LOST_AFTER_FAILURES = 5;
const KEEP_LINES = 300;

class NetdHelper implements SupervisedHelper {
  readonly exited: Promise<HelperExit>;
  private exit: HelperExit | undefined;
  private readonly output = new HelperLines(KEEP_LINES);
  private resolveExit: (exit: HelperExit) => void = () => undefined;
  private after = 0;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly netd: NetdClient,
    private readonly helper: NetdHelperName,
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
    this.schedule();
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  get exitInfo(): HelperExit | undefined {
    return this.exit;
  }

  recent(count = 20): string[] {
    return this.output.recent(count);
  }

  all(): readonly string[] {
    return this.output.all();
  }

  onLine(listener: (line: string) => void): () => void {
    return this.output.onLine(listener);
  }

  /** netd sends the clean-stop signal and SIGKILL after 3 s; the last lines are read before it counts as gone. */
  async stop(): Promise<void> {
    if (this.exit !== undefined) return;
    try {
      await this.netd.call('helperStop', { helper: this.helper }, 10_000);
      await this.poll();
    } catch {
      // netd gone: so are its helpers.
    }
    this.finish({ code: null, signal: 'SIGINT' });
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.poll().finally(() => this.exit === undefined && this.schedule()), POLL_MS);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.exit !== undefined) return;
    try {
      const read = await this.netd.call('helperRead', { helper: this.helper, after: this.after }, 5000);
      this.failures = 0;
      this.after = read.next;
      for (const line of read.lines) this.push(line);
      if (!read.running) this.finish({ code: read.code, signal: read.signal as NodeJS.Signals | null });
    } catch (error) {
      this.failures += 1;
      if (this.failures >= LOST_AFTER_FAILURES) {
        this.push(`netd stopped answering (${error instanceof Error ? error.message : String(error)}): the helper it ran is taken as gone`);
        this.finish({ code: null, signal: null });
      }
    }
  }

  private push(line: string): void {
    this.output.push(line);
  }

  private finish(exit: HelperExit): void {
    if (this.exit !== undefined) return;
    this.exit = exit;
    clearTimeout(this.timer);
    this.resolveExit(exit);
  }
}

/** The helper's user as the host can know it without netd: Burrow's user for it, from the passwd database. */
function burrowUser(helper: NetdHelperName, lookup: (name: string) => { uid: number; gid: number } | undefined): HelperUser {
  const spec = NETD_HELPERS[helper];
  const found = lookup(spec.user);
  if (found === undefined) throw new BurrowError('network_unavailable', missingUserMessage(spec.user, spec.what), { user: spec.user });
  // The home is netd's to make; until the first prepare() it is not known here.
  return { name: spec.user, uid: found.uid, gid: found.gid, home: '', dedicated: true };
}

export function netdLauncher(netd: NetdClient, helper: NetdHelperName, lookup: (name: string) => { uid: number; gid: number } | undefined = lookupUser): HelperLauncher {
  let prepared: HelperUser | undefined;
  return {
    user: () => prepared ?? burrowUser(helper, lookup),
    async prepare() {
      const answer = await netd.call('helperPrepare', { helper });
      prepared = { name: answer.user, uid: answer.uid, gid: answer.gid, home: answer.home, dedicated: true };
      return prepared;
    },
    async run(_binary, argv, o): Promise<HelperRunResult> {
      // netd stops it after timeoutMs; the host waits a little longer for that answer. A cancel stops the
      // wait only: the run ends at netd's limit (init and --version have no side effect a retry minds).
      const call = netd.call('helperRun', { helper, args: [...argv], timeoutMs: Math.max(1000, o.timeoutMs) }, o.timeoutMs + 10_000);
      const answer = await (o.signal === undefined
        ? call
        : Promise.race([
            call,
            new Promise<never>((_, reject) => {
              const abort = (): void => reject(o.signal?.reason instanceof Error ? o.signal.reason : new BurrowError('cancelled', 'Cancelled.'));
              if (o.signal?.aborted === true) abort();
              o.signal?.addEventListener('abort', abort, { once: true });
            }),
          ]));
      return { exit: { code: answer.code, signal: answer.signal as NodeJS.Signals | null }, stdout: answer.lines.join('\n'), lines: answer.lines };
    },
    async start(_binary, argv) {
      await netd.call('helperStart', { helper, args: [...argv] }, 15_000);
      return new NetdHelper(netd, helper);
    },
    clientConfig:
      helper === 'nym'
        ? {
            read: async (clientId) => (await netd.call('helperReadConfig', { helper: 'nym', clientId })).text,
            write: async (clientId, text) => void (await netd.call('helperWriteConfig', { helper: 'nym', clientId, text })),
          }
        : undefined,
  };
}

