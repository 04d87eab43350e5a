// System-wide proxy networks, netd's part: redsocks (Debian's) in front of the helper's SOCKS5 or HTTP
// CONNECT port on 127.0.0.1, and the DNS stub (redirect-dns.ts). netd writes redsocks' config itself
// (root 0600, in its state directory); redsocks reads it as root and drops to its own user (`redsocks`,
// else nobody). The firewall policy (applied by the host through applyFirewall) sends every other uid's
// TCP to REDIRECT_PORTS.redirectPort and its DNS to REDIRECT_PORTS.dnsStubPort.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../app/domain/index.js';
import { REDIRECT_PORTS, type RedirectStartRequest, type RedirectStatus } from '../../app/contract/index.js';
import { TOOL_ENV } from './exec.js';
import type { Logger } from './log.js';
import { DnsStub } from './redirect-dns.js';

const REDSOCKS_USERS = ['redsocks', 'nobody'];
const LISTEN_WAIT_MS = 5000;

function findRedsocks(): string | undefined {
  for (const dir of TOOL_ENV.PATH?.split(':') ?? []) {
    try {
      accessSync(join(dir, 'redsocks'), constants.X_OK);
      return join(dir, 'redsocks');
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function findUser(): { name: string; group: string } {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':'));
  const groups = readFileSync('/etc/group', 'utf8').split('\n').map((line) => line.split(':'));
  for (const name of REDSOCKS_USERS) {
    const entry = passwd.find((fields) => fields[0] === name);
    if (entry === undefined || Number(entry[2]) === 0) continue;
    const group = groups.find((fields) => fields[2] === entry[3])?.[0] ?? 'nogroup';
    return { name, group };
  }
  throw new BurrowError('network_unavailable', 'redsocks needs a user of its own (redsocks or nobody); install the redsocks package.');
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
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private exit: { code: number | null; signal: string | null } | undefined;
  private lines: string[] = [];
  private stub: DnsStub | undefined;

  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  async start(request: RedirectStartRequest): Promise<{ pid: number; redirectPort: number; dnsStubPort: number; user: string }> {
    await this.stop();
    const redsocks = findRedsocks();
    if (redsocks === undefined) throw new BurrowError('network_unavailable', 'redsocks is not installed on this machine (apt install redsocks).');
    const user = findUser();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const conf = join(this.dir, 'redsocks.conf');
    writeFileSync(conf, redsocksConf(request, user), { mode: 0o600 });
    this.exit = undefined;
    this.lines = [];
    const child = spawn(redsocks, ['-c', conf], { env: { ...TOOL_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const collect = (chunk: Buffer): void => {
      this.lines = [...this.lines, ...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== '')].slice(-50);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => this.lines.push(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      if (this.child === child) this.logger.log('warn', 'redsocks exited', { code: code ?? -1, signal: signal ?? 'none' });
    });
    // Its start-up line, not a test connection: redsocks would pass a connection to itself on to the proxy.
    const deadline = Date.now() + LISTEN_WAIT_MS;
    while (!this.lines.some((line) => line.includes('redsocks started'))) {
      if (this.exit !== undefined) throw new BurrowError('helper_failed', `redsocks stopped at once: ${this.lines.slice(-2).join(' / ') || 'no reason given'}`);
      if (Date.now() > deadline) {
        await this.stop();
        throw new BurrowError('helper_failed', 'redsocks did not listen within 5 s.');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stub = new DnsStub({ port: REDIRECT_PORTS.dnsStubPort, proxyType: request.proxyType, proxyPort: request.proxyPort, upstream: request.dnsUpstream });
    try {
      await stub.start();
    } catch (error) {
      await this.stop();
      throw new BurrowError('conflict', `The DNS stub could not listen on 127.0.0.1:${REDIRECT_PORTS.dnsStubPort}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.stub = stub;
    this.logger.log('info', 'system-wide redirect started', { pid: child.pid ?? -1, proxy: request.proxyType, proxyPort: request.proxyPort, user: user.name });
    return { pid: child.pid ?? -1, ...REDIRECT_PORTS, user: user.name };
  }

  status(): RedirectStatus {
    const running = this.child !== undefined && this.exit === undefined;
    return {
      running,
      pid: this.child?.pid ?? null,
      exitCode: this.exit?.code ?? null,
      signal: this.exit?.signal ?? null,
      dnsQueries: this.stub?.queries ?? 0,
      dnsFailures: this.stub?.failures ?? 0,
      lastProblem: running ? null : (this.lines.at(-1)?.slice(0, 300) ?? null),
    };
  }

  /** The stub, then redsocks (TERM, KILL after 3 s). */
  async stop(): Promise<{ stopped: boolean }> {
    this.stub?.stop();
    this.stub = undefined;
    const child = this.child;
    if (child === undefined || this.exit !== undefined) return { stopped: false };
    const exited = this.exited;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000))]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
    this.logger.log('info', 'system-wide redirect stopped', { pid: child.pid ?? -1 });
    return { stopped: true };
  }
}
