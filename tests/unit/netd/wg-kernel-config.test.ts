// The kernel path's `wg setconf`: the real wg(8), run the way netd runs every tool (execFile). Before the
// fix netd passed `/dev/stdin` with the config on stdin; execFile's stdin is a socketpair, and wg's
// fopen() of it fails with ENXIO before wg even looks for the interface. Here wg gets past reading the
// config and fails only on the interface, which does not exist.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTool, type Runner } from '../../../native/netd/exec.js';
import { wgSetconf } from '../../../native/netd/wireguard/kernel-config.js';
import { wgSetconfText } from '../../../native/netd/wireguard/uapi.js';
import { KEYS, wgUp } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-wg-kernel-'));
  chmodSync(dir, 0o700);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('wgSetconf', () => {
  it('lets the real wg read the config: the failure is about the missing interface, never fopen', async () => {
    const error = await wgSetconf(runTool, dir, 'burrownx0', wgSetconfText(wgUp())).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    // No such interface on this machine (and no module here): wg must fail, but past the config.
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).not.toMatch(/fopen|No such device or address/);
    expect(error?.message).toMatch(/Unable to modify interface/);
    expect(error?.message).not.toContain(KEYS.client);
  });

  it('is what /dev/stdin under execFile cannot be: the old call fails on fopen (the bug this replaces)', async () => {
    const old = await runTool('wg', ['setconf', 'burrownx0', '/dev/stdin'], { input: wgSetconfText(wgUp()), allowFailure: true });
    expect(old.stderr).toMatch(/fopen: No such device or address/);
  });

  it('hands wg a 0600 file in a fresh 0700 directory holding exactly the config, and removes both', async () => {
    const seen: { mode: number; dirMode: number; text: string; args: readonly string[] }[] = [];
    const spy: Runner = (file, args) => {
      const path = args[2]!;
      seen.push({ mode: statSync(path).mode & 0o777, dirMode: statSync(join(path, '..')).mode & 0o777, text: readFileSync(path, 'utf8'), args });
      return Promise.resolve({ stdout: '', stderr: '', code: 0 });
    };
    const text = wgSetconfText(wgUp());
    await wgSetconf(spy, dir, 'burrow0', text);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ mode: 0o600, dirMode: 0o700, text });
    expect(seen[0]!.args.slice(0, 2)).toEqual(['setconf', 'burrow0']);
    expect(seen[0]!.args.join(' ')).not.toContain(KEYS.client);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the file when wg fails', async () => {
    const failing: Runner = () => Promise.reject(new Error('wg failed'));
    await expect(wgSetconf(failing, dir, 'burrow0', wgSetconfText(wgUp()))).rejects.toThrow('wg failed');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a directory others can read: no key is written there', async () => {
    chmodSync(dir, 0o755);
    const never: Runner = () => Promise.reject(new Error('wg must not run'));
    await expect(wgSetconf(never, dir, 'burrow0', wgSetconfText(wgUp()))).rejects.toThrow(/mode 0700/);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'burrow0.conf'))).toBe(false);
  });
});
