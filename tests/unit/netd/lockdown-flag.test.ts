// The lockdown flag netd writes for burrow-early-boot-blocking.service: written atomically with the exact
// line the unit's script reads, mode 0644, removed when lockdown goes off; validated at netd's front door;
// and the host's syncLockdownFlag sends the settings as they are.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NETD_COMMAND_NAMES, type NetdCommandName } from '../../../app/contract/index.js';
import type { NetdClient } from '../../../app/netd/client.js';
import { syncLockdownFlag } from '../../../app/netd/lockdown-flag.js';
import { dispatchLine, type NetdHandlers } from '../../../native/netd/dispatch.js';
import { createHandlers, logFacts, type HandlerDeps } from '../../../native/netd/handlers.js';
import { LockdownFlag } from '../../../native/netd/lockdown-flag.js';
import { capturingLogger } from './fixtures.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-lockdown-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LockdownFlag', () => {
  it('writes one line, mode 0644, creating its directory; rewrites only on a change; leaves no temporary file', () => {
    const path = join(dir, 'var', 'lib', 'burrow', 'lockdown');
    const flag = new LockdownFlag(path);
    const oldMask = process.umask(0o077);
    try {
      expect(flag.set(true, false)).toEqual({ lockdown: true, changed: true });
    } finally {
      process.umask(oldMask);
    }
    expect(readFileSync(path, 'utf8')).toBe('allow-lan=no\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(flag.set(true, false)).toEqual({ lockdown: true, changed: false });
    expect(flag.set(true, true)).toEqual({ lockdown: true, changed: true });
    expect(readFileSync(path, 'utf8')).toBe('allow-lan=yes\n');
    expect(readdirSync(join(dir, 'var', 'lib', 'burrow'))).toEqual(['lockdown']);
  });

  it('removes the flag when lockdown goes off, and says so only once', () => {
    const path = join(dir, 'lockdown');
    const flag = new LockdownFlag(path);
    flag.set(true, true);
    expect(flag.set(false, true)).toEqual({ lockdown: false, changed: true });
    expect(readdirSync(dir)).toEqual([]);
    expect(flag.set(false, false)).toEqual({ lockdown: false, changed: false });
  });

  it('replaces a flag someone made group-writable with a fresh 0644 file (the early-boot script would distrust it)', () => {
    const path = join(dir, 'lockdown');
    writeFileSync(path, 'allow-lan=yes\n');
    chmodSync(path, 0o666);
    expect(new LockdownFlag(path).set(true, true)).toEqual({ lockdown: true, changed: true });
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });
});

describe('the early-boot script reads what netd writes', () => {
  /** The packaged script with its flag path pointed at the test's, and an `nft` that only says what it got. */
  const runScript = (flagPath: string): string => {
    const original = readFileSync(join(process.cwd(), 'resources/linux/scripts/early-boot-blocking.sh'), 'utf8');
    expect(original).toContain('flag=/var/lib/burrow/lockdown\n');
    const script = join(dir, 'early-boot-blocking');
    writeFileSync(script, original.replace('flag=/var/lib/burrow/lockdown\n', `flag=${flagPath}\n`), { mode: 0o755 });
    const bin = join(dir, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'nft'), '#!/bin/sh\necho "nft $*"\n', { mode: 0o755 });
    const result = spawnSync('sh', [script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };

  it('blocks by the flag: LAN open only for allow-lan=yes in a root-owned flag, nothing applied without it', () => {
    const path = join(dir, 'lockdown');
    const flag = new LockdownFlag(path);
    flag.set(true, false);
    expect(runScript(path)).toContain('nft -f /usr/lib/burrow/block.nft');
    flag.set(true, true);
    // The script trusts allow-lan=yes only in a flag root owns: netd runs as root, these tests may not.
    const rootOwned = statSync(path).uid === 0;
    expect(runScript(path)).toContain(`nft -f /usr/lib/burrow/${rootOwned ? 'block-allow-lan.nft' : 'block.nft'}`);
    flag.set(false, true);
    const off = runScript(path);
    expect(off).toContain('Lockdown is off');
    expect(off).not.toContain('nft -f');
  });
});

describe('setLockdownFlag at netd\'s front door', () => {
  const handlers = (): NetdHandlers => createHandlers({ lockdownFlag: new LockdownFlag(join(dir, 'lockdown')), startedAt: 0 } as unknown as HandlerDeps);
  const send = async (params: unknown): Promise<{ reply: unknown; log: string }> => {
    const { logger, text } = capturingLogger();
    const reply = await dispatchLine(handlers(), JSON.stringify({ id: 7, method: 'setLockdownFlag', params }), { logger, connection: 1, facts: logFacts });
    return { reply, log: text() };
  };

  it('writes the flag and logs what it was asked', async () => {
    const { reply, log } = await send({ lockdown: true, allowLan: false });
    expect(reply).toEqual({ id: 7, ok: true, result: { lockdown: true, changed: true } });
    expect(readFileSync(join(dir, 'lockdown'), 'utf8')).toBe('allow-lan=no\n');
    expect(log).toMatch(/"method":"setLockdownFlag".*"lockdown":"true","allowLan":"false"/);
  });

  it.each([[{ lockdown: 'yes', allowLan: false }], [{ lockdown: true }], [{ lockdown: true, allowLan: false, path: '/etc/passwd' }]])('refuses %j', async (params) => {
    const { reply } = await send(params);
    expect(reply).toMatchObject({ id: 7, ok: false, error: { code: 'invalid_request' } });
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('syncLockdownFlag', () => {
  it('sends lockdown and allowLan from the settings', async () => {
    const calls: [NetdCommandName, unknown][] = [];
    const netd = {
      socketPath: '/nowhere',
      call: (method: NetdCommandName, request: unknown) => {
        calls.push([method, request]);
        return Promise.resolve({ lockdown: true, changed: true });
      },
    } as unknown as NetdClient;
    expect(NETD_COMMAND_NAMES).toContain('setLockdownFlag');
    await expect(syncLockdownFlag(netd, { lockdown: true, allowLan: true })).resolves.toEqual({ lockdown: true, changed: true });
    expect(calls).toEqual([['setLockdownFlag', { lockdown: true, allowLan: true }]]);
  });
});
