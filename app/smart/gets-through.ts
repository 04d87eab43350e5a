// The Compare page's "gets through here?" row: what Smart connect measured on the network the person is on
// now, per Burrow network (WireGuard's rungs with and without obfuscation count for WireGuard, Tor's with
// and without obfs4 for Tor). Only outcomes of real attempts: a network never tried here says so.
import type { GetsThrough } from '../contract/comparison.js';
import type { NetworkKind } from '../domain/index.js';
import { RUNG_LABELS, RUNGS, type Rung } from './ladder.js';
import type { RungOutcome } from './memory.js';

const NETWORK_OF: Record<Rung, NetworkKind> = {
  wireguard: 'wireguard', 'wireguard-shadowsocks': 'wireguard', 'wireguard-vless': 'wireguard', tor: 'tor', 'tor-obfs4': 'tor', nym: 'nym',
};

export function getsThroughByNetwork(outcomes: Partial<Record<Rung, RungOutcome>>): Record<NetworkKind, GetsThrough> {
  const result = {} as Record<NetworkKind, GetsThrough>;
  for (const network of ['wireguard', 'tor', 'nym', 'dvpn'] as const) {
    const tried = RUNGS.filter((rung) => NETWORK_OF[rung] === network && outcomes[rung] !== undefined)
      .map((rung) => ({ rung, ...(outcomes[rung] as RungOutcome) }));
    if (tried.length === 0) {
      result[network] = { verdict: 'untested', text: network === 'dvpn' ? 'Not on Smart connect’s ladder' : 'Not tried on this network', at: null };
      continue;
    }
    const latest = tried.map((t) => t.at).sort().at(-1) ?? null;
    const through = tried.filter((t) => t.through).sort((a, b) => b.at.localeCompare(a.at))[0];
    const blocked = tried.filter((t) => !t.through).map((t) => RUNG_LABELS[t.rung]);
    result[network] = through === undefined
      ? { verdict: 'no', text: `No: ${blocked.join(', ')} blocked`, at: latest }
      : { verdict: 'yes', text: `Yes, with ${RUNG_LABELS[through.rung]}${blocked.length > 0 ? ` (${blocked.join(', ')} blocked)` : ''}`, at: through.at };
  }
  return result;
}
