// System-wide tor, run by netd: started as root with `User <tor's user>` so it reads a root-only torrc and
// then runs under its own uid (the uid the firewall's tor-system policy lets out). Its directories:
//   <base>/            root 0755
//   <base>/data/<key>  tor's user, 0700: kept between runs, so the next bootstrap is warm
//   <base>/control/<host uid>/control   the control socket, in a directory owned by the host's uid with
//                      tor's group, 0770: only the host (and tor) can reach it; tor checks a password too
//   <base>/torrc       root 0600
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';
import { TOR_SYSTEM_PORTS, type TorSystemStartRequest, type TorSystemStatus } from '../../app/contract/index.js';
import { TOOL_ENV } from './exec.js';
import type { Logger } from './log.js';
import { bridgeTransports, systemTorrc } from './tor-torrc.js';

export const DEFAULT_TOR_DIR = '/var/lib/burrow-netd/tor';
const TOR_USERS = ['debian-tor', 'tor', '_tor'];
const PROGRAMS: Record<string, string[]> = { tor: ['tor'], obfs4: ['obfs4proxy', 'lyrebird'], snowflake: ['snowflake-client', 'lyrebird'], webtunnel: ['lyrebird', 'webtunnel-client'] };
/** Data directories of other profiles and networks kept besides the current one (oldest go first). */
const KEEP_DATA_DIRS = 8;
const SOCKET_WAIT_MS = 20_000;

interface TorUser {
  name: string;
  uid: number;
  gid: number;
}

function findUser(): TorUser {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  for (const name of TOR_USERS) {
    const entry = passwd.find((fields) => fields[0] === name);
    const uid = Number(entry?.[2]);
    if (entry !== undefined && Number.isInteger(uid) && uid > 0) return { name, uid, gid: Number(entry[3]) };
  }
  throw new BurrowError('network_unavailable', `System-wide Tor needs tor's own user (${TOR_USERS.join(' or ')}); install the tor package.`);
}

function findProgram(names: readonly string[]): string | undefined {
  for (const dir of TOOL_ENV.PATH?.split(':') ?? []) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

function ownedDir(dir: string, uid: number, gid: number, mode: number): void {
  if (existsSync(dir) && !lstatSync(dir).isDirectory()) rmSync(dir, { force: true });
  mkdirSync(dir, { recursive: true, mode });
  chownSync(dir, uid, gid);
  chmodSync(dir, mode);
}

export class SystemTor {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private exit: { code: number | null; signal: string | null } | undefined;
  private lines: string[] = [];

  constructor(
    private readonly baseDir: string,
    private readonly logger: Logger,
  ) {}

  async start(request: TorSystemStartRequest) {
    await this.stop();
    const user = findUser();
    const tor = findProgram(PROGRAMS.tor ?? []);
    if (tor === undefined) throw new BurrowError('network_unavailable', 'tor is not installed on this machine.');
    const transports: Record<string, string> = {};
    for (const transport of bridgeTransports(request)) {
      const program = findProgram(PROGRAMS[transport] ?? []);
      if (program === undefined) throw new BurrowError('network_unavailable', `The bridges use ${transport}, and netd found no program for it.`);
      transports[transport] = program;
    }
    ownedDir(this.baseDir, 0, 0, 0o755);
    ownedDir(join(this.baseDir, 'data'), 0, 0, 0o755);
    ownedDir(join(this.baseDir, 'control'), 0, 0, 0o755);
    const dataDirectory = join(this.baseDir, 'data', request.stateKey);
    ownedDir(dataDirectory, user.uid, user.gid, 0o700);
    utimesSync(dataDirectory, new Date(), new Date());
    this.prune(request.stateKey);
    const controlDir = join(this.baseDir, 'control', String(request.controllerUid));
    rmSync(controlDir, { recursive: true, force: true });
    ownedDir(controlDir, request.controllerUid, user.gid, 0o770);
    const controlSocket = join(controlDir, 'control');
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

    this.exit = undefined;
    this.lines = [];
    const child = spawn(tor, ['--defaults-torrc', defaults, '-f', torrc], { env: { ...TOOL_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const collect = (chunk: Buffer): void => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
      this.lines = this.lines.slice(-100);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => {
      this.lines.push(`[err] ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      if (this.child === child) this.logger.log('warn', 'system-wide tor exited', { code: code ?? -1, signal: signal ?? 'none' });
    });
    const deadline = Date.now() + SOCKET_WAIT_MS;
    while (!(existsSync(controlSocket) && statSync(controlSocket).isSocket())) {
      if (this.exit !== undefined) throw new BurrowError('helper_failed', `tor stopped before opening its control port: ${this.lastProblem() ?? 'no reason given'}`);
      if (Date.now() > deadline) {
        await this.stop();
        throw new BurrowError('helper_failed', 'tor did not open its control port within 20 s.');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.logger.log('info', 'system-wide tor started', { pid: child.pid ?? -1, user: user.name, bridges: request.useBridges ? request.bridges.length : 0 });
    return { pid: child.pid ?? -1, controlSocket, torUid: user.uid, user: user.name, socksPort: request.socksPort, ...TOR_SYSTEM_PORTS };
  }

  status(): TorSystemStatus {
    const running = this.child !== undefined && this.exit === undefined;
    return {
      running,
      pid: this.child?.pid ?? null,
      exitCode: this.exit?.code ?? null,
      signal: this.exit?.signal ?? null,
      lastProblem: running ? null : (this.lastProblem() ?? null),
    };
  }

  /** TERM, then KILL after 3 s; the control directory goes too. */
  async stop(): Promise<{ stopped: boolean }> {
    const child = this.child;
    if (child === undefined || this.exit !== undefined) return { stopped: false };
    const exited = this.exited;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000))]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
    this.logger.log('info', 'system-wide tor stopped', { pid: child.pid ?? -1 });
    return { stopped: true };
  }

  private lastProblem(): string | undefined {
    const line = [...this.lines].reverse().find((l) => /\[(warn|err)\]/.test(l) && !/TestingTorNetwork is set|DirAuthority or AlternateDirAuthority/.test(l));
    return line?.replace(/^.*?\[(warn|err)\]\s*/, '').slice(0, 300);
  }

  /** Keeps the newest data directories; a person's own profiles are few, a test machine's are many. */
  private prune(current: string): void {
    const root = join(this.baseDir, 'data');
    const others = readdirSync(root)
      .filter((name) => name !== current)
      .map((name) => ({ name, mtime: statSync(join(root, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of others.slice(KEEP_DATA_DIRS)) rmSync(join(root, old.name), { recursive: true, force: true });
  }
}
