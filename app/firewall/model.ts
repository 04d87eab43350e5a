// The table as data (chains, their hooks and policies, their rules) and its rendering as one `nft -f` batch.
// Keeping the model lets the verifier compare what nft reports against what was meant, chain by chain.
import { COUNTERS, TABLE_FAMILY, TABLE_NAME } from './ranges.js';

export type ChainHook = 'output' | 'input' | 'forward' | 'postrouting';

export interface ChainModel {
  name: string;
  type: 'filter' | 'nat';
  hook: ChainHook;
  priority: number;
  policy: 'accept' | 'drop';
  rules: string[];
}

export interface TableModel {
  counters: string[];
  chains: ChainModel[];
}

const FILTER_PRIORITY = 0;
/** nftables 1.0.6 refuses the `dstnat` keyword on an inet output nat chain, so the number (shared/LAB.md). */
const NAT_PRIORITY = -100;

export function filterChain(hook: ChainHook, rules: string[]): ChainModel {
  return { name: hook, type: 'filter', hook, priority: FILTER_PRIORITY, policy: 'drop', rules };
}

/** Runs after every reroute: the last look at the interface a packet really leaves by (policy accept). */
export function postroutingChain(rules: string[]): ChainModel {
  return { name: 'postrouting', type: 'filter', hook: 'postrouting', priority: FILTER_PRIORITY, policy: 'accept', rules };
}

export function natOutputChain(rules: string[]): ChainModel {
  return { name: 'nat_output', type: 'nat', hook: 'output', priority: NAT_PRIORITY, policy: 'accept', rules };
}

export const ALL_COUNTERS: string[] = Object.values(COUNTERS);

/**
 * One batch that replaces the table atomically whether or not it exists: declaring it first makes the delete
 * always valid, and nft applies the file as a single transaction, so no packet ever sees a half-built table.
 * `null` (the open policy) deletes it.
 */
export function renderTable(model: TableModel | null): string {
  const head = `table ${TABLE_FAMILY} ${TABLE_NAME} {}\ndelete table ${TABLE_FAMILY} ${TABLE_NAME}\n`;
  if (model === null) return head;
  const body: string[] = [];
  for (const counter of model.counters) body.push(`\tcounter ${counter} {}`);
  for (const chain of model.chains) {
    body.push(`\tchain ${chain.name} {`);
    body.push(`\t\ttype ${chain.type} hook ${chain.hook} priority ${chain.priority}; policy ${chain.policy};`);
    for (const rule of chain.rules) body.push(`\t\t${rule}`);
    body.push('\t}');
  }
  return `${head}table ${TABLE_FAMILY} ${TABLE_NAME} {\n${body.join('\n')}\n}\n`;
}
