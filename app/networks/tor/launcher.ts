// Starting tor for one connection. A launcher puts a tor process in place and says how to reach its
// control port; the session (tor-session.ts) does the rest the same way for both modes. The proxy-mode
// launcher here runs tor as the user; system-wide mode asks netd (system-launcher.ts).
import { existsSync, mkdirSync, chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BurrowError } from '../../domain/errors.js';
import type { AuthOptions } from './control/index.js';
import type { CheckedTorConfig } from './config.js';
import type { TorHelpers } from './helpers.js';
import { TorProcess, torEnv } from './tor-process.js';
import { buildTorrc, DEFAULT_SOCKS_PORT, torArgv } from './torrc.js';

export interface LaunchRequest {
  profileId: string;
  config: CheckedTorConfig;
  signal: AbortSignal;
}

export interface LaunchedTor {
  controlSocket: string;
  auth: AuthOptions;
  /** The uid the control socket must belong to (anyone else's socket is refused). */
  socketOwner: number;
  socksAddress: string;
  transPort?: number;
  dnsPort?: number;
  /** Resolves (never rejects) with the error that describes tor's exit, whenever it exits. */
  exited: Promise<BurrowError>;
  /** For a tor that is not our child (netd's): why the control connection closed. */
  diagnose?: () => Promise<BurrowError>;
  running(): boolean;
  /** Waits for the control socket; rejects if tor exits first. */
  ready(timeoutMs: number): Promise<void>;
  /** Lines tor logs, for the host's log. */
  onLog(listener: (line: string) => void): () => void;
  /** Stops tor and removes what this run made (the data directory stays). Safe twice. */
  stop(): Promise<void>;
}

export interface TorLauncher {
  launch(request: LaunchRequest): Promise<LaunchedTor>;
}

/** Linux's sun_path holds 108 bytes with the NUL; a longer control socket path cannot be bound. */
const MAX_SOCKET_PATH = 100;

function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

export interface UserLauncherOptions {
  /** The host's data directory; tor's state lives in `<dataDir>/tor/profiles/<id>`, kept between runs. */
  dataDir: string;
  helpers: () => TorHelpers;
  /** tor exits if this process does, even before TAKEOWNERSHIP. */
  owningPid: number;
  /** Tests only: tor never touches the network. */
  disableNetwork?: boolean;
}

export function userLauncher(options: UserLauncherOptions): TorLauncher {
  return {
    launch(request) {
      const helpers = options.helpers();
      if (helpers.tor === undefined) throw new BurrowError('network_unavailable', 'Tor is not installed on this machine. Install the tor package (apt install tor).');
      const base = privateDir(join(options.dataDir, 'tor'));
      const dataDirectory = privateDir(join(base, 'profiles', request.profileId));
      let runDir = privateDir(join(base, 'run'));
      let temporary = false;
      if (Buffer.byteLength(join(runDir, 'control')) > MAX_SOCKET_PATH) {
        runDir = mkdtempSync(join(tmpdir(), 'burrow-tor-'));
        temporary = true;
      }
      const controlSocket = join(runDir, 'control');
      const cookieFile = join(runDir, 'control_auth_cookie');
      for (const stale of [controlSocket, cookieFile]) rmSync(stale, { force: true });
      const socksPort = request.config.socksPort ?? DEFAULT_SOCKS_PORT;
      const torrc = buildTorrc({
        config: request.config,
        dataDirectory,
        controlSocket,
        auth: { kind: 'cookie', cookieFile },
        socksPort,
        transports: helpers.transports,
        owningPid: options.owningPid,
        disableNetwork: options.disableNetwork === true,
      });
      const torrcFile = join(runDir, 'torrc');
      const defaults = join(runDir, 'torrc-defaults');
      writeFileSync(torrcFile, torrc, { mode: 0o600 });
      writeFileSync(defaults, '', { mode: 0o600 });
      const proc = TorProcess.start(helpers.tor, torArgv(defaults, torrcFile), torEnv(dataDirectory));
      const exited = proc.exited.then(() => proc.exitError('unexpectedly'));
      let stopped: Promise<void> | undefined;
      return Promise.resolve({
        controlSocket,
        auth: { cookieFile },
        socketOwner: process.getuid?.() ?? 0,
        socksAddress: `127.0.0.1:${socksPort}`,
        exited,
        running: () => proc.running,
        ready: (timeoutMs) => proc.waitForSocket(controlSocket, timeoutMs, request.signal),
        onLog: (listener) => proc.onLine(listener),
        stop: () => {
          stopped ??= (async () => {
            await proc.stop();
            if (temporary) rmSync(runDir, { recursive: true, force: true });
            else if (existsSync(runDir)) for (const file of [controlSocket, cookieFile]) rmSync(file, { force: true });
          })();
          return stopped;
        },
      });
    },
  };
}
