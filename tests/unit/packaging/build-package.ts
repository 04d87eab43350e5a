// Builds the Linux package the only way this machine can (shared/TOOLCHAIN.md): electron-builder
// `--linux dir` offline with a stand-in electronDist, into a temp directory, then a .deb from that folder
// with dpkg-deb, assembled the way electron-builder's fpm target would: the app under /opt/<productName>,
// the AppArmor profile beside the resources, control fields from electron-builder.yml, and the maintainer
// scripts after electron-builder's own macro expansion. (fpm also adds the .desktop file and icons under
// /usr/share; they are electron-builder's, not ours, and left out.)
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { createStandInElectronDist } from './stand-in-electron.js';
import { runOk, SYSTEM_PATH } from './run.js';

export const root = join(import.meta.dirname, '..', '..', '..');
export const scriptsDir = join(root, 'resources', 'linux', 'scripts');

export interface PackageJson {
  name: string;
  version: string;
  main: string;
}

export function packageJson(): PackageJson {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * electron-builder's macro expansion of afterInstall/afterRemove (app-builder-lib FpmTarget writeConfigFile,
 * 26.17.0): `${name}` becomes the option's value, an unknown name is an error, `<%=name%>` is the old form.
 */
export function expandLikeElectronBuilder(text: string, options: Record<string, unknown>): string {
  const replace = (_match: string, name: string): string => {
    if (!(name in options)) throw new Error(`Macro ${name} is not defined`);
    return String(options[name]);
  };
  return text.replace(/\${([a-zA-Z]+)}/g, replace).replace(/<%=([a-zA-Z]+)%>/g, (match, name: string) => replace(match, name.trim()));
}

export function templateOptions(config: Configuration): Record<string, unknown> {
  return {
    executable: config.linux?.executableName,
    sanitizedProductName: config.productName,
    productFilename: config.productName,
    ...config.linux,
  };
}

/** Environment for electron-builder: the caller's, minus vitest's markers, and never hard links. */
function builderEnv(): NodeJS.ProcessEnv {
  // builder-util hard-links files (node_modules included) into the output when VITEST is set: then a later
  // change to the output would be a change to the repo's node_modules.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));
  return { ...env, USE_HARD_LINKS: 'false', ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: 'true' };
}

/** `electron-builder --linux dir` into work/out; returns linux-unpacked and electron-builder's output. */
export async function buildLinuxDir(work: string): Promise<{ unpacked: string; log: string }> {
  const electronDist = join(work, 'electron-dist');
  createStandInElectronDist(electronDist);
  const out = join(work, 'out');
  const log = await runOk(
    process.execPath,
    [
      join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      'dir',
      '--projectDir',
      root,
      `-c.electronDist=${electronDist}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${out}`,
    ],
    { cwd: root, env: builderEnv(), timeoutMs: 240_000 },
  );
  return { unpacked: join(out, 'linux-unpacked'), log };
}

const DEB_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armhf', ia32: 'i386' };

export async function assembleDeb(unpacked: string, work: string, config: Configuration): Promise<string> {
  const pkg = packageJson();
  const tree = join(work, 'deb-root');
  const app = join(tree, 'opt', String(config.productName));
  mkdirSync(join(tree, 'DEBIAN'), { recursive: true });
  cpSync(unpacked, app, { recursive: true, verbatimSymlinks: true });

  const options = templateOptions(config);
  const templates = join(root, 'node_modules', 'app-builder-lib', 'templates', 'linux');
  writeFileSync(join(app, 'resources', 'apparmor-profile'), expandLikeElectronBuilder(readFileSync(join(templates, 'apparmor-profile.tpl'), 'utf8'), options));
  const scripts: Record<string, string> = { postinst: 'after-install.sh', prerm: 'before-remove.sh', postrm: 'after-remove.sh' };
  for (const [name, file] of Object.entries(scripts)) {
    writeFileSync(join(tree, 'DEBIAN', name), expandLikeElectronBuilder(readFileSync(join(scriptsDir, file), 'utf8'), options), { mode: 0o755 });
  }

  const installedKb = (await runOk('du', ['-sk', join(tree, 'opt')])).split('\t')[0];
  const list = (value: unknown): string => [value ?? []].flat().map(String).join(', ');
  const control = [
    `Package: ${pkg.name}`,
    `Version: ${pkg.version}`,
    `Architecture: ${DEB_ARCH[process.arch] ?? process.arch}`,
    `Maintainer: ${config.linux?.maintainer}`,
    `Installed-Size: ${installedKb}`,
    `Depends: ${list(config.deb?.depends)}`,
    `Recommends: ${list(config.deb?.recommends)}`,
    `Section: net`,
    `Priority: ${config.deb?.priority ?? 'optional'}`,
    `Description: ${config.linux?.synopsis}`,
    ` ${String(config.linux?.description).replace(/\s+/g, ' ').trim()}`,
  ];
  writeFileSync(join(tree, 'DEBIAN', 'control'), `${control.join('\n')}\n`);

  const deb = join(work, `${pkg.name}_${pkg.version}_${DEB_ARCH[process.arch] ?? process.arch}.deb`);
  // gzip -1: the test needs a valid package quickly, not a small one.
  await runOk('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z1', '--build', tree, deb], { env: { PATH: SYSTEM_PATH, LANG: 'C' }, timeoutMs: 120_000 });
  return deb;
}
