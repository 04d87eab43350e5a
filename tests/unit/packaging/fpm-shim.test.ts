// resources/build/fpm-shim.mjs, the fpm stand-in the packaging test hands electron-builder where fpm is
// absent: it refuses what it cannot do, and what it builds dpkg-deb reads back as fpm would have made it.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fpmShim } from './build-package.js';
import { run, runOk } from './run.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-fpm-shim-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = ['-s', 'dir', '--force', '-t', 'deb', '--name', 'demo', '--version', '1.2.3', '--architecture', 'amd64'];

describe('fpm-shim', () => {
  it('refuses rpm and options it does not know, instead of ignoring them', async () => {
    const rpm = await run(process.execPath, [fpmShim, '-s', 'dir', '-t', 'rpm', '--name', 'x', '--version', '1', '--architecture', 'x86_64', '--package', join(dir, 'x.rpm')]);
    expect(rpm.code).toBe(1);
    expect(rpm.stderr).toMatch(/only -t deb is supported, not rpm/);
    const unknown = await run(process.execPath, [fpmShim, ...base, '--package', join(dir, 'x.deb'), '--deb-systemd', 'x.service']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/option --deb-systemd is not supported/);
  });

  it('builds a .deb from electron-builder-style arguments that dpkg-deb reads back (info, contents, scripts)', async () => {
    const app = join(dir, 'linux-unpacked');
    mkdirSync(join(app, 'resources'), { recursive: true });
    writeFileSync(join(app, 'demo-bin'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    writeFileSync(join(app, 'resources', 'data.txt'), 'data\n');
    symlinkSync('demo-bin', join(app, 'link'));
    writeFileSync(join(dir, 'demo.desktop'), '[Desktop Entry]\nName=Demo\n');
    writeFileSync(join(dir, 'postinst.sh'), '#!/bin/bash\necho installed\n');
    chmodSync(join(dir, 'postinst.sh'), 0o644);
    const deb = join(dir, 'demo_1.2.3_amd64.deb');
    await runOk(process.execPath, [
      fpmShim,
      ...base,
      '-d', 'libc6',
      '-d', 'nftables >= 1.0',
      '--deb-recommends', 'tor',
      '--deb-compression', 'gz',
      '--after-install', join(dir, 'postinst.sh'),
      '--description', 'One line\n More words',
      '--package', deb,
      '--maintainer', 'Someone <s@localhost>',
      '--url', 'https://example.org/',
      '--deb-priority', 'optional',
      '--license', 'MIT',
      `${app}/=/opt/Demo`,
      `${join(dir, 'demo.desktop')}=/usr/share/applications/demo.desktop`,
    ]);
    const info = await runOk('dpkg-deb', ['-I', deb]);
    const field = (name: string): string | undefined => new RegExp(`^ ${name}: (.*)$`, 'm').exec(info)?.[1];
    expect(field('Package')).toBe('demo');
    expect(field('Version')).toBe('1.2.3');
    expect(field('Depends')).toBe('libc6, nftables (>= 1.0)');
    expect(field('Recommends')).toBe('tor');
    expect(field('Homepage')).toBe('https://example.org/');
    expect(field('Vendor')).toBe('none');
    expect(field('Section')).toBe('default');
    // fpm prefixes each further line with a space (electron-builder already starts it with one); dpkg-deb -I adds one more.
    expect(info).toMatch(/^ Description: One line\n {3}More words$/m);
    expect(info).toMatch(/\*\s+postinst\s+#!\/bin\/bash/);
    const listing = (await runOk('dpkg-deb', ['-c', deb])).trim().split('\n');
    const entry = (path: string): string | undefined => listing.find((line) => line.includes(` ./${path}`));
    expect(entry('opt/Demo/demo-bin')).toMatch(/^-rwxr-xr-x root\/root/);
    expect(entry('opt/Demo/resources/data.txt')).toMatch(/^-rw-r--r-- root\/root/);
    expect(entry('opt/Demo/link')).toMatch(/^lrwxrwxrwx root\/root .* -> demo-bin$/);
    expect(entry('usr/share/applications/demo.desktop')).toBeDefined();
    const control = join(dir, 'control');
    await runOk('dpkg-deb', ['-e', deb, control]);
    expect((await runOk('cat', [join(control, 'md5sums')])).trim().split('\n').map((line) => line.split('  ')[1]).sort()).toEqual([
      'opt/Demo/demo-bin',
      'opt/Demo/resources/data.txt',
      'usr/share/applications/demo.desktop',
    ]);
  });
});
