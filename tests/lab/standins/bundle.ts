// A stand-in as one self-contained file beside its wrapper. The helpers run under Burrow's own users
// (burrow-nym, burrow-dvpn), who may not reach into the checkout at all: a CI clone in a 0700 directory
// made every stand-in fail with EACCES before it started. Bundled, the program needs nothing of the repo.
import { buildSync } from 'esbuild';
import { chmodSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { repoRoot } from '../process.js';

/**
 * Bundles tests/lab/standins/<script> (or `script` itself when it is an absolute path: a stand-in kept
 * elsewhere, such as a unit test's) into `dir` (world-readable) and returns the bundle's path.
 */
export function bundleStandIn(script: string, dir: string): string {
  const outfile = join(dir, basename(script).replace(/\.ts$/, '.mjs'));
  buildSync({
    entryPoints: [isAbsolute(script) ? script : join(repoRoot(), 'tests', 'lab', 'standins', script)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  chmodSync(outfile, 0o644);
  return outfile;
}
