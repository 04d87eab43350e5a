#!/usr/bin/env node
// A stand-in for fpm where fpm cannot be had (the offline build machine: electron-builder downloads fpm
// from GitHub, and Debian 12 has no fpm package). It understands exactly the command line electron-builder
// 26's deb target (app-builder-lib FpmTarget) writes, and builds what fpm 1.17 builds from it, with
// dpkg-deb: the control fields of fpm's templates/deb.erb (Installed-Size as fpm sums it), the maintainer
// scripts as given (fpm's write_scripts copies them unchanged, mode 0755), md5sums of regular files,
// conffiles for files under /etc (fpm's default), everything owned by root. Read from fpm's source
// (github.com/jordansissel/fpm, lib/fpm/package/deb.rb), not copied. Anything else
// (rpm, an option it does not know) is refused with an error, never ignored.
// Use: CUSTOM_FPM_PATH=$PWD/resources/build/fpm-shim.mjs npx electron-builder --linux deb
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const VALUE_OPTIONS = {
  '-s': 'source',
  '-t': 'target',
  '-d': 'depends',
  '--depends': 'depends',
  '--deb-recommends': 'recommends',
  '--deb-compression': 'compression',
  '--deb-priority': 'priority',
  '--architecture': 'architecture',
  '--after-install': 'postinst',
  '--before-install': 'preinst',
  '--after-remove': 'postrm',
  '--before-remove': 'prerm',
  '--description': 'description',
  '--version': 'version',
  '--iteration': 'iteration',
  '--package': 'package',
  '--name': 'name',
  '--maintainer': 'maintainer',
  '--vendor': 'vendor',
  '--url': 'url',
  '--license': 'license',
  '--category': 'category',
  '--log': 'log',
};
const REPEATED = new Set(['depends', 'recommends']);
const FLAGS = new Set(['--force', '--debug']);

export function parseFpmArgs(argv) {
  const options = { depends: [], recommends: [], force: false, mappings: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (FLAGS.has(arg)) {
      if (arg === '--force') options.force = true;
      continue;
    }
    const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag.startsWith('-')) {
      const key = VALUE_OPTIONS[flag];
      if (key === undefined) throw new Error(`fpm-shim: option ${flag} is not supported (install fpm for it)`);
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new Error(`fpm-shim: ${flag} needs a value`);
      if (REPEATED.has(key)) options[key].push(value);
      else options[key] = value;
      continue;
    }
    const at = arg.indexOf('=');
    if (at <= 0) throw new Error(`fpm-shim: "${arg}" is not a SOURCE=DESTINATION mapping`);
    options.mappings.push({ from: arg.slice(0, at), to: arg.slice(at + 1) });
  }
  if (options.source !== 'dir') throw new Error(`fpm-shim: only -s dir is supported, not ${options.source}`);
  if (options.target !== 'deb') throw new Error(`fpm-shim: only -t deb is supported, not ${options.target} (install fpm, and rpmbuild for rpm)`);
  for (const key of ['name', 'version', 'package', 'architecture']) if (!options[key]) throw new Error(`fpm-shim: --${key} is required`);
  return options;
}

/** fpm's fix_dependency for deb: `name >= 1.0` becomes `name (>= 1.0)`. */
export function debDependency(text) {
  const match = /^(\S+)\s*(<<|>>|<=|>=|=|<|>)\s*(\S+)$/.exec(text.trim());
  return match === null ? text.trim() : `${match[1]} (${match[2]} ${match[3]})`;
}

/** fpm's templates/deb.erb, field by field, with fpm::Package's defaults (category, license, vendor). */
export function controlFile(options, installedKb) {
  const vendor = options.vendor ?? 'none';
  const lines = [
    `Package: ${options.name}`,
    `Version: ${options.version}${options.iteration ? `-${options.iteration}` : ''}`,
    `License: ${options.license ?? 'unknown'}`,
    ...(vendor !== '' ? [`Vendor: ${vendor}`] : []),
    `Architecture: ${options.architecture}`,
    `Maintainer: ${options.maintainer ?? `<${process.env.USER ?? 'root'}@localhost>`}`,
    `Installed-Size: ${installedKb}`,
    ...(options.depends.length > 0 ? [`Depends: ${options.depends.map(debDependency).join(', ')}`] : []),
    ...(options.recommends.length > 0 ? [`Recommends: ${options.recommends.map(debDependency).join(', ')}`] : []),
    `Section: ${options.category ?? 'default'}`,
    `Priority: ${options.priority ?? 'optional'}`,
    `Homepage: ${options.url ?? 'http://nourlgiven.example.com/'}`,
  ];
  const [first, ...rest] = (options.description ?? 'no description given').split('\n');
  lines.push(`Description: ${first}`);
  for (const line of rest) lines.push(/^ *$/.test(line) ? ' .' : ` ${line}`);
  return `${lines.join('\n')}\n`;
}

function walk(dir, visit, base = dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit, base);
    else visit(path, relative(base, path));
  }
}

const COMPRESSORS = { xz: 'xz', gz: 'gzip', gzip: 'gzip', none: 'none', zstd: 'zstd' };

export function buildDebFromArgs(argv) {
  const options = parseFpmArgs(argv);
  const output = resolve(options.package);
  if (existsSync(output) && !options.force) throw new Error(`fpm-shim: ${output} exists (use --force)`);
  const compressor = COMPRESSORS[options.compression ?? 'gz'];
  if (compressor === undefined) throw new Error(`fpm-shim: --deb-compression ${options.compression} is not supported`);
  const staging = mkdtempSync(join(tmpdir(), 'fpm-shim-'));
  try {
    const tree = join(staging, 'root');
    mkdirSync(tree);
    for (const { from, to } of options.mappings) {
      const source = resolve(from);
      if (!existsSync(source)) throw new Error(`fpm-shim: File not found: ${from}`);
      const destination = join(tree, to);
      // As fpm: "dir/=dest" puts the directory's contents at dest, "file=dest" the file at dest.
      mkdirSync(from.endsWith('/') ? destination : dirname(destination), { recursive: true });
      cpSync(source, destination, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    }
    const control = join(tree, 'DEBIAN');
    mkdirSync(control);
    let bytes = 0;
    const sums = [];
    const conffiles = [];
    walk(tree, (path, rel) => {
      if (rel.startsWith('DEBIAN/')) return;
      const stat = lstatSync(path);
      bytes += stat.size;
      // As fpm: md5sums of regular files, symbolic links left out.
      if (!stat.isFile()) return;
      sums.push(`${createHash('md5').update(readFileSync(path)).digest('hex')}  ${rel}`);
      if (rel.startsWith('etc/')) conffiles.push(`/${rel}`);
    });
    writeFileSync(join(control, 'control'), controlFile(options, Math.floor(bytes / 1024)));
    writeFileSync(join(control, 'md5sums'), `${sums.join('\n')}\n`);
    if (conffiles.length > 0) writeFileSync(join(control, 'conffiles'), `${conffiles.join('\n')}\n`);
    for (const script of ['preinst', 'postinst', 'prerm', 'postrm']) {
      if (options[script] === undefined) continue;
      writeFileSync(join(control, script), readFileSync(resolve(options[script])));
      chmodSync(join(control, script), 0o755);
    }
    chmodSync(tree, 0o755);
    chmodSync(control, 0o755);
    rmSync(output, { force: true });
    const built = spawnSync('dpkg-deb', ['--root-owner-group', `-Z${compressor}`, '--build', tree, output], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`fpm-shim: dpkg-deb failed: ${(built.stderr || built.stdout || String(built.error)).trim()}`);
    if (!statSync(output).isFile()) throw new Error('fpm-shim: dpkg-deb wrote nothing');
    console.log(`Created package {:path=>"${output}"}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    buildDebFromArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
