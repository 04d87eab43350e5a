// Reading back `nft -j list table inet burrow` (or `nft -j list ruleset`): is our table there, are its chains
// hooked with the intended policies and rule counts, and how many packets did each named counter refuse.
import { z } from 'zod';
import { BurrowError } from '../domain/errors.js';
import type { TableModel } from './model.js';
import { TABLE_FAMILY, TABLE_NAME } from './ranges.js';

export interface NftChainState {
  type: string | undefined;
  hook: string | undefined;
  priority: number | undefined;
  policy: string | undefined;
  rules: number;
}

export interface NftTableState {
  exists: boolean;
  chains: Record<string, NftChainState>;
  counters: Record<string, { packets: number; bytes: number }>;
}

const Owner = { family: z.string(), table: z.string() };
const TableItem = z.object({ family: z.string(), name: z.string() });
const ChainItem = z.object({
  ...Owner,
  name: z.string(),
  type: z.string().optional(),
  hook: z.string().optional(),
  prio: z.number().optional(),
  policy: z.string().optional(),
});
const CounterItem = z.object({ ...Owner, name: z.string(), packets: z.number(), bytes: z.number() });
const RuleItem = z.object({ ...Owner, chain: z.string() });
// metainfo, sets, maps and other tables' objects are listed too: not ours to judge.
const Listing = z.object({ nftables: z.array(z.record(z.string(), z.unknown())) });

const isOurs = (family: string, table: string): boolean => family === TABLE_FAMILY && table === TABLE_NAME;

/** An empty text (nft printed nothing because the table does not exist) reads as "no table". */
export function parseNftTableJson(text: string): NftTableState {
  const state: NftTableState = { exists: false, chains: {}, counters: {} };
  if (text.trim() === '') return state;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BurrowError('internal', 'nft printed something that is not JSON while listing the firewall table.');
  }
  const listing = Listing.safeParse(raw);
  if (!listing.success) throw new BurrowError('internal', 'nft printed JSON without the expected "nftables" list.');
  const chainState = (name: string): NftChainState =>
    (state.chains[name] ??= { type: undefined, hook: undefined, priority: undefined, policy: undefined, rules: 0 });

  for (const item of listing.data.nftables) {
    const table = TableItem.safeParse(item.table);
    if (table.success && isOurs(table.data.family, table.data.name)) state.exists = true;
    const chain = ChainItem.safeParse(item.chain);
    if (chain.success && isOurs(chain.data.family, chain.data.table)) {
      Object.assign(chainState(chain.data.name), { type: chain.data.type, hook: chain.data.hook, priority: chain.data.prio, policy: chain.data.policy });
    }
    const counter = CounterItem.safeParse(item.counter);
    if (counter.success && isOurs(counter.data.family, counter.data.table)) {
      state.counters[counter.data.name] = { packets: counter.data.packets, bytes: counter.data.bytes };
    }
    const rule = RuleItem.safeParse(item.rule);
    if (rule.success && isOurs(rule.data.family, rule.data.table)) chainState(rule.data.chain).rules += 1;
  }
  return state;
}

/**
 * Differences between the intended table (from describeTable; null = open) and what nft reports. Empty when
 * the policy is in place: every chain hooked as meant, with its policy and rule count, every counter present.
 */
export function compareTable(expected: TableModel | null, actual: NftTableState): string[] {
  if (expected === null) return actual.exists ? [`table ${TABLE_FAMILY} ${TABLE_NAME} still exists`] : [];
  if (!actual.exists) return [`table ${TABLE_FAMILY} ${TABLE_NAME} does not exist`];
  const problems: string[] = [];
  for (const chain of expected.chains) {
    const found = actual.chains[chain.name];
    if (found === undefined) {
      problems.push(`chain ${chain.name} is missing`);
      continue;
    }
    if (found.type !== chain.type || found.hook !== chain.hook || found.priority !== chain.priority) {
      problems.push(`chain ${chain.name} is hooked as ${found.type} ${found.hook} ${found.priority}, expected ${chain.type} ${chain.hook} ${chain.priority}`);
    }
    if (found.policy !== chain.policy) problems.push(`chain ${chain.name} has policy ${found.policy}, expected ${chain.policy}`);
    if (found.rules !== chain.rules.length) problems.push(`chain ${chain.name} has ${found.rules} rules, expected ${chain.rules.length}`);
  }
  for (const name of Object.keys(actual.chains)) {
    if (!expected.chains.some((chain) => chain.name === name)) problems.push(`unexpected chain ${name}`);
  }
  for (const counter of expected.counters) {
    if (actual.counters[counter] === undefined) problems.push(`counter ${counter} is missing`);
  }
  return problems;
}
