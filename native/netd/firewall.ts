// The kill switch's hands: apply a policy as one atomic `nft -f` batch (table inet burrow replaced whole),
// then read the table back and compare it with what was meant. The ruleset text is generated here from a
// validated policy description, never taken from the caller. Nothing in netd clears the table on its own:
// when the host goes away the rules stay (fail closed).
//
// Tampering (issue 12 item 3): `nft flush ruleset` (what `systemctl restart nftables` does on Debian) or
// an admin deleting the table would remove the kill switch silently. `watch()` checks the table every
// second against what was applied and re-applies it when it is gone or changed, logging each repair;
// status() reports the repairs, and whether the last one failed, so the host can tell the person and
// leave `connected`. Applies, clears and checks take turns, so a check never races an apply.
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
  type TableModel,
} from '../../app/firewall/index.js';
import type { FirewallStatus } from '../../app/contract/index.js';
import type { Runner } from './exec.js';
import type { Logger } from './log.js';

export interface FirewallDeps {
  run: Runner;
  logger?: Logger;
}

export type CheckResult = 'idle' | 'ok' | 'repaired' | 'failed';

export class Firewall {
  private lastKind = 'none';
  /** The table that must be there; undefined when none must be (nothing applied yet, open, cleared). */
  private expected: TableModel | undefined;
  private repairs = 0;
  private broken = false;
  private lastProblem: string | null = null;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: FirewallDeps) {}

  apply(input: unknown): Promise<{ applied: string; verified: true; ms: number }> {
    return this.inTurn(async () => {
      const started = performance.now();
      const policy = validateFirewallPolicy(input);
      const model = describeTable(policy);
      await this.put(model);
      this.lastKind = policy.kind;
      this.expected = model ?? undefined;
      this.broken = false;
      return { applied: policy.kind, verified: true as const, ms: Math.round((performance.now() - started) * 10) / 10 };
    });
  }

  clear(): Promise<{ cleared: true }> {
    return this.inTurn(async () => {
      await this.deps.run('nft', ['-f', '-'], { input: renderTable(null) });
      if ((await this.read()).exists) throw new BurrowError('helper_failed', `table ${TABLE_FAMILY} ${TABLE_NAME} is still there after clearing it.`);
      this.lastKind = 'open';
      this.expected = undefined;
      this.broken = false;
      return { cleared: true as const };
    });
  }

  async status(): Promise<FirewallStatus> {
    const state = await this.read();
    const chains: FirewallStatus['chains'] = {};
    for (const [name, chain] of Object.entries(state.chains)) chains[name] = { rules: chain.rules, ...(chain.policy ? { policy: chain.policy } : {}) };
    return {
      exists: state.exists,
      policyKind: this.lastKind,
      chains,
      counters: state.counters,
      // Only once there is something to tell: a table nobody touched reads as it always did.
      ...(this.repairs > 0 || this.broken ? { watch: { repairs: this.repairs, broken: this.broken, lastProblem: this.lastProblem } } : {}),
    };
  }

  /** The kind of the policy in place, or undefined while none is kept (nothing applied, open, cleared). */
  get keptKind(): string | undefined {
    return this.expected === undefined ? undefined : this.lastKind;
  }

  /** One look at the table; gone or changed → put back what was applied. */
  check(): Promise<CheckResult> {
    return this.inTurn(async () => {
      const expected = this.expected;
      if (expected === undefined) return 'idle';
      const problems = compareTable(expected, await this.read());
      if (problems.length === 0) return 'ok';
      this.lastProblem = problems.slice(0, 3).join('; ');
      // While a repair keeps failing, it is tried every second but logged once.
      const wasBroken = this.broken;
      if (!wasBroken) this.deps.logger?.log('warn', 'firewall table removed or changed from outside; putting it back', { problems: problems.slice(0, 5) });
      try {
        await this.put(expected);
        this.repairs++;
        this.broken = false;
        this.deps.logger?.log('warn', 'firewall table put back', { kind: this.lastKind, repairs: this.repairs });
        return 'repaired';
      } catch (error) {
        this.broken = true;
        if (!wasBroken) this.deps.logger?.log('error', 'firewall table could not be put back', { reason: error instanceof Error ? error.message : String(error) });
        return 'failed';
      }
    });
  }

  /** Check every `intervalMs` until the returned function is called. */
  watch(intervalMs = 1000): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void this.check()
        .catch(() => 'failed')
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async put(model: TableModel | null): Promise<void> {
    await this.deps.run('nft', ['-f', '-'], { input: renderTable(model) });
    const problems = compareTable(model, await this.read());
    if (problems.length > 0) {
      throw new BurrowError('helper_failed', `The firewall was applied but is not in place as meant: ${problems.slice(0, 5).join('; ')}.`, { problems });
    }
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const next = this.turn.then(work, work);
    this.turn = next.catch(() => undefined);
    return next;
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
