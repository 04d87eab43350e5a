// The firewall: a pure function from a policy to one nftables table, and the reader that checks it is in place.
export { buildFirewallRuleset, describeTable } from './ruleset.js';
export * from './policy.js';
export { TOR_SYSTEM_RESOLVER } from './rules-redirect.js';
export { renderTable, type ChainModel, type TableModel, type ChainHook } from './model.js';
export { parseNftTableJson, compareTable, type NftTableState, type NftChainState } from './nft-json.js';
export { COUNTERS, TABLE_FAMILY, TABLE_NAME, isLanAddress, type CounterName } from './ranges.js';
