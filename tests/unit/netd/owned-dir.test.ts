// netd's directories for helpers under other uids, made as burrow-netd.service runs netd: root without
// CAP_FOWNER (issue 13). The functions run in a child whose bounding set lacks it; the anti-test replays the
// old order (chown to the helper's uid, then chmod) there and gets EPERM, so the sandbox is real. And the
// caller-owned-directory rules of issue 12 item 7: nothing a caller put there is followed.
import { spawnSync } from 'node:child_process';
import { chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
const MODULE = resolve('native/netd/owned-dir.ts');
const TSX = resolve('node_modules/.bin/tsx');
let base: string;

/** Run `body` (TypeScript, with the owned-dir functions in scope) as root without CAP_FOWNER. */
function withoutFowner(body: string): { ok: boolean; out: string } {
  const script = join(base, `step-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(script, `import { ownedDir, rootDirs, unlinkEntry, removeOwnedTree } from ${JSON.stringify(MODULE)};\nimport * as fs from 'node:fs';\nvoid fs; void ownedDir; void rootDirs; void unlinkEntry; void removeOwnedTree;\n${body}\n`);
  const run = spawnSync('/usr/bin/setpriv', ['--bounding-set', '-fowner', '--inh-caps', '-fowner', '--', TSX, script], { encoding: 'utf8' });
  return { ok: run.status === 0, out: `${run.stdout}${run.stderr}` };
}

beforeEach(() => {
  // Under /var/tmp-like root-owned, non-world-writable parents: ownedDir insists on them.
  base = mkdtempSync(join('/tmp', 'burrow-owned-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe.skipIf(!canRun)('ownedDir without CAP_FOWNER', () => {
  it('anti-test: the old order (chown away, then chmod) fails with EPERM here', () => {
    const dir = join(base, 'old');
    const run = withoutFowner(`fs.mkdirSync(${JSON.stringify(dir)}); fs.chownSync(${JSON.stringify(dir)}, 65534, 65534); fs.chmodSync(${JSON.stringify(dir)}, 0o770);`);
    expect(run.ok).toBe(false);
    expect(run.out).toMatch(/EPERM/);
  });

  it('makes a directory for another uid with the right mode, and again when it already belongs to that uid', () => {
    const dir = join(base, 'tor', 'data');
    const first = withoutFowner(`rootDirs([${JSON.stringify(join(base, 'tor'))}]); ownedDir(${JSON.stringify(dir)}, 65534, 65534, 0o700);`);
    expect(first.out).toBe('');
    expect(first.ok).toBe(true);
    const second = withoutFowner(`ownedDir(${JSON.stringify(dir)}, 65534, 65534, 0o770);`);
    expect(second.out).toBe('');
    const stat = statSync(dir);
    expect({ uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777 }).toEqual({ uid: 65534, gid: 65534, mode: 0o770 });
  });

  it('replaces a symlink left in its place instead of following it', () => {
    const victim = join(base, 'victim');
    mkdirSync(victim, { mode: 0o755 });
    symlinkSync(victim, join(base, 'control'));
    const run = withoutFowner(`ownedDir(${JSON.stringify(join(base, 'control'))}, 65534, 65534, 0o770);`);
    expect(run.out).toBe('');
    expect(lstatSync(join(base, 'control')).isDirectory()).toBe(true);
    expect(statSync(victim)).toMatchObject({ uid: 0, mode: expect.any(Number) as unknown });
    expect(statSync(victim).mode & 0o777).toBe(0o755);
  });

  it('refuses a directory whose parent others can write to', () => {
    const run = withoutFowner(`ownedDir('/tmp/burrow-owned-never-${process.pid}', 0, 0, 0o755);`);
    expect(run.ok).toBe(false);
    expect(run.out).toMatch(/its parent is not a directory only root can change/);
  });
});

describe.skipIf(!canRun)('nothing a caller put in its own directory is followed', () => {
  it('unlinkEntry removes a symlink named like the socket, not what it points to', () => {
    const callerDir = join(base, 'control-1000');
    mkdirSync(callerDir, { mode: 0o770 });
    chownSync(callerDir, 65534, 65534);
    const precious = join(base, 'precious');
    writeFileSync(precious, 'keep');
    symlinkSync(precious, join(callerDir, 'control'));
    const run = withoutFowner(`unlinkEntry(${JSON.stringify(join(callerDir, 'control'))});`);
    expect(run.out).toBe('');
    expect(existsSync(join(callerDir, 'control'))).toBe(false);
    expect(readFileSync(precious, 'utf8')).toBe('keep');
  });

  it('removeOwnedTree takes the tree back before deleting it, and a symlink inside is removed, not followed', () => {
    const old = join(base, 'data-old');
    mkdirSync(join(old, 'nested'), { recursive: true });
    const outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'file'), 'keep');
    symlinkSync(outside, join(old, 'nested', 'link'));
    chownSync(old, 65534, 65534);
    chownSync(join(old, 'nested'), 65534, 65534);
    const run = withoutFowner(`removeOwnedTree(${JSON.stringify(old)});`);
    expect(run.out).toBe('');
    expect(existsSync(old)).toBe(false);
    expect(readFileSync(join(outside, 'file'), 'utf8')).toBe('keep');
  });
});
