// A stand-in for Electron's unpacked Linux distribution, because no Electron binary exists on the build
// machine (shared/TOOLCHAIN.md): an `electron` file carrying the fuse wire Electron ships with, so that
// electron-builder's fuse flipping (@electron/fuses) has a real wire to flip, and a `chrome-sandbox` for the
// post-install script to chmod. With ELECTRON_RUN_AS_NODE=1 and the RunAsNode fuse on it runs node, as
// Electron would. The packaging tests check the package, not Electron.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The marker @electron/fuses looks for; the wire follows it: version byte, length byte, one byte per fuse. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Fuse wire v1, in wire order (FuseV1Options in @electron/fuses, https://www.electronjs.org/docs/latest/tutorial/fuses). */
export const FUSE_NAMES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
export type FuseName = (typeof FUSE_NAMES)[number];

/** How Electron ships: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest off. */
export const ELECTRON_DEFAULT_WIRE = '10110001';

export function createStandInElectronDist(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, FUSE_NAMES.length]), Buffer.from(ELECTRON_DEFAULT_WIRE)]);
  // ELECTRON_RUN_AS_NODE makes Electron a Node interpreter when its RunAsNode fuse is on: the stand-in
  // reads that fuse from its own wire (the first state byte, 9 bytes before the end) and runs node.
  const script = Buffer.from(
    [
      '#!/bin/sh',
      'if [ "$ELECTRON_RUN_AS_NODE" = 1 ] && [ "$(tail -c 9 "$0" | head -c 1)" = 1 ]; then exec node "$@"; fi',
      'echo "stand-in for Electron: packaging tests only" >&2',
      'exit 1',
      '# ',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'electron'), Buffer.concat([script, wire, Buffer.from('\n')]), { mode: 0o755 });
  writeFileSync(join(dir, 'chrome-sandbox'), 'stand-in\n', { mode: 0o755 });
}

/** Reads the fuse wire back from a binary: '0' off, '1' on, 'r' removed, per fuse name. */
export function readFuseWire(binary: string): { version: number; fuses: Record<FuseName, string> } {
  const bytes = readFileSync(binary);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0 || bytes.lastIndexOf(FUSE_SENTINEL) !== at) throw new Error(`${binary} does not hold exactly one fuse sentinel`);
  const start = at + FUSE_SENTINEL.length;
  const length = bytes[start + 1] ?? 0;
  const states = bytes.subarray(start + 2, start + 2 + length).toString('latin1');
  const fuses = Object.fromEntries(FUSE_NAMES.map((name, i) => [name, states[i] ?? '?'])) as Record<FuseName, string>;
  return { version: bytes[start] ?? 0, fuses };
}
