// Policy → the one nftables table that enforces it. Pure: the same policy always gives the same text.
import { renderTable, type TableModel } from './model.js';
import { validateFirewallPolicy, type FirewallPolicy } from './policy.js';
import { socksRedirectTable, torSystemTable } from './rules-redirect.js';
import { blockTable, tunnelTable } from './rules-tunnel.js';

/** The table a policy asks for, as data; `null` means no table at all (open). Validates first. */
export function describeTable(input: FirewallPolicy): TableModel | null {
  const policy = validateFirewallPolicy(input);
  switch (policy.kind) {
    case 'open':
      return null;
    case 'block':
      return blockTable(policy);
    case 'tunnel':
      return tunnelTable(policy);
    case 'tor-system':
      return torSystemTable(policy);
    case 'socks-redirect':
      return socksRedirectTable(policy);
  }
}

/** The text of one `nft -f` batch that atomically replaces (or, for open, removes) table `inet burrow`. */
export function buildFirewallRuleset(policy: FirewallPolicy): string {
  return renderTable(describeTable(policy));
}
