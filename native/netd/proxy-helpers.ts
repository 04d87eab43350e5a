// The proxy networks' helpers (nym-socks5-client, myst) run by netd for a host that is not root: system-wide
// Nym and dVPN need the helper under Burrow's own uid (burrow-nym, burrow-dvpn) so the kill switch can let
// that uid alone out, and only root can start a program as another user. netd picks everything but the
// arguments (app/contract/netd-helpers.ts checks those): the program (netd's PATH, or BURROW_NYM_SOCKS5_CLIENT
// / BURROW_MYST in netd's own environment, set by root), the user, the environment and the home.
//
// Homes, one per helper and caller uid, kept across runs (a Nym client's keys and its gateway registration
// live there; so does myst's identity):
//   <base>/                 root 0755
//   <base>/<helper>/        root 0755
//   <base>/<helper>/<uid>/  the helper's user and group, 0700; the helper runs with umask 077
// The host never opens anything in there: the one file it changes (the Nym client's config.toml, for the
// mixing delay) it reads and writes through netd, which does it as the helper's user. (A home shared with
// the caller's group would need setgid, which burrow-netd.service's RestrictSUIDSGID= refuses.)
// Made by owned-dir.ts (mode first, owner last, on a descriptor); root never removes anything inside.
// One run per helper at a time; only its caller (or root) may read or stop it.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';
import {
  HELPER_KEPT_LINES,
  missingUserMessage,
  NETD_HELPERS,
  nymClientConfigPath,
  type HelperPrepareResult,
  type HelperReadResult,
  type NetdHelperName,
} from '../../app/contract/index.js';
import { runTool, type Runner } from './exec.js';
import { findProgram, findSystemUser, HelperProcess, type SystemUser } from './helper-process.js';
import type { Logger } from './log.js';
import { ownedDir, rootDirs } from './owned-dir.js';

const HOME_MODE = 0o700;
const HELPER_UMASK = 0o077;
/** A line as long as init's JSON summary may be (one line, the 96-number address in it). */
const LINE_MAX = 8192;
/** What one answer may carry of a helper's output: netd's answers are limited to 64 KiB. */
const ANSWER_BUDGET = 48_000;
/** What each program treats as "shut down cleanly" (both stop on SIGINT, as the host's own supervision). */
const STOP_SIGNAL: NodeJS.Signals = 'SIGINT';

export interface ProxyHelpersOptions {
  baseDir: string;
  logger: Logger;
  /** netd's own environment: BURROW_NYM_SOCKS5_CLIENT and BURROW_MYST may name the programs. */
  env?: Record<string, string | undefined>;
  findUser?: (names: readonly string[]) => SystemUser | undefined;
  run?: Runner;
}

interface Running {
  proc: HelperProcess;
  callerUid: number;
}

export class ProxyHelpers {
  private readonly running = new Map<NetdHelperName, Running>();

  constructor(private readonly options: ProxyHelpersOptions) {}

  /** The helper's user and the caller's home for it (made if missing). */
  prepare(helper: NetdHelperName, callerUid: number): HelperPrepareResult {
    const user = this.user(helper);
    const parent = join(this.options.baseDir, helper);
    rootDirs([this.options.baseDir, parent], 0o755);
    const home = join(parent, String(callerUid));
    ownedDir(home, user.uid, user.gid, HOME_MODE);
    return { user: user.name, uid: user.uid, gid: user.gid, home };
  }

  /** Runs to completion (or `timeoutMs`, then it is stopped): every line it printed and how it ended. */
  async run(helper: NetdHelperName, args: readonly string[], callerUid: number, timeoutMs: number): Promise<{ code: number | null; signal: string | null; lines: string[] }> {
    const proc = this.spawn(helper, args, callerUid, 2000);
    const timer = setTimeout(() => void proc.stop(), timeoutMs);
    try {
      await proc.done();
    } finally {
      clearTimeout(timer);
    }
    // The last lines, as many as fit in an answer: init's summary is the last thing it prints.
    const lines: string[] = [];
    let bytes = 0;
    for (const line of [...proc.lines].reverse()) {
      bytes += Buffer.byteLength(line) + 4;
      if (bytes > ANSWER_BUDGET) break;
      lines.unshift(line);
    }
    return { code: proc.exit?.code ?? null, signal: proc.exit?.signal ?? null, lines };
  }

  /** Starts it for the caller; a run already going (anyone's) is stopped first, as one system-wide helper runs at a time. */
  async start(helper: NetdHelperName, args: readonly string[], callerUid: number): Promise<{ pid: number; uid: number; user: string }> {
    await this.stopRunning(helper);
    const user = this.user(helper);
    const proc = this.spawn(helper, args, callerUid, HELPER_KEPT_LINES);
    this.running.set(helper, { proc, callerUid });
    this.options.logger.log('info', `${NETD_HELPERS[helper].program} started`, { pid: proc.pid, user: user.name, caller: callerUid });
    return { pid: proc.pid, uid: user.uid, user: user.name };
  }

  read(helper: NetdHelperName, after: number, callerUid: number): HelperReadResult {
    const run = this.owned(helper, callerUid);
    if (run === undefined) return { lines: [], next: after, running: false, code: null, signal: null };
    const { lines: all, next: end } = run.proc.linesAfter(after);
    // The oldest first, as many as fit in one answer; the rest come with the next read.
    const lines: string[] = [];
    let bytes = 0;
    for (const line of all) {
      bytes += Buffer.byteLength(line) + 4;
      if (bytes > ANSWER_BUDGET) break;
      lines.push(line);
    }
    const next = end - all.length + lines.length;
    const done = next === end;
    // "Not running" only once every line has been read: the host takes the exit as the last event.
    return { lines, next, running: run.proc.running || !done, code: done ? (run.proc.exit?.code ?? null) : null, signal: done ? (run.proc.exit?.signal ?? null) : null };
  }

  async stop(helper: NetdHelperName, callerUid: number): Promise<{ stopped: boolean }> {
    const run = this.owned(helper, callerUid);
    if (run === undefined) return { stopped: false };
    this.running.delete(helper);
    const stopped = await run.proc.stop();
    if (stopped) this.options.logger.log('info', `${NETD_HELPERS[helper].program} stopped`, { pid: run.proc.pid });
    return { stopped };
  }

  /** The Nym client's config.toml, read by the helper's user (cat), never by root following a path. */
  async readConfig(clientId: string, callerUid: number): Promise<{ text: string }> {
    const { path, as } = this.configFile(clientId, callerUid);
    const result = await (this.options.run ?? runTool)('cat', ['--', path], { as, allowFailure: true, timeoutMs: 5000 });
    if (result.code !== 0) throw new BurrowError('not_found', `The Nym client ${clientId} has no config netd can read (${result.stderr.trim().split('\n')[0] ?? 'cat failed'}).`);
    if (result.stdout.length > 32_768) throw new BurrowError('conflict', `The Nym client ${clientId}'s config is larger than Burrow edits (32 KiB).`);
    return { text: result.stdout };
  }

  /** Replaces it, as the helper's user: a new 0600 file beside it, then a rename (a reader sees old or new). */
  async writeConfig(clientId: string, text: string, callerUid: number): Promise<{ written: true }> {
    const { path, as } = this.configFile(clientId, callerUid);
    // A fixed script; the path is its one argument and the text comes on stdin, never on a command line.
    const script = 'umask 077 && cat > "$1.burrow-new" && mv -f -- "$1.burrow-new" "$1"';
    const result = await (this.options.run ?? runTool)('sh', ['-c', script, 'sh', path], { as, input: text, allowFailure: true, timeoutMs: 5000 });
    if (result.code !== 0) throw new BurrowError('helper_failed', `netd could not write the Nym client ${clientId}'s config (${result.stderr.trim().split('\n')[0] ?? 'exit ' + String(result.code)}).`);
    return { written: true };
  }

  private configFile(clientId: string, callerUid: number): { path: string; as: { uid: number; gid: number } } {
    const home = this.prepare('nym', callerUid).home;
    const user = this.user('nym');
    return { path: nymClientConfigPath(home, clientId), as: { uid: user.uid, gid: user.gid } };
  }

  /** Every helper (netd stopping). */
  async stopAll(): Promise<void> {
    for (const helper of [...this.running.keys()]) await this.stopRunning(helper);
  }

  private async stopRunning(helper: NetdHelperName): Promise<void> {
    const run = this.running.get(helper);
    this.running.delete(helper);
    if (run !== undefined) await run.proc.stop();
  }

  /** The caller's own run; another user's is refused (root may see any). */
  private owned(helper: NetdHelperName, callerUid: number): Running | undefined {
    const run = this.running.get(helper);
    if (run === undefined) return undefined;
    if (callerUid !== 0 && run.callerUid !== callerUid) {
      throw new BurrowError('unauthorized', `The ${NETD_HELPERS[helper].program} netd runs was started for another user; a user may read and stop only its own.`);
    }
    return run;
  }

  private user(helper: NetdHelperName): SystemUser {
    const spec = NETD_HELPERS[helper];
    const user = (this.options.findUser ?? findSystemUser)([spec.user]);
    if (user === undefined) throw new BurrowError('network_unavailable', missingUserMessage(spec.user, spec.what));
    return user;
  }

  private program(helper: NetdHelperName): string {
    const spec = NETD_HELPERS[helper];
    const named = this.options.env?.[spec.envName];
    if (named !== undefined && named !== '') {
      try {
        accessSync(named, constants.X_OK);
        return named;
      } catch {
        throw new BurrowError('network_unavailable', `${spec.envName} in netd's environment names ${named}, which netd cannot run.`);
      }
    }
    const program = findProgram([spec.program]);
    if (program === undefined) {
      throw new BurrowError('network_unavailable', `${spec.program} is not installed where netd looks (its PATH, or ${spec.envName} in netd's environment).`);
    }
    return program;
  }

  private spawn(helper: NetdHelperName, args: readonly string[], callerUid: number, keepLines: number): HelperProcess {
    const program = this.program(helper);
    const home = this.prepare(helper, callerUid).home;
    const user = this.user(helper);
    const env: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...(helper === 'nym' ? { RUST_LOG: 'info' } : {}) };
    return new HelperProcess(NETD_HELPERS[helper].program, program, args, this.options.logger, keepLines, {
      as: { uid: user.uid, gid: user.gid },
      env,
      cwd: home,
      umask: HELPER_UMASK,
      stopSignal: STOP_SIGNAL,
      lineMax: LINE_MAX,
    });
  }
}
