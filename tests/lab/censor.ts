// The censor at the ISP: one nftables table in `isp`'s forward path, rebuilt whole on every change
// (one atomic `nft -f`), so a test never sees a half-applied policy.
import { isIPv4, isIPv6 } from 'node:net';

export interface Censor {
  /** Drops all traffic to and from these addresses (both directions, forwarded through the ISP). */
  block(addresses: readonly string[]): Promise<void>;
  /** Drops WireGuard handshake initiations by their fixed bytes (148-byte payload starting 01 00 00 00). */
  dropWireguardHandshakes(): Promise<void>;
  /** Blocks every public relay and directory authority of the lab's Tor network (the bridge stays reachable). */
  blockTor(): Promise<void>;
  /** Lifts every rule. */
  clear(): Promise<void>;
  /** The ruleset as nft prints it, counters included: evidence for a test's failure message. */
  ruleset(): Promise<string>;
}

const TABLE = 'burrowlab_censor';

export function censorRuleset(blocked: ReadonlySet<string>, dropWireguard: boolean): string {
  const v4 = [...blocked].filter((ip) => isIPv4(ip));
  const v6 = [...blocked].filter((ip) => isIPv6(ip));
  const element = (list: string[]): string => (list.length > 0 ? ` elements = { ${list.join(', ')} }` : '');
  return `table inet ${TABLE} {}
delete table inet ${TABLE}
table inet ${TABLE} {
  set blocked4 { type ipv4_addr;${element(v4)} }
  set blocked6 { type ipv6_addr;${element(v6)} }
  chain forward {
    type filter hook forward priority filter; policy accept;
    ip daddr @blocked4 counter drop
    ip saddr @blocked4 counter drop
    ip6 daddr @blocked6 counter drop
    ip6 saddr @blocked6 counter drop
${dropWireguard ? '    udp length 156 @th,64,32 0x01000000 counter drop\n' : ''}  }
}
`;
}

export function createCensor(nft: (ruleset: string | undefined) => Promise<string>, torAddresses: () => string[]): Censor {
  const blocked = new Set<string>();
  let dropWireguard = false;
  const apply = async (): Promise<void> => {
    await nft(censorRuleset(blocked, dropWireguard));
  };
  return {
    async block(addresses) {
      for (const ip of addresses) {
        if (!isIPv4(ip) && !isIPv6(ip)) throw new Error(`censor.block takes literal addresses, got "${ip}"`);
        blocked.add(ip);
      }
      await apply();
    },
    async dropWireguardHandshakes() {
      dropWireguard = true;
      await apply();
    },
    async blockTor() {
      const relays = torAddresses();
      if (relays.length === 0) throw new Error('this lab runs no Tor network (started with tor: false)');
      relays.forEach((ip) => blocked.add(ip));
      await apply();
    },
    async clear() {
      blocked.clear();
      dropWireguard = false;
      await apply();
    },
    ruleset: () => nft(undefined),
  };
}
