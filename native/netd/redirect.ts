// System-wide proxy networks, netd's part: redsocks (Debian's) in front of the helper's SOCKS5 or HTTP
// CONNECT port on 127.0.0.1, and the DNS stub (redirect-dns.ts). netd writes redsocks' config itself
// (root 0600, in its state directory); redsocks reads it and binds its privileged port as root, then drops
// to its own user (`redsocks`, else nobody: not an exempt uid, it only talks to the helper on loopback). The firewall policy (applied by the host through applyFirewall) sends every other uid's
// TCP to REDIRECT_PORTS.redirectPort and its DNS to REDIRECT_PORTS.dnsStubPort.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';
import { REDIRECT_PORTS, type RedirectStartRequest, type RedirectStatus } from '../../app/contract/index.js';
import { findProgram, findSystemUser, HelperProcess, helperStatus } from './helper-process.js';
import type { Logger } from './log.js';
import { checkPrivilegedPorts } from './privileged-ports.js';
import { DnsStub } from './redirect-dns.js';

const REDSOCKS_USERS = ['redsocks', 'nobody'];
const LISTEN_WAIT_MS = 5000;

function findUser(): { name: string; group: string } {
  const user = findSystemUser(REDSOCKS_USERS);
  if (user === undefined) throw new BurrowError('network_unavailable', 'redsocks needs a user of its own (redsocks or nobody); install the redsocks package.');
  return user;
}

/** redsocks.conf for one proxy; every value is netd's own or a checked number. */
export function redsocksConf(request: RedirectStartRequest, user: { name: string; group: string }): string {
  return `base {
  log_debug = off;
  log_info = on;
  log = stderr;
  daemon = off;
  redirector = iptables;
  user = ${user.name};
  group = ${user.group};
}

redsocks {
  local_ip = 127.0.0.1;
  local_port = ${REDIRECT_PORTS.redirectPort};
  ip = 127.0.0.1;
  port = ${request.proxyPort};
  type = ${request.proxyType};
}
`;
}

export class SystemRedirect {
  private helper: HelperProcess | undefined;
  private stub: DnsStub | undefined;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  async start(request: RedirectStartRequest): Promise<{ pid: number; redirectPort: number; dnsStubPort: number; user: string }> {
    await this.stop();
    checkPrivilegedPorts();
    const redsocks = findProgram(['redsocks']);
    if (redsocks === undefined) throw new BurrowError('network_unavailable', 'redsocks is not installed on this machine (apt install redsocks).');
    const user = findUser();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const conf = join(this.dir, 'redsocks.conf');
    writeFileSync(conf, redsocksConf(request, user), { mode: 0o600 });
    const helper = new HelperProcess('redsocks', redsocks, ['-c', conf], this.logger, 50);
    this.helper = helper;
    // Its start-up line, not a test connection: redsocks would pass a connection to itself on to the proxy.
    await helper.waitUntil(() => helper.lines.some((line) => line.includes('redsocks started')), {
      timeoutMs: LISTEN_WAIT_MS,
      exited: () => `redsocks stopped at once: ${helper.lines.slice(-2).join(' / ') || 'no reason given'}`,
      timedOut: 'redsocks did not listen within 5 s.',
    });
    const stub = new DnsStub({ port: REDIRECT_PORTS.dnsStubPort, proxyType: request.proxyType, proxyPort: request.proxyPort, upstream: request.dnsUpstream });
    try {
      await stub.start();
    } catch (error) {
      await this.stop();
      throw new BurrowError('conflict', `The DNS stub could not listen on 127.0.0.1:${REDIRECT_PORTS.dnsStubPort}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.stub = stub;
    this.logger.log('info', 'system-wide redirect started', { pid: helper.pid, proxy: request.proxyType, proxyPort: request.proxyPort, user: user.name });
    return { pid: helper.pid, ...REDIRECT_PORTS, user: user.name };
  }

  status(): RedirectStatus {
    const base = helperStatus(this.helper);
    const running = base.running;
    const helper = this.helper;
    return {
      ...base,
      dnsQueries: this.stub?.queries ?? 0,
      dnsFailures: this.stub?.failures ?? 0,
      lastProblem: running ? null : (helper?.lines.at(-1)?.slice(0, 300) ?? null),
    };
  }

  /** The stub, then redsocks (TERM, KILL after 3 s). */
  async stop(): Promise<{ stopped: boolean }> {
    this.stub?.stop();
    this.stub = undefined;
    const helper = this.helper;
    if (helper === undefined || !(await helper.stop())) return { stopped: false };
    this.logger.log('info', 'system-wide redirect stopped', { pid: helper.pid });
    return { stopped: true };
  }
}
