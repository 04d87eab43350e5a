// System-wide tor, run by netd: started as root with `User burrow-tor` so it reads a root-only torrc and
// binds its privileged TransPort/DNSPort (app/contract/system-wide.ts), then runs under burrow-tor, Burrow's
// own uid (the one the firewall's tor-system policy lets out; never debian-tor, which tor@default shares).
// Without that user netd refuses, naming the command that creates it. Its directories:
//   <base>/            root 0755
//   <base>/data/<key>  tor's user, 0700: kept between runs, so the next bootstrap is warm
//   <base>/used/<key>  root 0600, empty: when <key> was last used (root cannot touch tor's directory
//                      without CAP_FOWNER, which burrow-netd.service drops)
//   <base>/control/<host uid>/control   the control socket, in a directory owned by the host's uid with
//                      tor's group, 0770: only the host (and tor) can reach it; tor checks a password too
//   <base>/torrc       root 0600
// Directories are made by owned-dir.ts (mode first, owner last, on a descriptor); nothing inside a
// directory another uid owns is removed recursively by root.
import { existsSync, readdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';
import { BURROW_USERS, missingUserMessage, TOR_SYSTEM_PORTS, type TorSystemStartRequest, type TorSystemStatus } from '../../app/contract/index.js';
import { findProgram, findSystemUser, HelperProcess, helperStatus, type SystemUser } from './helper-process.js';
import type { Logger } from './log.js';
import { ownedDir, removeOwnedTree, rootDirs, unlinkEntry } from './owned-dir.js';
import { checkPrivilegedPorts } from './privileged-ports.js';
import { bridgeTransports, systemTorrc } from './tor-torrc.js';

export const DEFAULT_TOR_DIR = '/var/lib/burrow-netd/tor';
const PROGRAMS: Record<string, string[]> = { tor: ['tor'], obfs4: ['obfs4proxy', 'lyrebird'], snowflake: ['snowflake-client', 'lyrebird'], webtunnel: ['lyrebird', 'webtunnel-client'] };
/** Data directories of other profiles and networks kept besides the current one (oldest go first). */
const KEEP_DATA_DIRS = 8;
const SOCKET_WAIT_MS = 20_000;

/** burrow-tor, or a refusal: never another user's uid in its place. */
export function torUser(find: (names: readonly string[]) => SystemUser | undefined = findSystemUser): SystemUser {
  const user = find([BURROW_USERS.tor]);
  if (user === undefined) throw new BurrowError('network_unavailable', missingUserMessage(BURROW_USERS.tor, 'System-wide Tor'));
  return user;
}

export class SystemTor {
  private helper: HelperProcess | undefined;

  constructor(
    private readonly baseDir: string,
    private readonly logger: Logger,
  ) {}

  async start(request: TorSystemStartRequest) {
    await this.stop();
    checkPrivilegedPorts();
    const user = torUser();
    const tor = findProgram(PROGRAMS.tor ?? []);
    if (tor === undefined) throw new BurrowError('network_unavailable', 'tor is not installed on this machine.');
    const transports: Record<string, string> = {};
    for (const transport of bridgeTransports(request)) {
      const program = findProgram(PROGRAMS[transport] ?? []);
      if (program === undefined) throw new BurrowError('network_unavailable', `The bridges use ${transport}, and netd found no program for it.`);
      transports[transport] = program;
    }
    rootDirs([this.baseDir, join(this.baseDir, 'data'), join(this.baseDir, 'used'), join(this.baseDir, 'control')]);
    const dataDirectory = join(this.baseDir, 'data', request.stateKey);
    ownedDir(dataDirectory, user.uid, user.gid, 0o700);
    writeFileSync(join(this.baseDir, 'used', request.stateKey), '', { mode: 0o600 });
    this.prune(request.stateKey);
    const controlDir = join(this.baseDir, 'control', String(request.controllerUid));
    ownedDir(controlDir, request.controllerUid, user.gid, 0o770);
    const controlSocket = join(controlDir, 'control');
    // A stale socket from the last run: only that one entry goes, nothing is followed.
    unlinkEntry(controlSocket);
    const torrc = join(this.baseDir, 'torrc');
    const defaults = join(this.baseDir, 'torrc-defaults');
    let text: string;
    try {
      text = systemTorrc(request, { dataDirectory, controlSocket, user: user.name, ...TOR_SYSTEM_PORTS, transports });
    } catch (error) {
      throw new BurrowError('invalid_request', `netd will not start tor with this request: ${error instanceof Error ? error.message : String(error)}`);
    }
    writeFileSync(torrc, text, { mode: 0o600 });
    chmodSync(torrc, 0o600);
    writeFileSync(defaults, '', { mode: 0o600 });

    const helper = new HelperProcess('system-wide tor', tor, ['--defaults-torrc', defaults, '-f', torrc], this.logger);
    this.helper = helper;
    await helper.waitUntil(() => existsSync(controlSocket) && statSync(controlSocket).isSocket(), {
      timeoutMs: SOCKET_WAIT_MS,
      exited: () => `tor stopped before opening its control port: ${this.lastProblem() ?? 'no reason given'}`,
      timedOut: 'tor did not open its control port within 20 s.',
    });
    this.logger.log('info', 'system-wide tor started', { pid: helper.pid, user: user.name, bridges: request.useBridges ? request.bridges.length : 0 });
    return { pid: helper.pid, controlSocket, torUid: user.uid, user: user.name, socksPort: request.socksPort, ...TOR_SYSTEM_PORTS };
  }

  status(): TorSystemStatus {
    const base = helperStatus(this.helper);
    const running = base.running;
    return {
      ...base,
      lastProblem: running ? null : (this.lastProblem() ?? null),
    };
  }

  /** TERM, then KILL after 3 s. */
  async stop(): Promise<{ stopped: boolean }> {
    const helper = this.helper;
    if (helper === undefined || !(await helper.stop())) return { stopped: false };
    this.logger.log('info', 'system-wide tor stopped', { pid: helper.pid });
    return { stopped: true };
  }

  private lastProblem(): string | undefined {
    const line = [...(this.helper?.lines ?? [])].reverse().find((l) => /\[(warn|err)\]|could not start/.test(l) && !/TestingTorNetwork is set|DirAuthority or AlternateDirAuthority/.test(l));
    return line?.replace(/^.*?\[(warn|err)\]\s*/, '').slice(0, 300);
  }

  /** Keeps the newest data directories (by their root-owned stamp); a test machine's are many. */
  private prune(current: string): void {
    const root = join(this.baseDir, 'data');
    const used = (name: string): number => {
      try {
        return statSync(join(this.baseDir, 'used', name)).mtimeMs;
      } catch {
        return 0;
      }
    };
    const others = readdirSync(root)
      .filter((name) => name !== current)
      .map((name) => ({ name, mtime: used(name) }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of others.slice(KEEP_DATA_DIRS)) {
      removeOwnedTree(join(root, old.name));
      unlinkEntry(join(this.baseDir, 'used', old.name));
    }
  }
}
