// One running tor, from its control port's point of view: authenticate, take ownership (tor exits when
// Burrow's connection does), follow bootstrap to 100% with the censorship watch, then keep the circuit
// details fresh and report tor's death. Mode-neutral: the launcher decided how tor was started.
import { BurrowError, toErrorInfo } from '../../domain/errors.js';
import type { ConnectionDetails } from '../../domain/tunnel-state.js';
import type { DriverSession, TunnelStats } from '../../supervisor/driver.js';
import { BootstrapWatch, type WatchOptions } from './bootstrap-watch.js';
import { connectionDetails, currentHops, isUserCircuit } from './circuit-details.js';
import type { CheckedTorConfig } from './config.js';
import { parseBootstrapProgress, TorControlClient, type TorEvent } from './control/index.js';
import type { LaunchedTor } from './launcher.js';
import { isRoutineWarning } from './tor-process.js';

const CONTROL_SOCKET_TIMEOUT_MS = 20_000;
const TICK_MS = 250;
const CIRCUIT_WAIT_MS = 3000;

export interface SessionOptions {
  launched: LaunchedTor;
  config: CheckedTorConfig;
  session: DriverSession;
  watch: Omit<WatchOptions, 'hasBridges'>;
  now?: () => number;
}

export class ActiveTor {
  private up = false;
  private closing = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private lastDetails: ConnectionDetails | undefined;
  /** The circuit the latest stream went out on: what "the current circuit" means to a person. */
  private lastStreamCircuit: string | undefined;

  private constructor(
    private readonly client: TorControlClient,
    private readonly launched: LaunchedTor,
    private readonly config: CheckedTorConfig,
    private readonly session: DriverSession,
    readonly torVersion: string | undefined,
  ) {}

  /** Starts following tor: resolves at 100% bootstrap with the details, rejects with a BurrowError. */
  static async bootstrap(options: SessionOptions): Promise<{ tor: ActiveTor; details: ConnectionDetails }> {
    const { launched, session } = options;
    const now = options.now ?? Date.now;
    const stopLog = launched.onLog((line) => {
      if (/\[(warn|err)\]/.test(line)) session.log(isRoutineWarning(line) ? 'debug' : 'warn', `tor: ${line.replace(/^.*?\[(warn|err)\]\s*/, '')}`);
    });
    let client: TorControlClient | undefined;
    try {
      await raceExit(launched, launched.ready(CONTROL_SOCKET_TIMEOUT_MS));
      client = await TorControlClient.connect({ path: launched.controlSocket, expectSocketOwner: launched.socketOwner });
      await client.authenticate(launched.auth);
      await client.takeOwnership();
      // Ownership now rides on this connection; tor no longer needs to poll Burrow's pid.
      await client.resetConf(['__OwningControllerProcess']);
      const version = (await client.getInfo('version').catch(() => '')).split(' ')[0] || undefined;
      const tor = new ActiveTor(client, launched, options.config, session, version);
      const details = await tor.followBootstrap(options.watch, now);
      return { tor, details };
    } catch (error) {
      stopLog();
      await client?.close().catch(() => undefined);
      await launched.stop();
      throw error instanceof BurrowError ? error : new BurrowError('helper_failed', toErrorInfo(error).message);
    }
  }

  private async followBootstrap(watchOptions: Omit<WatchOptions, 'hasBridges'>, now: () => number): Promise<ConnectionDetails> {
    const watch = new BootstrapWatch({ ...watchOptions, hasBridges: this.config.useBridges }, now());
    const cleanups: Array<() => void> = [];
    let reported = -1;
    const report = (): void => {
      const best = watch.progress;
      if (best !== undefined && best.progress !== reported) {
        reported = best.progress;
        this.session.progress({ percent: best.progress, phase: best.summary || best.tag });
      }
    };
    try {
      await new Promise<void>((resolve, reject) => {
        const settle = (): void => {
          const verdict = watch.check(now());
          if (verdict.kind === 'done') resolve();
          else if (verdict.kind === 'failed') reject(verdict.error);
        };
        cleanups.push(
          this.client.onEvent((event: TorEvent) => {
            if (event.type === 'STATUS_CLIENT' && event.bootstrap !== undefined) {
              watch.observe(event.bootstrap, now());
              report();
              settle();
            }
          }),
        );
        const timer = setInterval(settle, TICK_MS);
        cleanups.push(() => clearInterval(timer));
        const onAbort = (): void => reject(this.session.signal.reason instanceof Error ? this.session.signal.reason : new BurrowError('cancelled', 'Cancelled.'));
        if (this.session.signal.aborted) onAbort();
        this.session.signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => this.session.signal.removeEventListener('abort', onAbort));
        void this.launched.exited.then((error) => reject(error));
        cleanups.push(
          this.client.onClose((error) => {
            void this.closeCause(error).then(reject);
          }),
        );
        // Whatever tor did before we subscribed counts too (a warm start can be far along already).
        this.client
          .setEvents(['STATUS_CLIENT', 'CIRC', 'STREAM'])
          .then(() => this.client.getInfo('status/bootstrap-phase'))
          .then((phase) => {
            const status = parseBootstrapProgress(phase);
            if (status !== undefined) watch.observe(status, now());
            report();
            settle();
          })
          .catch(reject);
      });
    } finally {
      for (const cleanup of cleanups) cleanup();
    }
    this.up = true;
    this.client.onEvent((event) => {
      if (event.type === 'CIRC' && isUserCircuit(event.circuit)) this.scheduleRefresh();
      if (event.type === 'STREAM' && event.stream.status === 'SUCCEEDED' && event.stream.circuitId !== '0' && event.stream.circuitId !== this.lastStreamCircuit) {
        this.lastStreamCircuit = event.stream.circuitId;
        this.scheduleRefresh();
      }
      // Why a program's connection through Tor failed, for the log; never where it was going.
      if (event.type === 'STREAM' && event.stream.status === 'FAILED') {
        const remote = event.stream.remoteReason === undefined ? '' : `, the exit said ${event.stream.remoteReason}`;
        this.session.log('info', `tor: a stream failed on circuit ${event.stream.circuitId} (${event.stream.reason ?? 'no reason given'}${remote})`);
      }
    });
    this.watchDeath();
    // At 100% tor may still be finishing its first exit circuit; give it a moment for the details.
    let details = await this.details();
    for (let waited = 0; details.exitIp === undefined && waited < CIRCUIT_WAIT_MS && !this.closing; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      details = await this.details();
    }
    return details;
  }

  /** After connect: tor's death (or a dropped control connection) is reported once through session.lost. */
  private watchDeath(): void {
    const lost = (error: BurrowError): void => {
      if (this.closing) return;
      this.closing = true;
      this.session.lost(error.toInfo());
      void this.launched.stop();
    };
    void this.launched.exited.then(lost);
    this.client.onClose((error) => {
      if (error !== undefined) void this.closeCause(error).then(lost);
    });
  }

  /** The control connection closing usually means tor died: its exit (a moment later) says more. */
  private async closeCause(error: BurrowError | undefined): Promise<BurrowError> {
    if (this.launched.diagnose !== undefined) return this.launched.diagnose();
    const exit = await Promise.race([this.launched.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000))]);
    return exit ?? error ?? new BurrowError('helper_failed', 'Tor closed its control connection.');
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined || this.closing) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.details()
        .then((details) => {
          if (!this.closing && JSON.stringify(details) !== JSON.stringify(this.lastDetails)) {
            this.lastDetails = details;
            this.session.update(details);
          }
        })
        .catch(() => undefined);
    }, 300);
  }

  async details(): Promise<ConnectionDetails> {
    const bridges = this.config.useBridges ? this.config.parsedBridges : [];
    const hops = await currentHops(this.client, bridges, this.lastStreamCircuit).catch(() => undefined);
    const details = connectionDetails({
      mode: this.config.mode,
      socks: this.launched.socksAddress,
      torVersion: this.torVersion,
      hops,
      bridges: this.config.useBridges ? this.config.parsedBridges : [],
      ...(this.launched.transPort === undefined ? {} : { transPort: this.launched.transPort }),
      ...(this.launched.dnsPort === undefined ? {} : { dnsPort: this.launched.dnsPort }),
    });
    this.lastDetails = details;
    return details;
  }

  get isUp(): boolean {
    return this.up && !this.closing;
  }

  /** NEWNYM: new circuits for new connections (tor rate-limits it to one per 10 s). */
  async newIdentity(): Promise<void> {
    await this.client.signal('NEWNYM');
  }

  async stats(): Promise<TunnelStats> {
    const values = await this.client.getInfoMany(['traffic/read', 'traffic/written']);
    return { bytesIn: Number(values.get('traffic/read') ?? 0), bytesOut: Number(values.get('traffic/written') ?? 0) };
  }

  /** Closing the owning connection makes tor exit; the launcher then makes sure it has. */
  async stop(): Promise<void> {
    this.closing = true;
    clearTimeout(this.refreshTimer);
    await this.client.close().catch(() => undefined);
    await this.launched.stop();
  }
}

/** Runs `work`, but fails as soon as tor exits. */
async function raceExit<T>(launched: LaunchedTor, work: Promise<T>): Promise<T> {
  return Promise.race([work, launched.exited.then((error) => Promise.reject(error))]);
}
