// The real nft accepts every generated ruleset (check mode, then applied for real), in a throwaway network
// namespace per test; what it lists back matches the model. The host's own nftables are never touched.
import { describe, expect, it } from 'vitest';
import { buildFirewallRuleset, compareTable, describeTable, parseNftTableJson, type FirewallPolicy } from '../../../app/firewall/index.js';
import { canUseNetns, NFT, withNetns, type Netns } from './netns.js';
import { ALL_POLICIES, TOR, TUNNEL } from './policies.js';

async function applyAndVerify(ns: Netns, policy: FirewallPolicy): Promise<void> {
  const text = buildFirewallRuleset(policy);
  const check = await ns.nft(text, true);
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
  const apply = await ns.nft(text, false);
  expect(apply.stderr).toBe('');
  expect(apply.code).toBe(0);
  const listed = await ns.listTableJson();
  // With no table, nft exits non-zero and prints nothing on stdout: that reads as "absent".
  expect(compareTable(describeTable(policy), parseNftTableJson(listed.code === 0 ? listed.stdout : ''))).toEqual([]);
}

describe.skipIf(!canUseNetns)('generated rulesets in a real nft (throwaway namespace)', () => {
  it.each(ALL_POLICIES)('%s: nft -c accepts it, nft -f applies it, the listing matches', async (_name, policy) => {
    await withNetns(async (ns) => {
      await applyAndVerify(ns, policy);
    });
  });

  it('the check is real: nft -c refuses a broken ruleset', async () => {
    await withNetns(async (ns) => {
      const broken = `${buildFirewallRuleset({ kind: 'block', allowLan: false }).slice(0, -3)}\t\tthis is not a rule\n\t}\n}\n`;
      const result = await ns.nft(broken, true);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/Error/);
    });
  });

  it('replaces whatever policy is in place, atomically, and open removes the table', async () => {
    await withNetns(async (ns) => {
      for (const policy of [TUNNEL, TUNNEL, { kind: 'block', allowLan: true }, TOR, { kind: 'open' }, { kind: 'open' }, TUNNEL] as FirewallPolicy[]) {
        await applyAndVerify(ns, policy);
      }
      const tables = await ns.execOk([NFT, 'list', 'tables']);
      expect(tables.trim()).toBe('table inet burrow');
    });
  });

  it('notices a table someone changed after it was applied', async () => {
    await withNetns(async (ns) => {
      await applyAndVerify(ns, TUNNEL);
      await ns.execOk([NFT, 'insert', 'rule', 'inet', 'burrow', 'output', 'accept']);
      await ns.execOk([NFT, 'delete', 'counter', 'inet', 'burrow', 'blocked_fwd']).catch(() => undefined);
      const state = parseNftTableJson((await ns.listTableJson()).stdout);
      const rules = describeTable(TUNNEL)?.chains.find((c) => c.name === 'output')?.rules.length ?? 0;
      expect(compareTable(describeTable(TUNNEL), state)).toContain(`chain output has ${rules + 1} rules, expected ${rules}`);
      await ns.execOk([NFT, 'delete', 'table', 'inet', 'burrow']);
      expect(compareTable(describeTable(TUNNEL), parseNftTableJson(''))).toEqual(['table inet burrow does not exist']);
    });
  });
});
