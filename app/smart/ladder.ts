// Smart connect's ladder: which ways out to try, in which order, for the goal a person picked, starting
// at what worked last time on this network. Pure: the walk itself is in walk.ts, the memory in memory.ts.
export const RUNGS = ['wireguard', 'wireguard-shadowsocks', 'wireguard-vless', 'tor', 'tor-obfs4', 'nym'] as const;
export type Rung = (typeof RUNGS)[number];

export const GOALS = ['fastest', 'anonymous'] as const;
export type Goal = (typeof GOALS)[number];

/**
 * fastest: a private path with the least overhead first, obfuscation only when the plain one is blocked,
 * then the anonymity networks (slower, but they still get the person out).
 * anonymous: only paths that hide who talks to whom from the operator too: never a single-hop VPN.
 */
const ORDER: Record<Goal, readonly Rung[]> = {
  fastest: RUNGS,
  anonymous: ['tor', 'tor-obfs4', 'nym'],
};

export const RUNG_LABELS: Record<Rung, string> = {
  wireguard: 'WireGuard',
  'wireguard-shadowsocks': 'WireGuard over Shadowsocks',
  'wireguard-vless': 'WireGuard over TLS (VLESS)',
  tor: 'Tor',
  'tor-obfs4': 'Tor over obfs4',
  nym: 'Nym',
};

/** The rungs to try, in order: the goal's ladder, only what this person has profiles for, what worked here first. */
export function ladderFor(goal: Goal, available: ReadonlySet<Rung>, remembered?: Rung): Rung[] {
  const ladder = ORDER[goal].filter((rung) => available.has(rung));
  if (remembered === undefined || !ladder.includes(remembered)) return ladder;
  // Start at what worked; the ones above it are tried after the rest, since the censor may have changed.
  const at = ladder.indexOf(remembered);
  return [...ladder.slice(at), ...ladder.slice(0, at)];
}

/** After `current` was blocked mid-session: the rest of the ladder, then the rungs above it. */
export function fallbackFrom(ladder: readonly Rung[], current: Rung): Rung[] {
  const at = ladder.indexOf(current);
  if (at < 0) return [...ladder];
  return [...ladder.slice(at + 1), ...ladder.slice(0, at)];
}
