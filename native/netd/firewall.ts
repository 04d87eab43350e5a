// The kill switch's hands: apply a policy as one atomic `nft -f` batch (table inet burrow replaced whole),
// then read the table back and compare it with what was meant. The ruleset text is generated here from a
// validated policy description, never taken from the caller. Nothing in netd clears the table on its own:
// when the host goes away the rules stay (fail closed).
import { performance } from 'node:perf_hooks';
import { BurrowError } from '../../app/domain/index.js';
import {
  TABLE_FAMILY,
  TABLE_NAME,
  compareTable,
  describeTable,
  parseNftTableJson,
  renderTable,
  validateFirewallPolicy,
  type NftTableState,
} from '../../app/firewall/index.js';
import type { FirewallStatus } from '../../app/contract/index.js';
import type { Runner } from './exec.js';

export interface FirewallDeps {
  run: Runner;
}

export class Firewall {
  private lastKind = 'none';

  constructor(private readonly deps: FirewallDeps) {}

  async apply(input: unknown): Promise<{ applied: string; verified: true; ms: number }> {
    const started = performance.now();
    const policy = validateFirewallPolicy(input);
    const model = describeTable(policy);
    await this.deps.run('nft', ['-f', '-'], { input: renderTable(model) });
    const problems = compareTable(model, await this.read());
    if (problems.length > 0) {
      throw new BurrowError('helper_failed', `The firewall was applied but is not in place as meant: ${problems.slice(0, 5).join('; ')}.`, { problems });
    }
    this.lastKind = policy.kind;
    return { applied: policy.kind, verified: true, ms: Math.round((performance.now() - started) * 10) / 10 };
  }

  async clear(): Promise<{ cleared: true }> {
    await this.deps.run('nft', ['-f', '-'], { input: renderTable(null) });
    if ((await this.read()).exists) throw new BurrowError('helper_failed', `table ${TABLE_FAMILY} ${TABLE_NAME} is still there after clearing it.`);
    this.lastKind = 'open';
    return { cleared: true };
  }

  async status(): Promise<FirewallStatus> {
    const state = await this.read();
    const chains: FirewallStatus['chains'] = {};
    for (const [name, chain] of Object.entries(state.chains)) chains[name] = { rules: chain.rules, ...(chain.policy ? { policy: chain.policy } : {}) };
    return { exists: state.exists, policyKind: this.lastKind, chains, counters: state.counters };
  }

  /** A missing table is "no table", not an error: nft says so on stderr with a non-zero exit. */
  private async read(): Promise<NftTableState> {
    const result = await this.deps.run('nft', ['-j', 'list', 'table', TABLE_FAMILY, TABLE_NAME], { allowFailure: true });
    if (result.code !== 0) {
      if (/No such file or directory/i.test(result.stderr)) return parseNftTableJson('');
      throw new BurrowError('helper_failed', `nft could not list the firewall table: ${result.stderr.trim().slice(0, 200)}`);
    }
    return parseNftTableJson(result.stdout);
  }
}
