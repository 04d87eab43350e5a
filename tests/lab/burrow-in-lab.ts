// Burrow itself inside the lab: netd (as root, the way `burrow netd` runs on a user's machine) and a
// headless host, both in the `client` namespace, and the `burrow` CLI run there too. Everything lives in
// the lab's run directory and dies with the lab: netd's resolv.conf is the namespace's, its routes and nft
// table are the namespace's, its UAPI sockets are in the namespace's /run/wireguard bind mount.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from './lab.js';
import { repoRoot, waitFor, type ExecResult, type LabProcess } from './process.js';
import { namespacePids, readCmdline } from './teardown.js';
import { BURROW_TABLE } from '../../native/netd/wireguard/routing.js';
import { HELPER_HOMES_DIR, helperHomeTag } from '../../app/networks/helper/user.js';

export interface BurrowInLab {
  dir: string;
  netdSocket: string;
  controlSocket: string;
  netd: LabProcess;
  host: LabProcess | undefined;
  /** The WireGuard .conf the lab's provider hands out, written to a file the CLI can import. */
  confFile: string;
  /** `burrow ARGS --control SOCK` in `client`; never rejects (the exit code is part of the answer). */
  cli(args: readonly string[], timeoutMs?: number): Promise<ExecResult>;
  /** The same with `--json`, parsed. */
  cliJson<T = Record<string, unknown>>(args: readonly string[], timeoutMs?: number): Promise<{ code: number | null; data: T }>;
  startHost(): Promise<LabProcess>;
  stopHost(): Promise<void>;
  startNetd(): Promise<LabProcess>;
  stopNetd(): Promise<void>;
  /** A raw JSON-lines exchange with netd (what a hostile local program could send). */
  netdRaw(lines: string, timeoutMs?: number): Promise<string>;
  /** The client namespace's resolv.conf, as programs there read it. */
  resolvConf(): string;
  stop(): Promise<void>;
}

let builtDir: string | undefined;

/**
 * The lab runs the bundles (burrow.mjs and netd.mjs side by side, as dist/node has them), built once per test
 * process into a private directory: other suites rebuilding dist/node at the same moment would otherwise hand
 * a CLI started mid-write a truncated file. The directory sits under node_modules/.cache so the bundles
 * still find the externals (better-sqlite3) in the repository's node_modules.
 */
export function ensureBuilt(): string {
  if (builtDir !== undefined) return builtDir;
  const root = repoRoot();
  const parent = join(root, 'node_modules', '.cache', 'burrow-lab-build');
  // Test workers are often killed rather than left to exit: sweep the builds of processes that are gone.
  for (const pid of existsSync(parent) ? readdirSync(parent).filter((name) => /^\d+$/.test(name)) : []) {
    if (!existsSync(`/proc/${pid}`)) rmSync(join(parent, pid), { recursive: true, force: true });
  }
  const dir = join(parent, String(process.pid));
  mkdirSync(dir, { recursive: true });
  const script = `
    const { build } = require('esbuild');
    const [root, dir] = process.argv.slice(1);
    const banner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
    const entries = [['app/cli/main.ts', 'burrow.mjs'], ['native/netd/main.ts', 'netd.mjs']];
    Promise.all(entries.map(([input, output]) => build({
      entryPoints: [root + '/' + input], outfile: dir + '/' + output, bundle: true, platform: 'node', target: 'node20',
      format: 'esm', external: ['better-sqlite3', 'electron', 'bufferutil', 'utf-8-validate'], banner: { js: banner }, logLevel: 'error',
    }))).catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script, root, dir], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building burrow.mjs and netd.mjs for the lab failed: ${result.stderr}`);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  // `burrow host --web` looks for the renderer beside its bundle's directory, as dist/node/../renderer.
  // A link left by a checkout elsewhere (node_modules shared, or the repository moved) points at the wrong
  // or a missing renderer: it is replaced. Another test process doing the same at once is fine (EEXIST).
  const renderer = join(parent, 'renderer');
  const target = join(root, 'dist', 'renderer');
  let current: string | undefined;
  try {
    current = readlinkSync(renderer);
  } catch {
    current = undefined;
  }
  if (current !== target) {
    rmSync(renderer, { force: true });
    try {
      symlinkSync(target, renderer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  builtDir = dir;
  return dir;
}

/**
 * burrow.mjs and netd.mjs with their one external at run time (better-sqlite3 and what it loads) in `app`:
 * a copy that runs from anywhere, for users who cannot reach the repository (a clone in a 0700 directory),
 * such as a desktop user's host here and the VM's guest.
 */
export function copyBurrowApp(app: string, bundles: string): void {
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  for (const file of ['burrow.mjs', 'netd.mjs']) copyFileSync(join(bundles, file), join(app, file));
  for (const name of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    cpSync(join(repoRoot(), 'node_modules', name), join(app, 'node_modules', name), {
      recursive: true,
      filter: (source) => !/better-sqlite3\/(deps|src|build\/Release\/obj(\.target)?|build\/deps)(\/|$)/.test(source),
    });
  }
}

/** The lab's burrow.mjs (netd.mjs is next to it, where `burrow netd` looks). */
export function burrowBin(): string {
  return join(ensureBuilt(), 'burrow.mjs');
}

export interface BurrowInLabOptions {
  name?: string;
  /** The host's environment. */
  env?: Record<string, string>;
  hostArgs?: readonly string[];
  /**
   * Run the host as this user, as on a desktop (netd stays root): its socket is then group `gid`'s, and
   * everything lives in a directory that user can reach (not the lab's root-only one).
   */
  hostUser?: { uid: number; gid: number };
  /** netd's environment (BURROW_NYM_SOCKS5_CLIENT, BURROW_MYST: the programs it runs for such a host). */
  netdEnv?: Record<string, string>;
}

export async function startBurrowInLab(lab: Lab, opts: BurrowInLabOptions = {}): Promise<BurrowInLab> {
  const root = repoRoot();
  const user = opts.hostUser;
  let dir = join(lab.dir, `burrow-${opts.name ?? 'main'}`);
  if (user === undefined) mkdirSync(dir, { recursive: true, mode: 0o700 });
  else {
    // Root's and 0755 (netd's helpers directory sits in it, and owned-dir.ts wants a root-only parent).
    dir = mkdtempSync(join(tmpdir(), `burrow-desk-${opts.name ?? 'main'}-`));
    chmodSync(dir, 0o755);
    for (const own of ['data', 'control']) {
      mkdirSync(join(dir, own), { mode: 0o700 });
      chownSync(join(dir, own), user.uid, user.gid);
    }
  }
  const netdSocket = join(dir, 'netd.sock');
  const controlSocket = join(dir, 'control', 'host.sock');
  const confFile = join(dir, 'lab-vpn.conf');
  writeFileSync(confFile, lab.wireguard?.clientConf ?? '', { mode: 0o600 });
  const bin = burrowBin();
  // A desktop user's host and CLI run a copy in the directory that user can reach (the repository may not be).
  const userBin = user === undefined ? bin : join(dir, 'app', 'burrow.mjs');
  if (user !== undefined) copyBurrowApp(join(dir, 'app'), ensureBuilt());
  let starts = 0;

  const asHostUser = user === undefined ? [] : ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'];

  const startNetd = async (): Promise<LabProcess> => {
    const forUser = user === undefined ? [] : ['--group', String(user.gid), '--helpers-dir', join(dir, 'helpers')];
    const proc = lab.spawn('client', [process.execPath, bin, 'netd', '--socket', netdSocket, '--state-dir', join(dir, 'netd-state'), '--lockdown-flag', join(dir, 'lockdown'), '--log-level', 'debug', ...forUser], {
      name: `burrow-netd-${starts++}`,
      cwd: root,
      ...(opts.netdEnv === undefined ? {} : { env: opts.netdEnv }),
    });
    await proc.waitForLog(/"msg":"netd ready"/, 15_000);
    return proc;
  };
  const startHost = async (): Promise<LabProcess> => {
    const proc = lab.spawn('client', [...asHostUser, process.execPath, userBin, 'host', '--data', join(dir, 'data'), '--control', controlSocket, '--netd', netdSocket, ...(opts.hostArgs ?? [])], {
      name: `burrow-host-${starts++}`,
      cwd: user === undefined ? root : dir,
      ...(opts.env === undefined && user === undefined ? {} : { env: { ...(user === undefined ? {} : { HOME: join(dir, 'data') }), ...opts.env } }),
    });
    await proc.waitForLog(/Burrow host ready/, 15_000);
    return proc;
  };

  const self: BurrowInLab = {
    dir,
    netdSocket,
    controlSocket,
    netd: await startNetd().catch((error: unknown) => {
      // Nothing else runs yet: what this made is its directory (a desktop user's lives outside the lab's).
      if (user !== undefined) rmSync(dir, { recursive: true, force: true });
      throw error;
    }),
    host: undefined,
    confFile,
    // As the host's user: the CLI trusts only a socket of its own user (or root's).
    cli: (args, timeoutMs = 60_000) =>
      lab.exec('client', [...asHostUser, process.execPath, userBin, ...args, '--control', controlSocket], { check: false, timeoutMs, cwd: user === undefined ? root : dir }),
    async cliJson<T>(args: readonly string[], timeoutMs?: number) {
      const result = await self.cli([...args, '--json'], timeoutMs);
      let data: T;
      try {
        data = JSON.parse(result.stdout) as T;
      } catch {
        throw new Error(`burrow ${args.join(' ')} --json printed no JSON (exit ${result.code}): ${result.stdout}${result.stderr}`);
      }
      return { code: result.code, data };
    },
    async startHost() {
      self.host = await startHost();
      return self.host;
    },
    async stopHost() {
      await self.host?.stop();
      self.host = undefined;
    },
    async startNetd() {
      self.netd = await startNetd();
      return self.netd;
    },
    async stopNetd() {
      await self.netd.stop();
    },
    async netdRaw(lines, timeoutMs = 5000) {
      const script = `
        const s = require('node:net').createConnection(process.argv[1]);
        let out = ''; s.setEncoding('utf8');
        s.on('data', (d) => { out += d; });
        s.on('close', () => { process.stdout.write(out); process.exit(0); });
        s.on('error', (e) => { process.stdout.write(out + 'ERROR ' + e.message); process.exit(0); });
        const input = require('node:fs').readFileSync(0);
        s.write(input);
        setTimeout(() => { process.stdout.write(out); process.exit(0); }, ${timeoutMs}).unref();`;
      const r = await lab.exec('client', [process.execPath, '-e', script, netdSocket], { input: lines, timeoutMs: timeoutMs + 5000 });
      return r.stdout;
    },
    resolvConf: () => readFileSync(`/etc/netns/${lab.namespaces.client}/resolv.conf`, 'utf8'),
    async stop() {
      await self.stopHost();
      await self.netd.stop();
      if (user !== undefined) rmSync(dir, { recursive: true, force: true });
      // The helpers' homes (kept across connects on a real host; /run forgets them at boot) of this data directory.
      const tag = `-${helperHomeTag(join(dir, 'data'))}`;
      for (const home of existsSync(HELPER_HOMES_DIR) ? readdirSync(HELPER_HOMES_DIR) : []) {
        // The home and root's record of its data directory beside it (helper/user.ts).
        if (home.endsWith(tag) || home.endsWith(`${tag}.data-dir`)) rmSync(join(HELPER_HOMES_DIR, home), { recursive: true, force: true });
      }
    },
  };
  try {
    await self.startHost();
  } catch (error) {
    // A host that did not start leaves nothing behind either: netd, its directory, the helpers' homes.
    await self.stop().catch(() => undefined);
    throw error;
  }
  return self;
}

/** Waits until `burrow status --json` reports `state` (the host settles on its own after a loss). */
export async function waitForState(burrow: BurrowInLab, states: readonly string[], timeoutMs: number): Promise<Record<string, unknown>> {
  let last: unknown;
  return waitFor(`state ${states.join('|')} (last: ${JSON.stringify(last)})`, timeoutMs, async () => {
    const { data } = await burrow.cliJson<Record<string, unknown>>(['status']);
    last = data;
    return states.includes(String(data.state)) ? data : undefined;
  }, 200);
}

/** Processes inside the client namespace (by network namespace, not by name: pgrep sees the whole machine). */
export function clientProcesses(lab: Lab): { pid: number; cmdline: string }[] {
  return namespacePids(lab.namespaces.client).map((pid) => ({ pid, cmdline: readCmdline(pid) }));
}

/** Everything Burrow's tunnel adds to the client namespace; all empty when no tunnel is up. */
export async function tunnelTraces(lab: Lab): Promise<{ links: string[]; rules: string[]; routes: string[]; tables: string[]; helpers: string[] }> {
  const text = async (argv: string[]): Promise<string> => (await lab.exec('client', argv, { check: false })).stdout;
  const links = (await text(['ip', '-o', 'link'])).split('\n').filter((line) => /burrow|wg/.test(line));
  const rules = [...(await text(['ip', '-4', 'rule'])).split('\n'), ...(await text(['ip', '-6', 'rule'])).split('\n')].filter((line) =>
    new RegExp(`51820|0xca6c|0x6275|suppress_prefixlength|lookup ${BURROW_TABLE}\\b`).test(line),
  );
  const routes = [
    ...(await text(['ip', '-4', 'route', 'show', 'table', '51820'])).split('\n'),
    ...(await text(['ip', '-6', 'route', 'show', 'table', '51820'])).split('\n'),
    // Burrow's own table (native/netd/wireguard/routing.ts), not wg-quick's 51820.
    ...(await text(['ip', '-4', 'route', 'show', 'table', String(BURROW_TABLE)])).split('\n'),
    ...(await text(['ip', '-6', 'route', 'show', 'table', String(BURROW_TABLE)])).split('\n'),
    ...(await text(['ip', 'route', 'show', 'table', 'all'])).split('\n').filter((line) => line.includes('burrow')),
  ].filter((line) => line.trim() !== '');
  const tables = (await text(['nft', 'list', 'tables'])).split('\n').filter((line) => line.includes('burrow'));
  const helpers = clientProcesses(lab).map((p) => p.cmdline).filter((cmdline) => cmdline.includes('wireguard-go'));
  return { links, rules, routes, tables, helpers };
}

export const NO_TRACES = { links: [], rules: [], routes: [], tables: [], helpers: [] };

/** Size of a file, or -1: for checks that a log did not grow past a point. */
export function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : -1;
}
