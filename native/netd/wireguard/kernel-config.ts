// Configuring a kernel WireGuard interface with `wg setconf`. wg(8) reads its config with fopen(), and
// `/dev/stdin` under Node's execFile is a socketpair, not a pipe: fopen("/dev/stdin") fails with ENXIO
// ("fopen: No such device or address") and the tunnel never comes up on any machine with the module.
// wg-quick gets away with it because bash hands wg a real pipe. Here the config (it holds the private
// key) goes to a file of its own, 0600, created exclusively in a fresh 0700 directory inside netd's
// root-only state directory (tmpfs under /run), and both are removed as soon as wg has read them.
// Never argv, never a world-readable file.
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BurrowError } from '../../../app/domain/index.js';
import type { Runner } from '../exec.js';

/** The directory must be root's own and closed to everyone else, or the key would be readable. */
function checkPrivate(dir: string): void {
  const stat = lstatSync(dir);
  const uid = process.getuid?.() ?? 0;
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) {
    throw new BurrowError('helper_failed', `${dir} must be a directory owned by netd's user with mode 0700 before a key is written under it.`);
  }
}

export async function wgSetconf(run: Runner, privateDir: string, ifname: string, configText: string): Promise<void> {
  checkPrivate(privateDir);
  const dir = mkdtempSync(join(privateDir, 'wg-setconf-'));
  try {
    const file = join(dir, `${ifname}.conf`);
    writeFileSync(file, configText, { mode: 0o600, flag: 'wx' });
    await run('wg', ['setconf', ifname, file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
