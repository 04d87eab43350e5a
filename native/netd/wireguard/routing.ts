// Addresses, MTU and routes the way wg-quick sets them up: a default route (AllowedIPs /0) goes into the
// tunnel's own table, selected by `not fwmark` (so the tunnel's own marked packets take the main table to
// the endpoint, and the route never loops), with `suppress_prefixlength 0` letting the main table keep
// everything more specific than a default (the LAN). Narrower AllowedIPs become plain routes.
// One addition to wg-quick: an `unreachable` default in the tunnel's table, so that when the interface
// disappears (wireguard-go died) unmarked traffic fails instead of falling through to the main table.
// Unlike wg-quick, the table and the rules are Burrow's own: table 51820 is wg-quick's and NetworkManager's
// default, so Burrow uses BURROW_TABLE and puts its two rules at fixed priorities (BURROW_RULE_PREF), and
// teardown deletes exactly those (by priority and table), never every `suppress_prefixlength 0` rule, never
// a table someone else's tunnel uses. And as wg-quick does, the endpoint's replies get the tunnel's mark
// back from conntrack (a small nft table of the tunnel's own), so strict reverse-path filtering
// (rp_filter=1, as ufw sets it) finds them on the physical interface and lets them in.
import { writeFile } from 'node:fs/promises';
import { BURROW_WG_TABLE } from '../../../app/contract/index.js';
import type { Runner } from '../exec.js';

export type Family = '-4' | '-6';

export interface RoutePlan {
  /** Families whose default route goes through the tunnel's table. */
  defaultFamilies: Family[];
  /** Other AllowedIPs, routed to the interface in the main table. */
  routes: { family: Family; cidr: string }[];
}

const familyOf = (cidr: string): Family => (cidr.includes(':') ? '-6' : '-4');
const prefixOf = (cidr: string): number => Number(cidr.slice(cidr.indexOf('/') + 1));
/** The largest metric the kernel takes: the guard route loses against every real one. */
const GUARD_METRIC = '4294967295';

/** Burrow's routing table for tunnels with a default route ("bu"; not wg-quick's 51820). */
export const BURROW_TABLE = BURROW_WG_TABLE;
/** The priorities of Burrow's two rules: before wg-quick's (32764-5) and the main table (32766). */
export const BURROW_RULE_PREF = { suppress: 25204, notMarked: 25205 } as const;

/** The rules per family, in the order they are added; `del` names a rule by what only Burrow's have. */
export function tunnelRules(fwmark: number, table: number): { add: string[]; del: string[] }[] {
  const suppress = ['pref', String(BURROW_RULE_PREF.suppress), 'table', 'main', 'suppress_prefixlength', '0'];
  return [
    { add: ['pref', String(BURROW_RULE_PREF.notMarked), 'not', 'fwmark', String(fwmark), 'table', String(table)], del: ['pref', String(BURROW_RULE_PREF.notMarked), 'table', String(table)] },
    { add: suppress, del: suppress },
  ];
}

/** The tunnel's own nft table: conntrack gives the endpoint's replies the tunnel's mark (wg-quick's premangle/postmangle). */
export const markTableName = (ifname: string): string => `burrow-wg-${ifname}`;

export function markRestoreRuleset(ifname: string, fwmark: number): string {
  const table = `inet ${markTableName(ifname)}`;
  return [
    `table ${table} {}`,
    `delete table ${table}`,
    `table ${table} {`,
    '  chain premangle {',
    '    type filter hook prerouting priority mangle; policy accept;',
    '    meta l4proto udp meta mark set ct mark',
    '  }',
    '  chain postmangle {',
    '    type filter hook postrouting priority mangle; policy accept;',
    `    meta l4proto udp meta mark ${fwmark} ct mark set meta mark`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export function planRoutes(allowedIps: readonly string[]): RoutePlan {
  const defaultFamilies = new Set<Family>();
  const routes = new Map<string, { family: Family; cidr: string }>();
  for (const cidr of allowedIps) {
    const family = familyOf(cidr);
    if (prefixOf(cidr) === 0) defaultFamilies.add(family);
    else routes.set(cidr, { family, cidr });
  }
  // A default covers every narrower route of its family.
  const narrow = [...routes.values()].filter((route) => !defaultFamilies.has(route.family));
  return { defaultFamilies: [...defaultFamilies].sort(), routes: narrow };
}

export interface LinkSetup {
  ifname: string;
  addresses: readonly string[];
  mtu: number;
  fwmark: number;
  table: number;
  plan: RoutePlan;
}

/**
 * Everything after the interface exists and is configured. Each `ip` run costs a process start, so the
 * work goes in two batches: addresses, link and IPv4 in one (a batch without a family option takes IPv6
 * addresses by their syntax, and rules default to IPv4), IPv6 routes and rules in the other.
 */
export async function bringUp(run: Runner, setup: LinkSetup): Promise<void> {
  const { ifname, table, plan } = setup;
  if (plan.defaultFamilies.includes('-4')) {
    // As wg-quick does: without it, replies to marked packets fail reverse-path filtering.
    await writeFile('/proc/sys/net/ipv4/conf/all/src_valid_mark', '1\n').catch(() => undefined);
  }
  if (plan.defaultFamilies.length > 0) await run('nft', ['-f', '-'], { input: markRestoreRuleset(ifname, setup.fwmark) });
  const batches: Record<Family, string[]> = {
    '-4': [...setup.addresses.map((cidr) => `address add ${cidr} dev ${ifname}`), `link set dev ${ifname} mtu ${setup.mtu} up`],
    '-6': [],
  };
  for (const family of ['-4', '-6'] as const) {
    if (plan.defaultFamilies.includes(family)) {
      const any = family === '-4' ? '0.0.0.0/0' : '::/0';
      batches[family].push(
        `route replace ${any} dev ${ifname} table ${table}`,
        `route replace unreachable ${any} table ${table} metric ${GUARD_METRIC}`,
        ...tunnelRules(setup.fwmark, table).map((rule) => `rule add ${rule.add.join(' ')}`),
      );
    }
    for (const route of plan.routes.filter((candidate) => candidate.family === family)) batches[family].push(`route add ${route.cidr} dev ${ifname}`);
  }
  await run('ip', ['-batch', '-'], { input: `${batches['-4'].join('\n')}\n` });
  if (batches['-6'].length > 0) await run('ip', ['-6', '-batch', '-'], { input: `${batches['-6'].join('\n')}\n` });
}

/** Remove Burrow's rules, its table's routes and its mark table; safe when some or all of it is already gone. */
export async function tearDownRouting(run: Runner, ifname: string, table: number): Promise<void> {
  await run('nft', ['delete', 'table', 'inet', markTableName(ifname)], { allowFailure: true });
  for (const family of ['-4', '-6'] as const) {
    for (const rule of tunnelRules(0, table)) {
      // A crash between two ups can leave a rule twice: delete until there is none.
      for (let i = 0; i < 8; i++) {
        const result = await run('ip', [family, 'rule', 'del', ...rule.del], { allowFailure: true });
        if (result.code !== 0) break;
      }
    }
    // `ip -6 route flush` leaves `unreachable` routes in place: the guard goes by name first.
    const any = family === '-4' ? '0.0.0.0/0' : '::/0';
    for (let i = 0; i < 8; i++) {
      const result = await run('ip', [family, 'route', 'del', 'unreachable', any, 'table', String(table), 'metric', GUARD_METRIC], { allowFailure: true });
      if (result.code !== 0) break;
    }
    // Only ever Burrow's own table: flushing wg-quick's 51820 would take another tunnel's routes.
    if (table === BURROW_TABLE) await run('ip', [family, 'route', 'flush', 'table', String(table)], { allowFailure: true });
  }
}
