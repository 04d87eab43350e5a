// The transport helper of WireGuard over an obfuscating transport, run by netd: ss-tunnel (shadowsocks-libev)
// or v2ray, started by root directly under Burrow's helper account (OBFS_HELPER_USER; refused when the
// account is missing, since a shared uid such as nobody would let other services through the firewall's
// transport allowance), listening on 127.0.0.1:OBFS_LOCAL_PORT for WireGuard's UDP.
// Its packets must not enter the tunnel they carry: one routing rule sends exactly this uid's traffic to the
// main table (before Burrow's tunnel rules), as the tunnel's own marked socket is. Its files:
//   <dir>/          root 0700 (in netd's 0700 state directory: the helper cannot walk there)
//   <dir>/helper.json, <dir>/ca.pem   the helper's uid, 0400 (they hold the secret); written by root in
//                   root's directory, so no one can swap them, and handed to the helper as open
//                   descriptors (it reads /dev/fd/3 and /dev/fd/4), never by a path it could reach
import { closeSync, fchownSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';
import {
  CONFIG_PLACEHOLDER,
  OBFS_HELPER_USER,
  OBFS_LOCAL_PORT,
  transportHelperPlan,
  type ObfsStartRequest,
  type ObfsStatus,
} from '../../app/contract/index.js';
import type { Runner } from './exec.js';
import { findProgram, findSystemUser, HelperProcess, helperStatus, type SystemUser } from './helper-process.js';
import type { Logger } from './log.js';
import { rootDirs, unlinkEntry } from './owned-dir.js';
import { BURROW_RULE_PREF } from './wireguard/routing.js';

/** Before Burrow's tunnel rules (suppress 25204, not-marked 25205): the helper's uid takes the main table. */
export const OBFS_RULE_PREF = BURROW_RULE_PREF.suppress - 1;
const LISTEN_WAIT_MS = 10_000;
const PROGRAMS = { shadowsocks: 'ss-tunnel', 'vless-ws-tls': 'v2ray' } as const;

/** `ip rule` arguments (after add/del) that send only `uid`'s packets around the tunnel. */
export function obfsRule(uid: number): string[] {
  return ['pref', String(OBFS_RULE_PREF), 'uidrange', `${uid}-${uid}`, 'lookup', 'main'];
}

/** Whether something is bound to UDP 127.0.0.1:port in this network namespace (/proc/net/udp, hex). */
export function udpBound(table: string, port: number): boolean {
  const want = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table.split('\n').slice(1).some((line) => line.trim().split(/\s+/)[1] === want);
}

function findUser(): SystemUser {
  const user = findSystemUser([OBFS_HELPER_USER]);
  if (user === undefined) {
    throw new BurrowError('network_unavailable', `WireGuard over an obfuscating transport needs Burrow's helper account ${OBFS_HELPER_USER} (created by the package's sysusers.d file); netd found none.`);
  }
  return user;
}

/**
 * A file only `user` can read, written in root's directory (the old entry unlinked first, nothing followed),
 * returned open for reading from its start: the descriptor the helper inherits.
 */
function writeSecretFile(path: string, text: string, user: SystemUser): number {
  unlinkEntry(path);
  const fd = openSync(path, 'wx+', 0o400);
  try {
    writeSync(fd, text, 0);
    fchownSync(fd, user.uid, user.gid);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

export class ObfsHelper {
  private helper: HelperProcess | undefined;

  constructor(
    private readonly dir: string,
    private readonly run: Runner,
    private readonly logger: Logger,
  ) {}

  async start(request: ObfsStartRequest): Promise<{ pid: number; program: string; uid: number; user: string; localPort: number }> {
    await this.stop();
    const user = findUser();
    const program = findProgram([PROGRAMS[request.type]]);
    if (program === undefined) {
      throw new BurrowError('network_unavailable', `${PROGRAMS[request.type]} is not installed on this machine (apt install ${request.type === 'shadowsocks' ? 'shadowsocks-libev' : 'v2ray'}).`);
    }
    rootDirs([this.dir], 0o700);
    const fds: number[] = [];
    let helper: HelperProcess;
    try {
      const hasCa = request.type === 'vless-ws-tls' && request.caPem !== undefined;
      const plan = transportHelperPlan(request, OBFS_LOCAL_PORT, hasCa ? '/dev/fd/4' : undefined);
      fds.push(writeSecretFile(join(this.dir, 'helper.json'), plan.config, user));
      if (request.type === 'vless-ws-tls' && request.caPem !== undefined) fds.push(writeSecretFile(join(this.dir, 'ca.pem'), request.caPem, user));
      await this.addRule(user.uid);
      const args = plan.argv.slice(1).map((arg) => (arg === CONFIG_PLACEHOLDER ? '/dev/fd/3' : arg));
      helper = new HelperProcess(PROGRAMS[request.type], program, args, this.logger, 50, { as: { uid: user.uid, gid: user.gid }, fds });
    } finally {
      // The child has its own copies once spawned; netd keeps none.
      for (const fd of fds) closeSync(fd);
    }
    this.helper = helper;
    try {
      await helper.waitUntil(() => udpBound(readFileSync('/proc/net/udp', 'utf8'), OBFS_LOCAL_PORT), {
        timeoutMs: LISTEN_WAIT_MS,
        exited: () => `${PROGRAMS[request.type]} stopped at once: ${helper.lines.slice(-2).join(' / ').slice(0, 300) || 'no reason given'}`,
        timedOut: `${PROGRAMS[request.type]} did not listen on 127.0.0.1:${OBFS_LOCAL_PORT} within ${LISTEN_WAIT_MS / 1000} s.`,
      });
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.logger.log('info', 'transport helper started', { pid: helper.pid, program: PROGRAMS[request.type], user: user.name, server: request.server.ip, port: request.server.port });
    return { pid: helper.pid, program: PROGRAMS[request.type], uid: user.uid, user: user.name, localPort: OBFS_LOCAL_PORT };
  }

  status(): ObfsStatus {
    const base = helperStatus(this.helper);
    return { ...base, lastProblem: base.running ? null : (this.helper?.lines.at(-1)?.slice(0, 300) ?? null) };
  }

  /** The helper (TERM, KILL after 3 s), then its routing rule. */
  async stop(): Promise<{ stopped: boolean }> {
    const helper = this.helper;
    this.helper = undefined;
    const stopped = helper !== undefined && (await helper.stop());
    await this.removeRule();
    if (stopped) this.logger.log('info', 'transport helper stopped', { pid: helper.pid });
    return { stopped };
  }

  private async addRule(uid: number): Promise<void> {
    await this.removeRule();
    for (const family of ['-4', '-6']) await this.run('ip', [family, 'rule', 'add', ...obfsRule(uid)]);
  }

  /** By priority: a crash may have left one from another run (up to 8 per family). */
  private async removeRule(): Promise<void> {
    for (const family of ['-4', '-6']) {
      for (let i = 0; i < 8; i++) {
        const result = await this.run('ip', [family, 'rule', 'del', 'pref', String(OBFS_RULE_PREF)], { allowFailure: true });
        if (result.code !== 0) break;
      }
    }
  }
}
