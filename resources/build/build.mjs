// Builds every runnable piece: the Node bundles (burrow CLI/host, lab tools, Electron main and preload)
// with esbuild, and the renderer with Vite. `node resources/build/build.mjs node` builds only the Node side.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const onlyNode = process.argv[2] === 'node';

// Native addons and Electron stay outside the bundles.
const external = ['better-sqlite3', 'electron', 'bufferutil', 'utf-8-validate'];
// ESM bundles still meet CommonJS dependencies that call require(): give them one.
const esmBanner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

const nodeEntries = [
  { in: 'app/cli/main.ts', out: 'dist/node/burrow.mjs', format: 'esm', shebang: true },
  { in: 'native/netd/main.ts', out: 'dist/node/netd.mjs', format: 'esm' },
  // The client commands alone, minified: what a short `burrow connect` costs is mostly start-up.
  { in: 'app/cli/client-main.ts', out: 'dist/node/burrow-client.mjs', format: 'esm', shebang: true, minify: true },
  // The lab's tools bundle the stand-ins at run time (tests/lab/standins/bundle.ts): esbuild stays a package
  // (it cannot be bundled: it starts its own worker and binary), found in the checkout's node_modules.
  { in: 'tests/lab/lab-cli.ts', out: 'dist/node/lab-cli.mjs', format: 'esm', external: ['esbuild'] },
  { in: 'tests/lab/demo.ts', out: 'dist/node/demo.mjs', format: 'esm', external: ['esbuild'] },
  { in: 'electron/main/index.ts', out: 'dist/electron/main.cjs', format: 'cjs' },
  { in: 'electron/preload/index.ts', out: 'dist/electron/preload.cjs', format: 'cjs' },
];

for (const entry of nodeEntries) {
  const input = join(root, entry.in);
  if (!existsSync(input)) continue;
  mkdirSync(dirname(join(root, entry.out)), { recursive: true });
  const banner = [entry.shebang ? '#!/usr/bin/env node' : '', entry.format === 'esm' ? esmBanner : '']
    .filter(Boolean)
    .join('\n');
  await build({
    entryPoints: [input],
    outfile: join(root, entry.out),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: entry.format,
    external: [...external, ...(entry.external ?? [])],
    sourcemap: 'linked',
    banner: banner ? { js: banner } : undefined,
    minify: entry.minify === true,
    logLevel: 'warning',
  });
}

if (!onlyNode) {
  const vite = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'resources/build/vite.renderer.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
