// netd's tunnel routing next to a wg-quick tunnel (issue 12 item 10), with the real ip and nft in a private
// network namespace (`unshare -n`, gone with the child). Before the fix Burrow used wg-quick's table 51820
// and its teardown deleted every `suppress_prefixlength 0` rule and flushed table 51820: wg-quick's tunnel
// lost its rule and its default route. Now Burrow has its own table and rule priorities and removes only those.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Snapshot {
  before: { rules: string; table51820: string };
  up: { rules: string; burrowTable: string; nft: string };
  down: { rules: string; table51820: string; burrowTable: string; nft: string };
}

const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;

describe.skipIf(!canUnshare)('tunnel routing next to wg-quick', () => {
  const result = (): Snapshot => {
    const child = spawnSync('unshare', ['-n', process.execPath, '--import', 'tsx', join(import.meta.dirname, 'routing-netns-script.ts')], { encoding: 'utf8', timeout: 30_000 });
    if (child.status !== 0) throw new Error(`netns script failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as Snapshot;
  };

  it('adds Burrow\'s own rules and table, and the conntrack mark table, beside wg-quick\'s', () => {
    const { up } = result();
    expect(up.rules).toMatch(/^25204:\s+from all lookup main suppress_prefixlength 0/m);
    // Burrow's own mark too (0x6275, as its table): wg-quick's 51820 (0xca6c) belongs to wg-quick alone.
    expect(up.rules).toMatch(/^25205:\s+not from all fwmark 0x6275 lookup 25205/m);
    expect(up.rules).toMatch(/not from all fwmark 0xca6c lookup 51820/);
    expect(up.burrowTable).toContain('default dev burrow0');
    expect(up.nft).toContain('table inet burrow-wg-burrow0');
  });

  it('teardown leaves wg-quick\'s rules and table 51820 exactly as they were, and removes all of Burrow\'s', () => {
    const { before, down } = result();
    expect(down.rules).toBe(before.rules);
    expect(down.table51820).toBe(before.table51820);
    expect(down.table51820).toContain('default dev wg0');
    expect(down.burrowTable).toBe('');
    expect(down.nft).not.toContain('burrow-wg-burrow0');
  });
});
