// A stand-in as one self-contained file beside its wrapper. The helpers run under Burrow's own users
// (burrow-nym, burrow-dvpn), who may not reach into the checkout at all: a CI clone in a 0700 directory
// made every stand-in fail with EACCES before it started. Bundled, the program needs nothing of the repo.
import { buildSync } from 'esbuild';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../process.js';

/** Bundles tests/lab/standins/<script> into `dir` (world-readable) and returns the bundle's path. */
export function bundleStandIn(script: string, dir: string): string {
  const outfile = join(dir, script.replace(/\.ts$/, '.mjs'));
  buildSync({
    entryPoints: [join(repoRoot(), 'tests', 'lab', 'standins', script)],
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
