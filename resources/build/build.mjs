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
  { in: 'tests/lab/lab-cli.ts', out: 'dist/node/lab-cli.mjs', format: 'esm' },
  { in: 'tests/lab/demo.ts', out: 'dist/node/demo.mjs', format: 'esm' },
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
    external,
    sourcemap: 'linked',
    banner: banner ? { js: banner } : undefined,
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
