// netd, Burrow's privileged helper (run as root: `burrow netd [--socket PATH] [--group NAME|GID]`). It does
// exactly what needs root — the firewall table, WireGuard interfaces and their routes, the resolver — on
// narrow, validated commands from the host. When the host goes away the firewall stays as it is (fail
// closed); tunnels are taken down when netd itself stops.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_NETD_HELPERS_DIR } from '../../app/contract/index.js';
import { toErrorInfo } from '../../app/domain/index.js';
import { ResolverConfig } from './dns.js';
import { runTool } from './exec.js';
import { Firewall } from './firewall.js';
import { createHandlers, logFacts, NETD_VERSION } from './handlers.js';
import { DEFAULT_LOCKDOWN_FLAG, LockdownFlag } from './lockdown-flag.js';
import { createLogger, type LogLevel } from './log.js';
import { ObfsHelper } from './obfs.js';
import { ProxyHelpers } from './proxy-helpers.js';
import { startServer } from './server.js';
import { StateFile } from './state-file.js';
import { SystemRedirect } from './redirect.js';
import { DEFAULT_TOR_DIR, SystemTor } from './tor.js';
import { Tunnels } from './wireguard/tunnels.js';

export const DEFAULT_NETD_SOCKET = '/run/burrow/netd.sock';
/** The resolver's backup must survive a power loss (issue 12 item 9): not under /run. */
export const DEFAULT_DNS_BACKUP_DIR = '/var/lib/burrow/dns';

const USAGE = `Usage: burrow netd [--socket PATH] [--group NAME|GID] [--state-dir DIR] [--resolv-conf PATH] [--dns-backup-dir DIR]
                   [--userspace-wireguard] [--tor-dir DIR] [--helpers-dir DIR] [--lockdown-flag PATH]
                   [--log-level debug|info|warn|error]
                   [--recover-only]
Runs as root. --recover-only undoes what a netd that died left behind (its tunnels, the resolver it replaced)
and exits: the package's pre-remove script runs it when netd cannot stop cleanly any more. Defaults: --socket ${DEFAULT_NETD_SOCKET}, --state-dir /run/burrow-netd, --resolv-conf /etc/resolv.conf,
--dns-backup-dir ${DEFAULT_DNS_BACKUP_DIR} (<state-dir>/dns with --state-dir; kept across reboots),
--tor-dir ${DEFAULT_TOR_DIR} (system-wide tor's kept state; must be reachable by tor's user),
--helpers-dir ${DEFAULT_NETD_HELPERS_DIR} (the homes of the Nym and dVPN helpers netd runs for a desktop user;
BURROW_NYM_SOCKS5_CLIENT and BURROW_MYST in netd's environment name those programs, else netd's PATH),
--lockdown-flag ${DEFAULT_LOCKDOWN_FLAG} (read by burrow-early-boot-blocking.service)
`;

function groupId(name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  // getent knows every source of groups (files, LDAP); parse its one line.
  const line = execFileSync('getent', ['group', name], { encoding: 'utf8' }).trim();
  const gid = Number(line.split(':')[2]);
  if (!Number.isInteger(gid)) throw new Error(`no group ${name}`);
  return gid;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      socket: { type: 'string' },
      group: { type: 'string' },
      'state-dir': { type: 'string' },
      'resolv-conf': { type: 'string' },
      'dns-backup-dir': { type: 'string' },
      'userspace-wireguard': { type: 'boolean' },
      'tor-dir': { type: 'string' },
      'helpers-dir': { type: 'string' },
      'lockdown-flag': { type: 'string' },
      'log-level': { type: 'string' },
      'recover-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const level = (values['log-level'] ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error('--log-level takes debug, info, warn or error');
  if (process.getuid?.() !== 0) throw new Error('netd changes the firewall, interfaces and routes: it must run as root.');
  const logger = createLogger(level);
  const state = new StateFile(values['state-dir'] ?? '/run/burrow-netd');
  const tunnels = new Tunnels({ run: runTool, logger, state, userspaceOnly: values['userspace-wireguard'] === true });
  const recovered = await tunnels.recover();
  if (recovered.length > 0) logger.log('warn', 'removed tunnels a previous netd left behind', { interfaces: recovered });
  const stateDir = values['state-dir'];
  const dns = new ResolverConfig(values['resolv-conf'] ?? '/etc/resolv.conf', state.dir, {
    backupDir: values['dns-backup-dir'] ?? (stateDir === undefined ? DEFAULT_DNS_BACKUP_DIR : join(stateDir, 'dns')),
    logger,
    tunnelLink: () => tunnels.activeLink(),
  });
  // After an unclean stop (SIGKILL, power loss) the system's resolver comes back before anything else.
  const dnsRecovered = await dns.recover();
  if (dnsRecovered !== undefined) logger.log('warn', 'restored the resolver a previous netd left replaced', { how: dnsRecovered });
  if (values['recover-only'] === true) {
    dns.stop();
    return 0;
  }
  const tor = new SystemTor(values['tor-dir'] ?? DEFAULT_TOR_DIR, logger);
  const redirect = new SystemRedirect(join(state.dir, 'redirect'), logger);
  const obfs = new ObfsHelper(join(state.dir, 'obfs'), runTool, logger);
  const helpers = new ProxyHelpers({
    baseDir: values['helpers-dir'] ?? DEFAULT_NETD_HELPERS_DIR,
    logger,
    env: { BURROW_NYM_SOCKS5_CLIENT: process.env.BURROW_NYM_SOCKS5_CLIENT, BURROW_MYST: process.env.BURROW_MYST },
  });
  const firewall = new Firewall({ run: runTool, logger });
  // Notices a flushed or changed table within a second and puts it back (issue 12 item 3).
  const stopWatch = firewall.watch();
  const handlers = createHandlers({
    tor,
    redirect,
    obfs,
    helpers,
    firewall,
    tunnels,
    dns,
    startedAt: Date.now(),
    lockdownFlag: new LockdownFlag(values['lockdown-flag'] ?? DEFAULT_LOCKDOWN_FLAG),
    logger,
  });
  const server = await startServer({
    path: values.socket ?? DEFAULT_NETD_SOCKET,
    ...(values.group === undefined ? {} : { gid: groupId(values.group) }),
    handlers,
    logger,
    facts: logFacts,
  });
  logger.log('info', 'netd ready', { version: NETD_VERSION, pid: process.pid });

  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.log('info', 'stopping; the firewall stays as it is (fail closed)', { signal });
      void (async () => {
        stopWatch();
        await server.close();
        await helpers.stopAll().catch((error: unknown) => logger.log('error', 'helper teardown failed', { reason: toErrorInfo(error).message }));
        await obfs.stop().catch((error: unknown) => logger.log('error', 'transport helper teardown failed', { reason: toErrorInfo(error).message }));
        await redirect.stop().catch((error: unknown) => logger.log('error', 'redirect teardown failed', { reason: toErrorInfo(error).message }));
        await tor.stop().catch((error: unknown) => logger.log('error', 'tor teardown failed', { reason: toErrorInfo(error).message }));
        await tunnels.downAll().catch((error: unknown) => logger.log('error', 'tunnel teardown failed', { reason: toErrorInfo(error).message }));
        // The tunnels are gone: the system's resolver comes back with them.
        await dns.restore().catch((error: unknown) => logger.log('error', 'resolver restore failed', { reason: toErrorInfo(error).message }));
        dns.stop();
        resolve(0);
      })();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`burrow netd: ${toErrorInfo(error).message.replace(/^Unexpected error: /, '')}\n`);
    process.exitCode = 1;
  },
);
