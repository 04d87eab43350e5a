// What a VM test hands its guest: the .deb a person installs (built by the packaging test's buildDeb,
// cached by the hash of what goes into it), Node and the CLI/host bundles, the lab's WireGuard profile
// and the facts the guest script needs (job.env).
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Lab } from '../lab/index.js';
import { ensureBuilt } from '../lab/burrow-in-lab.js';
import { repoRoot } from '../lab/process.js';
import { buildDeb } from '../unit/packaging/build-package.js';
import { addBurrowRuntime, attachVmLan, scratch, vmImage, type BootOptions } from './vm.js';

const DEB_CACHE = '/var/cache/burrow-vm/deb';

/** dist/netd is written by the packaging itself (electron-builder's beforePack builds it from dist/node). */
const DERIVED = new Set(['dist/netd']);

function hashTree(hash: ReturnType<typeof createHash>, dir: string, root: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
    const path = join(dir, entry.name);
    if (DERIVED.has(relative(root, path))) continue;
    if (entry.isDirectory()) hashTree(hash, path, root);
    else if (entry.isFile()) hash.update(relative(root, path)).update(readFileSync(path));
  }
}

/** The .deb for the tree as it is now (`npm run build` first); rebuilt only when its inputs change. */
export async function burrowDeb(): Promise<string> {
  const root = repoRoot();
  if (!existsSync(join(root, 'dist', 'node', 'burrow.mjs'))) throw new Error('run `npm run build` before the VM suite: the .deb is packed from dist/');
  const hash = createHash('sha256');
  for (const part of ['dist', 'resources/linux', 'resources/build']) hashTree(hash, join(root, part), root);
  for (const file of ['electron-builder.yml', 'package.json', 'tests/unit/packaging/build-package.ts']) hash.update(readFileSync(join(root, file)));
  const key = hash.digest('hex').slice(0, 16);
  const cached = join(DEB_CACHE, `${key}.deb`);
  if (existsSync(cached)) return cached;
  mkdirSync(DEB_CACHE, { recursive: true });
  const deb = await buildDeb(scratch('deb'));
  copyFileSync(deb, `${cached}.tmp`);
  renameSync(`${cached}.tmp`, cached);
  for (const old of readdirSync(DEB_CACHE)) if (old !== `${key}.deb`) rmSync(join(DEB_CACHE, old), { force: true });
  return cached;
}

/** Fresh names in the lab's leak zone, one per phase of a job: leakd records who asked for each. */
export function uniqueNames<K extends string>(keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((key) => [key, `vm-${key.toLowerCase().replace(/_/g, '-')}-${randomBytes(6).toString('hex')}.leak.lab`])) as Record<K, string>;
}

export async function prepareBurrowJob(lab: Lab, script: string, names: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<BootOptions> {
  const image = vmImage();
  const work = scratch(script.replace(/\.sh$/, ''));
  const lan = await attachVmLan(lab, work);
  const jobDir = join(work, 'job');
  mkdirSync(jobDir, { recursive: true });
  chmodSync(jobDir, 0o755);
  addBurrowRuntime(jobDir, ensureBuilt());
  copyFileSync(await burrowDeb(), join(jobDir, 'burrow.deb'));
  writeFileSync(join(jobDir, 'vpn.conf'), lab.wireguard?.clientConf ?? '', { mode: 0o644 });
  const a = lab.addresses;
  const env: Record<string, string> = {
    ECHO: a.echo,
    VPN: a.vpn,
    ISP_RESOLVER: a.ispResolver,
    PUBLIC_RESOLVER: a.publicResolver,
    GUEST: lan.guest,
    ...Object.fromEntries(Object.entries(names).map(([key, name]) => [`NAME_${key}`, name])),
    ...extraEnv,
  };
  return { image, lan, work, timeoutMs: 420_000, job: { dir: jobDir, script, env } };
}
