// When is nym-socks5-client ready? Its stderr says `Listening on 127.0.0.1:P` before it even tries to bind
// and goes on running when the bind fails, so the lines alone prove nothing: ready means both lines were
// printed, no bind failure was, and a SOCKS5 handshake on the port succeeds.
import { BurrowError } from '../../domain/errors.js';
import { classifyLine } from './client-files.js';
import { describeExit } from '../helper/process.js';
import type { SupervisedHelper } from '../helper/launcher.js';
import { socks5Handshake } from '../helper/socks5.js';

export interface ReadinessOptions {
  port: number;
  timeoutMs: number;
  signal: AbortSignal;
  /** Tests replace the handshake. */
  handshake?: (port: number) => Promise<void>;
}

const HANDSHAKE_TRIES = 10;
/** A bind failure can be logged just after the startup lines: wait this long before trusting a handshake. */
const BIND_GRACE_MS = 250;

export function waitUntilReady(proc: SupervisedHelper, options: ReadinessOptions): Promise<void> {
  const handshake = options.handshake ?? ((port: number) => socks5Handshake('127.0.0.1', port, 1500));
  return new Promise((resolve, reject) => {
    let started = false;
    let listening = false;
    let bindFailure: string | undefined;
    let probing = false;
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stopLines();
      options.signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const conflict = (): BurrowError =>
      new BurrowError('conflict', `nym-socks5-client could not listen on 127.0.0.1:${options.port} (${bindFailure ?? 'bind failed'}): another program holds that port. Set SocksPort in the Nym profile to a free port.`, {
        log: proc.recent(6),
      });
    const probe = async (): Promise<void> => {
      probing = true;
      let lastError: unknown;
      for (let attempt = 0; attempt < HANDSHAKE_TRIES && !done; attempt++) {
        if (bindFailure !== undefined) return finish(conflict());
        try {
          await handshake(options.port);
          await new Promise((r) => setTimeout(r, BIND_GRACE_MS));
          return finish(bindFailure === undefined ? undefined : conflict());
        } catch (error) {
          lastError = error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      finish(
        new BurrowError('helper_failed', `nym-socks5-client says it is ready, but no SOCKS5 server answers on 127.0.0.1:${options.port}: ${lastError instanceof Error ? lastError.message : String(lastError)}`, {
          log: proc.recent(6),
        }),
      );
    };
    const stopLines = proc.onLine((line) => {
      const event = classifyLine(line);
      if (event === undefined) return;
      if (event.kind === 'startup-finished') started = true;
      else if (event.kind === 'listening') {
        if (event.port !== options.port) return finish(new BurrowError('helper_failed', `nym-socks5-client listens on ${event.host}:${event.port}, not on port ${options.port} as Burrow asked.`));
        listening = true;
      } else if (event.kind === 'bind-failed') {
        bindFailure = event.text;
        if (started && listening && !probing) return finish(conflict());
      }
      if (started && listening && !probing) void probe();
    });
    void proc.exited.then((exit) => {
      const said = proc.recent(4).join(' / ');
      finish(new BurrowError('helper_failed', `nym-socks5-client ${describeExit(exit)} before it was ready${said === '' ? '.' : `: ${said.slice(0, 400)}`}`, { log: proc.recent(10) }));
    });
    const onAbort = (): void => finish(options.signal.reason instanceof Error ? options.signal.reason : new BurrowError('cancelled', 'Cancelled.'));
    options.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      const missing = [started ? '' : '"Client startup finished!"', listening ? '' : `"Listening on 127.0.0.1:${options.port}"`].filter(Boolean).join(' and ');
      finish(new BurrowError('timeout', `nym-socks5-client did not get ready within ${Math.round(options.timeoutMs / 1000)} s${missing === '' ? '' : ` (no ${missing} yet)`}. The gateway or nym-api may be unreachable.`, { log: proc.recent(8) }));
    }, options.timeoutMs);
    if (options.signal.aborted) onAbort();
  });
}
