// Keeps the shell testable and the preload loadable: only the composition modules load 'electron' at
// run time (tests never do: no Electron binary exists here), and the sandboxed preload bundle requires
// nothing but 'electron' (a sandboxed preload has no other require).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const RUNTIME_ELECTRON = new Set(['electron/main/index.ts', 'electron/main/desktop.ts', 'electron/main/tray-controller.ts', 'electron/preload/index.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Value imports of 'electron' (import type and `import { type X }`-only lines are fine). */
function runtimeElectronImports(source: string): string[] {
  return [...source.matchAll(/^import\s+(?!type\s)([^;]*?)\s+from\s+'electron';/gms)]
    .map((m) => m[1] ?? '')
    .filter((clause) => !/^\{\s*(type\s+\w+\s*,?\s*)+\}$/.test(clause.trim()));
}

describe('layering of electron/', () => {
  it('the detector sees value imports and lets type-only ones pass', () => {
    expect(runtimeElectronImports("import { app, type BrowserWindow } from 'electron';")).toHaveLength(1);
    expect(runtimeElectronImports("import {\n  Menu,\n  Tray,\n} from 'electron';")).toHaveLength(1);
    expect(runtimeElectronImports("import type { Session } from 'electron';")).toEqual([]);
    expect(runtimeElectronImports("import { type Session, type WebContents } from 'electron';")).toEqual([]);
    for (const file of RUNTIME_ELECTRON) {
      if (file.endsWith('index.ts') && file.includes('main')) continue;
      expect(runtimeElectronImports(readFileSync(join(root, file), 'utf8')).length).toBeGreaterThan(0);
    }
  });

  it.each(tsFiles('electron').filter((f) => !RUNTIME_ELECTRON.has(f)))('%s loads no Electron at run time', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    expect(runtimeElectronImports(source)).toEqual([]);
    expect(source).not.toMatch(/require\(['"]electron['"]\)/);
  });

  it.each(tsFiles('tests/unit/electron'))('%s never imports electron at run time', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    expect(runtimeElectronImports(source)).toEqual([]);
    expect(source).not.toMatch(/import\(['"]electron['"]\)|require\(['"]electron['"]\)/);
  });

  it('the preload bundle (CommonJS, as the build makes it) requires only electron', async () => {
    const result = await build({
      entryPoints: [join(root, 'electron/preload/index.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const required = new Set([...code.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]));
    expect([...required]).toEqual(['electron']);
    expect(code).toContain('exposeInMainWorld');
  });

  it('the main-process shell bundles to CommonJS needing only electron and Node built-ins, without import.meta', async () => {
    const result = await build({
      entryPoints: [join(root, 'electron/main/desktop.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron', 'better-sqlite3'],
      write: false,
      logLevel: 'silent',
    });
    // esbuild warns (and leaves an empty object) when CommonJS output meets import.meta.
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    const required = [...new Set([...code.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1] ?? ''))];
    expect(required.filter((name) => name !== 'electron' && !name.startsWith('node:'))).toEqual([]);
  });
});
