// startLab(): a small internet on this machine, in network namespaces, for one run. See
// shared/LAB.md for the measured recipe and tests/lab/README.md for the topology.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LAB_NAMESPACES, namespaceNames, planAddresses, planInterfaces,
  type LabAddresses, type LabInterfaces, type LabNamespace,
} from './addresses.js';
import { ensureBurrowUsers } from './burrow-users.js';
import { startCapture, captureArgv, type Capture, type CaptureOptions } from './capture.js';
import { createCensor, type Censor } from './censor.js';
import { nsArgv, repoRoot, run, spawnLogged, waitFor, type ExecOptions, type ExecResult, type LabProcess } from './process.js';
import { LEAK_ZONE, dnsmasqArgv, readResolverLog, writeDnsmasqConfig, type ResolverName, type ResolverQuery } from './resolvers.js';
import { STATE_ROOT, claimOctet, selfOwner, writeState, type LabStateFile } from './run-state.js';
import { cleanupLeftovers, teardownState, type TeardownReport } from './teardown.js';
import { createNamespaces, wire } from './topology.js';
import { startTorNetwork, type TorNetwork } from './tor-network.js';
import { startWireguardServer, type WireguardServer } from './wireguard-server.js';

export interface LabOptions {
  /** Start the private Tor network and the bridge (default true; costs 10–20 s and ~750 MB). */
  tor?: boolean;
  /** Start the WireGuard server in `vpn` (default true). */
  vpn?: boolean;
  /** Keep the lab after this process exits (`npm run lab -- up`); otherwise exit and signals tear it down. */
  persistent?: boolean;
  /** Progress lines (default: silent). */
  log?: (message: string) => void;
}

export interface SpawnOptions {
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Name for the log file and error messages (default: the program's name). */
  name?: string;
}

export interface Lab {
  prefix: string;
  octet: number;
  /** Run directory: logs, configs, tor data (under /run/burrow-lab). */
  dir: string;
  namespaces: Record<LabNamespace, string>;
  interfaces: LabInterfaces;
  addresses: LabAddresses;
  leakd: { url: string; urlV6: string; zone: string; dns: string; stun: string; stunV6: string };
  /** Undefined when started with `vpn: false`. */
  wireguard: WireguardServer | undefined;
  /** Undefined when started with `tor: false`. */
  tor: TorNetwork | undefined;
  /** Runs argv in a namespace, no shell; rejects on a non-zero exit unless `check: false`. */
  exec(ns: LabNamespace, argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-lived process in a namespace; teardown kills it if the caller does not. */
  spawn(ns: LabNamespace, argv: readonly string[], opts?: SpawnOptions): LabProcess;
  /** The directory bind-mounted over /run/wireguard in a namespace (UAPI sockets appear there). */
  wireguardDir(ns: LabNamespace): string;
  censor: Censor;
  capture(ns: LabNamespace, iface: string, opts?: CaptureOptions): Promise<Capture>;
  /** Every process started with spawn (lab daemons included), alive or not. */
  processes(): { pid: number; name: string }[];
  /** Queries a lab resolver received, from its log. */
  resolverQueries(which: ResolverName): ResolverQuery[];
  stop(): Promise<TeardownReport>;
}

const active = new Map<string, () => TeardownReport>();
let handlersInstalled = false;

/** Signals and exit tear down every non-persistent lab of this process before it goes. */
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const all = (): void => [...active.values()].forEach((stop) => stop());
  process.on('exit', all);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      all();
      // Re-raise for the default exit, unless the program handles the signal itself (the demo does).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** dnsmasq reports start-up in its log file (log-facility), not on stdout. */
function resolverStarted(proc: LabProcess, logFile: string): Promise<true> {
  return waitFor(`${proc.name} to start`, 10_000, () => {
    if (!proc.running()) throw new Error(`${proc.name} exited: ${proc.log().slice(-500)}`);
    return existsSync(logFile) && readFileSync(logFile, 'utf8').includes('started, version') ? true : undefined;
  });
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const log = options.log ?? (() => undefined);
  const withTor = options.tor ?? true;
  const withVpn = options.vpn ?? true;
  if (process.getuid?.() !== 0) throw new Error('the lab needs root (network namespaces, nftables)');
  // netd runs system-wide Tor, Nym and dVPN only under Burrow's own users; the package creates them.
  ensureBurrowUsers();

  const prefix = `bl${randomBytes(2).toString('hex')}`;
  // Leftovers of runs that died (their owner is gone) go first: they hold memory, addresses, names.
  for (const report of cleanupLeftovers({ all: false, except: prefix })) log(`removed leftover lab ${report.prefix}`);
  const octet = claimOctet(prefix);
  const dir = join(STATE_ROOT, prefix);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const namespaces = namespaceNames(prefix);
  const interfaces = planInterfaces(prefix);
  const addresses = planAddresses(octet);
  const wgDirs = Object.fromEntries(LAB_NAMESPACES.map((ns) => [ns, join(dir, 'wg', ns)])) as Record<LabNamespace, string>;
  const state: LabStateFile = {
    prefix,
    octet,
    dir,
    createdAt: new Date().toISOString(),
    owner: selfOwner(options.persistent ?? false),
    namespaces: LAB_NAMESPACES.map((ns) => namespaces[ns]),
    processes: [],
    extraPaths: [],
  };
  // Saved before the first namespace exists, so no moment exists in which cleanup could not find it.
  writeState(state);
  let stopped: TeardownReport | undefined;
  const teardown = (): TeardownReport => {
    stopped ??= teardownState(state);
    active.delete(prefix);
    return stopped;
  };
  if (!state.owner.persistent) {
    installHandlers();
    active.set(prefix, teardown);
  }

  const exec = (ns: LabNamespace, argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> =>
    run('ip', nsArgv(namespaces[ns], wgDirs[ns], argv), opts);
  const spawn = (ns: LabNamespace, argv: readonly string[], opts: SpawnOptions = {}): LabProcess => {
    if (stopped !== undefined) throw new Error(`lab ${prefix} is stopped`);
    const name = opts.name ?? `${ns}-${(argv[0] ?? 'process').split('/').pop() ?? 'process'}`;
    const logFile = join(dir, 'logs', `${name}-${state.processes.length}.log`);
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const proc = spawnLogged(name, 'ip', nsArgv(namespaces[ns], wgDirs[ns], argv), logFile, opts);
    state.processes.push({ pid: proc.pid, name });
    writeState(state);
    return proc;
  };
  const execText = async (ns: LabNamespace, argv: string[], input?: string): Promise<string> =>
    (await exec(ns, argv, input === undefined ? {} : { input })).stdout;

  try {
    const started = Date.now();
    state.extraPaths = await createNamespaces({ namespaces, interfaces, addresses, wgDirs });
    writeState(state);
    await wire({ namespaces, interfaces, addresses, wgDirs });
    log(`lab ${prefix}: namespaces wired in ${Date.now() - started} ms (10.${octet}.0.0/16)`);

    const root = repoRoot();
    const leakd = spawn('inet', [
      process.execPath, '--import', 'tsx', join(root, 'app', 'leakd', 'main.ts'),
      '--http', `${addresses.echo}:80`, '--http', `[${addresses.echoV6}]:80`,
      '--dns', `${addresses.leakdDns}:53`, '--dns', `[${addresses.leakdDnsV6}]:53`,
      '--stun', `${addresses.echo}:3478`, '--stun', `[${addresses.echoV6}]:3478`,
      '--zone', LEAK_ZONE, '--answer-a', addresses.echo, '--answer-aaaa', addresses.echoV6,
    ], { cwd: root, name: 'leakd' });
    const ispDns = writeDnsmasqConfig(dir, 'isp', addresses);
    const publicDns = writeDnsmasqConfig(dir, 'public', addresses);
    const dnsIsp = spawn('isp', dnsmasqArgv(ispDns.conf), { name: 'dns-isp' });
    const dnsPublic = spawn('inet', dnsmasqArgv(publicDns.conf), { name: 'dns-public' });
    spawn('inet', ['iperf3', '--server', '--bind', addresses.iperf], { name: 'iperf3' });

    const torPromise = withTor
      ? startTorNetwork({
          dir,
          addresses,
          exec: (ns, argv, input) => execText(ns, argv, input),
          spawn: (ns, name, argv) => spawn(ns, argv, { name }),
          log,
        })
      : Promise.resolve(undefined);
    const vpnPromise = withVpn
      ? startWireguardServer({
          dir,
          wgDir: wgDirs.vpn,
          addresses,
          interfaces,
          exec: (argv, input) => execText('vpn', argv, input),
          spawn: (name, argv, env) => spawn('vpn', argv, env === undefined ? { name } : { name, env }),
        })
      : Promise.resolve(undefined);
    // IPv6 on a new veth starts working only once the kernel has noticed the carrier (linkwatch runs up
    // to a second late); until then neighbour solicitations go unanswered. Wait for it, like a user's
    // machine waits for its link.
    const ipv6Promise = Promise.all(
      ([['client', addresses.echoV6], ['vpn', addresses.vpnInetV6]] as const).map(([ns, target]) =>
        waitFor(`IPv6 from ${ns} to ${target}`, 10_000, async () =>
          (await exec(ns, ['ping', '-6', '-c1', '-W1', target], { check: false })).code === 0 ? true : undefined,
        ),
      ),
    );
    // Settle all before judging any: a rejected one must not leave the others running unobserved.
    const [torResult, vpnResult, ipv6Result] = await Promise.allSettled([torPromise, vpnPromise, ipv6Promise]);
    await Promise.all([
      leakd.waitForLog(/"event":"listening"/, 30_000),
      resolverStarted(dnsIsp, ispDns.log),
      resolverStarted(dnsPublic, publicDns.log),
    ]);
    if (vpnResult.status === 'rejected') throw vpnResult.reason;
    if (torResult.status === 'rejected') throw torResult.reason;
    if (ipv6Result.status === 'rejected') throw ipv6Result.reason;
    const tor = torResult.value;
    await waitFor('the ISP resolver to answer', 10_000, async () => {
      const r = await exec('client', ['dig', '+short', '+time=1', '+tries=1', `ready.${LEAK_ZONE}`], { check: false });
      return r.stdout.trim() === addresses.echo ? true : undefined;
    });
    log(`lab ${prefix}: up in ${Date.now() - started} ms`);

    const nft = async (ruleset: string | undefined): Promise<string> =>
      ruleset === undefined
        ? (await exec('isp', ['nft', 'list', 'table', 'inet', 'burrowlab_censor'], { check: false })).stdout
        : (await exec('isp', ['nft', '-f', '-'], { input: ruleset })).stdout;
    return {
      prefix,
      octet,
      dir,
      namespaces,
      interfaces,
      addresses,
      leakd: {
        url: `http://${addresses.echo}`,
        urlV6: `http://[${addresses.echoV6}]`,
        zone: LEAK_ZONE,
        dns: addresses.leakdDns,
        stun: `${addresses.echo}:3478`,
        stunV6: `[${addresses.echoV6}]:3478`,
      },
      wireguard: vpnResult.value,
      tor,
      exec,
      spawn,
      wireguardDir: (ns) => wgDirs[ns],
      censor: createCensor({
        nft,
        torAddresses: () => tor?.relayAddresses ?? [],
        exec: (argv, opts) => exec('isp', argv, opts),
        spawn: (argv, name) => spawn('isp', argv, { name }),
        addresses,
        interfaces,
      }),
      async capture(ns, iface, opts = {}) {
        const file = join(dir, `capture-${ns}-${iface}-${Date.now()}.pcap`);
        return startCapture(spawn(ns, captureArgv(iface, file, opts), { name: `capture-${ns}` }), file, opts.fullPackets === true);
      },
      processes: () => state.processes.map((p) => ({ ...p })),
      resolverQueries: (which) => readResolverLog(which === 'isp' ? ispDns.log : publicDns.log),
      stop: () => Promise.resolve(teardown()),
    };
  } catch (err) {
    const report = teardown();
    const left = report.survivors.length + report.namespacesLeft.length;
    throw new Error(`lab ${prefix} failed to start: ${err instanceof Error ? err.message : String(err)}${left > 0 ? ` (teardown left ${left} things behind)` : ''}`, { cause: err });
  }
}
