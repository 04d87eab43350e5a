// The files the Linux packages add for netd, checked as they are in the repo (no build): maintainer scripts
// (shellcheck, electron-builder's macro expansion, the default steps they must keep, paths that agree with
// electron-builder.yml), the systemd units (systemd-analyze verify and security, the settings issue 9 asks
// for) and the sysusers file (systemd-sysusers into an empty root).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { BURROW_USER_NAMES } from '../../../app/contract/system-wide.js';
import { expandLikeElectronBuilder, root, scriptsDir, templateOptions } from './build-package.js';
import { run, runOk } from './run.js';

const linuxDir = join(root, 'resources', 'linux');
const unitDir = join(linuxDir, 'systemd');
const NETD_UNIT = 'burrow-netd.service';
const EARLY_UNIT = 'burrow-early-boot-blocking.service';
const maintainerScripts = ['after-install.sh', 'before-remove.sh', 'after-remove.sh'];
const read = (path: string): string => readFileSync(path, 'utf8');

/** A unit file as section → key → values (a key may repeat; comments and blank lines dropped). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> = {};
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = sections[header[1] ?? ''] = {};
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    (current[key] ??= []).push(line.slice(eq + 1));
  }
  return sections;
}

let config: Configuration;
beforeAll(async () => {
  config = await getConfig(root, join(root, 'electron-builder.yml'), null);
});

describe('maintainer scripts', () => {
  it('are shellcheck clean', async () => {
    const result = await run('shellcheck', ['--external-sources', ...maintainerScripts, 'early-boot-blocking.sh'], { cwd: scriptsDir });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('come through electron-builder’s macro expansion unchanged (no braced $ anywhere)', () => {
    for (const file of maintainerScripts) {
      const text = read(join(scriptsDir, file));
      expect(text, file).not.toContain('${');
      expect(text, file).not.toContain('<%=');
      expect(expandLikeElectronBuilder(text, templateOptions(config))).toBe(text);
    }
    // The check above is real: a braced name would be expanded, an unknown one refused.
    expect(expandLikeElectronBuilder('x ${executable} y', templateOptions(config))).toBe('x burrow-desktop y');
    expect(() => expandLikeElectronBuilder('${HOME}', templateOptions(config))).toThrow(/Macro HOME is not defined/);
  });

  it('are the scripts electron-builder.yml hands to deb and rpm (afterInstall, afterRemove, fpm --before-remove)', () => {
    for (const target of [config.deb, config.rpm]) {
      expect(target?.afterInstall).toBe('resources/linux/scripts/after-install.sh');
      expect(target?.afterRemove).toBe('resources/linux/scripts/after-remove.sh');
      expect(target?.fpm).toEqual(['--before-remove=resources/linux/scripts/before-remove.sh', 'resources/build/burrow-cli.sh=/usr/bin/burrow']);
    }
  });

  it('name the app where electron-builder installs it (/opt/<productName>, linux.executableName)', () => {
    for (const file of ['after-install.sh', 'after-remove.sh']) {
      const text = read(join(scriptsDir, file));
      expect(text).toMatch(new RegExp(`^app=/opt/${config.productName}$`, 'm'));
      expect(text).toMatch(new RegExp(`^executable=${config.linux?.executableName}$`, 'm'));
    }
    expect(read(join(unitDir, NETD_UNIT))).toContain(`ExecStart=/opt/${config.productName}/resources/netd/burrow-netd `);
  });

  it('keep every step of electron-builder’s default after-install and after-remove', () => {
    const install = read(join(scriptsDir, 'after-install.sh'));
    const defaults = read(join(root, 'node_modules', 'app-builder-lib', 'templates', 'linux', 'after-install.tpl'));
    for (const step of ['update-alternatives --install', 'chmod 4755', 'chmod 0755', 'unshare --user true', 'update-mime-database', 'update-desktop-database', 'apparmor_parser --skip-kernel-load --debug', 'apparmor_parser --replace --write-cache --skip-read-cache']) {
      expect(defaults, `default template has "${step}"`).toContain(step);
      expect(install).toContain(step);
    }
    const remove = read(join(scriptsDir, 'after-remove.sh'));
    for (const step of ['update-alternatives --remove', 'apparmor_parser --remove']) expect(remove).toContain(step);
  });

  it('install each unit under the name and path the units expect', () => {
    const install = read(join(scriptsDir, 'after-install.sh'));
    for (const unit of [NETD_UNIT, EARLY_UNIT]) expect(install).toContain(`"$resources/linux/systemd/${unit}" /usr/lib/systemd/system/${unit}`);
    const early = parseUnit(read(join(unitDir, EARLY_UNIT)));
    expect(early.Service?.ExecStart).toEqual(['/usr/lib/burrow/early-boot-blocking']);
    expect(install).toContain('"$resources/linux/scripts/early-boot-blocking.sh" /usr/lib/burrow/early-boot-blocking');
    expect(read(join(linuxDir, 'scripts', 'early-boot-blocking.sh'))).toMatch(/^rules=\/usr\/lib\/burrow$/m);
  });
});

describe('systemd units', () => {
  it('systemd-analyze verify finds nothing wrong but the two executables that exist only once installed', async () => {
    const result = await run('systemd-analyze', ['verify', join(unitDir, NETD_UNIT), join(unitDir, EARLY_UNIT)]);
    const lines = `${result.stdout}${result.stderr}`.trim().split('\n').sort();
    // Checked with every path in place, and with nothing allowed, in linux-package.test.ts (throwaway root).
    expect(lines).toEqual([
      `${EARLY_UNIT}: Command /usr/lib/burrow/early-boot-blocking is not executable: No such file or directory`,
      `${NETD_UNIT}: Command /opt/Burrow/resources/netd/burrow-netd is not executable: No such file or directory`,
    ]);
  });

  it('netd: root, Restart=always, the socket and group netd is told to use, a capability set limited to its job', () => {
    const unit = parseUnit(read(join(unitDir, NETD_UNIT)));
    expect(unit.Service?.ExecStart).toEqual(['/opt/Burrow/resources/netd/burrow-netd --socket /run/burrow/netd.sock --group burrow']);
    expect(unit.Service?.User).toBeUndefined();
    expect(unit.Service?.Restart).toEqual(['always']);
    expect(unit.Service?.CapabilityBoundingSet?.[0]?.split(' ').sort()).toEqual(
      // CAP_NET_BIND_SERVICE: the redirect ports are privileged (issue 12 item 6).
      ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_KILL', 'CAP_NET_ADMIN', 'CAP_NET_BIND_SERVICE', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID'].sort(),
    );
    expect(unit.Service?.NoNewPrivileges).toEqual(['yes']);
    expect(unit.Service?.RuntimeDirectory).toEqual(['burrow']);
    expect(unit.Service?.StateDirectory).toEqual(['burrow']);
    expect(unit.Install?.WantedBy).toEqual(['multi-user.target']);
  });

  it('early-boot blocking: no default dependencies, before network-pre (pulled in), oneshot, only with the lockdown flag', () => {
    const unit = parseUnit(read(join(unitDir, EARLY_UNIT)));
    expect(unit.Unit?.DefaultDependencies).toEqual(['no']);
    expect(unit.Unit?.Before?.join(' ').split(' ')).toEqual(expect.arrayContaining(['network-pre.target', 'basic.target', NETD_UNIT]));
    expect(unit.Unit?.Wants).toEqual(['network-pre.target']);
    expect(unit.Unit?.ConditionPathExists).toEqual(['/var/lib/burrow/lockdown']);
    expect(unit.Service?.Type).toEqual(['oneshot']);
    expect(unit.Service?.CapabilityBoundingSet).toEqual(['CAP_NET_ADMIN']);
  });

  it('systemd-analyze security rates both units OK or better, and not worse than when they were written', async () => {
    for (const [unit, ceiling] of [[NETD_UNIT, 3.6], [EARLY_UNIT, 2.3]] as const) {
      const report = await run('systemd-analyze', ['security', '--offline=yes', join(unitDir, unit)]);
      const level = Number(/Overall exposure level for \S+: (\d+\.\d+)/.exec(report.stdout)?.[1]);
      expect(level, unit).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe('sysusers.d/burrow.conf', () => {
  it('creates the group burrow and the system users burrow-tor, burrow-nym, burrow-dvpn, burrow-obfs (no login) in an empty root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'burrow-sysusers-'));
    try {
      mkdirSync(join(dir, 'etc'));
      await runOk('systemd-sysusers', [`--root=${dir}`, '-'], { input: read(join(linuxDir, 'sysusers.d', 'burrow.conf')) });
      expect(read(join(dir, 'etc', 'group'))).toMatch(/^burrow:x:\d+:$/m);
      // Every user netd exempts from the kill switch (app/contract/system-wide.ts), none shared with another service.
      for (const name of BURROW_USER_NAMES) {
        const user = new RegExp(`^${name}:x:(\\d+):(\\d+):[^:\\n]*:([^:\\n]*):([^:\\n]*)$`, 'm').exec(read(join(dir, 'etc', 'passwd')));
        expect(Number(user?.[1]), name).toBeLessThan(1000);
        expect(user?.[3], name).toBe(`/var/lib/burrow/${name.slice('burrow-'.length)}`);
        expect(user?.[4], name).toBe('/usr/sbin/nologin');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
