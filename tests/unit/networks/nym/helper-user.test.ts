// Who runs nym-socks5-client and myst: the host's own user, or (for a root host) a dedicated unprivileged
// user with a private home; never root.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveHelperUser } from '../../../../app/networks/nym/helper-user.js';

const dataDir = mkdtempSync(join(tmpdir(), 'burrow-helper-data-'));
const isRoot = process.getuid?.() === 0;

describe('resolveHelperUser', () => {
  it('a host running as a person\'s user runs the helper as that user, home under the data directory', () => {
    const user = resolveHelperUser('nym', { dataDir, uid: 1000, gid: 1000 });
    expect(user).toEqual({ name: '1000', uid: 1000, gid: 1000, home: join(dataDir, 'nym', 'home'), dedicated: false });
  });

  it.skipIf(!isRoot)('a root host runs it as the named user (default nobody), with a private home that user owns', () => {
    const user = resolveHelperUser('myst', { dataDir, uid: 0, gid: 0, lookup: () => ({ uid: 65534, gid: 65534 }) });
    expect(user).toMatchObject({ name: 'nobody', uid: 65534, gid: 65534, dedicated: true });
    const stat = statSync(user.home);
    expect(stat.uid).toBe(65534);
    expect(stat.mode & 0o777).toBe(0o700);
    expect(user.home.startsWith(dataDir)).toBe(false);
  });

  it('never root, and an unknown user is a sentence, not a crash', () => {
    expect(() => resolveHelperUser('nym', { dataDir, uid: 0, gid: 0, wanted: 'root', lookup: () => ({ uid: 0, gid: 0 }) })).toThrow(/never runs nym as root/);
    expect(() => resolveHelperUser('nym', { dataDir, uid: 0, gid: 0, wanted: 'ghost', lookup: () => undefined })).toThrow(/runs its nym helper as the user "ghost", and this machine has no such user/);
  });
});
