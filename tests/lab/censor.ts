// The censor at the ISP: one nftables table in `isp` (rebuilt whole on every change, one atomic `nft -f`,
// so a test never sees a half-applied policy), plus, for the profiles that judge payloads, a transparent
// proxy in `isp` (censor-proxy.py) and, for throttling, tc qdiscs on the ISP's two links. Profiles are
// described with their sources in censor-profiles.ts and tests/lab/README.md ("Censor profiles").
import { isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { LabAddresses, LabInterfaces } from './addresses.js';
import { CENSOR_PROFILES, PROXY_PORT, THROTTLE, type CensorProfile, type ProxyEvent, parseProxyEvents } from './censor-profiles.js';
import type { ExecOptions, ExecResult, LabProcess } from './process.js';
import { repoRoot } from './process.js';

export interface Censor {
  /** Drops all traffic to and from these addresses (both directions, forwarded through the ISP). */
  block(addresses: readonly string[]): Promise<void>;
  /** Drops WireGuard handshake initiations by their fixed bytes (148-byte payload starting 01 00 00 00). */
  dropWireguardHandshakes(): Promise<void>;
  /** Blocks every public relay and directory authority of the lab's Tor network (the bridge stays reachable). */
  blockTor(): Promise<void>;
  /** Replaces whatever is in force with one named profile ('none' lifts everything). */
  use(profile: CensorProfile | 'none'): Promise<void>;
  /** The profile last set with use() ('none' after clear(), 'custom' after block/blockTor/dropWireguardHandshakes). */
  profile(): CensorProfile | 'none' | 'custom';
  /** The payload judge's verdicts since it started (fet and allowlist profiles), oldest first. */
  proxyEvents(): ProxyEvent[];
  /** Lifts every rule. */
  clear(): Promise<void>;
  /** The ruleset as nft prints it, counters included: evidence for a test's failure message. */
  ruleset(): Promise<string>;
}

export const CENSOR_TABLE = 'burrowlab_censor';

export interface RulesetExtras {
  /** The payload judge: TCP from the client's side is redirected to it. */
  proxy?: { mode: 'fet' | 'allowlist'; clientIf: string; port: number };
}

export function censorRuleset(blocked: ReadonlySet<string>, dropWireguard: boolean, extras: RulesetExtras = {}): string {
  const v4 = [...blocked].filter((ip) => isIPv4(ip));
  const v6 = [...blocked].filter((ip) => isIPv6(ip));
  const element = (list: string[]): string => (list.length > 0 ? ` elements = { ${list.join(', ')} }` : '');
  const proxy = extras.proxy;
  // fet: every TCP flow the client starts through the ISP is judged; allowlist: only 80 and 443 reach the
  // judge, UDP only to 53, everything else the client sends is dropped (return traffic is not touched).
  const redirect = proxy === undefined ? '' : `  chain judge {
    type nat hook prerouting priority dstnat; policy accept;
    fib daddr type local return
    iifname "${proxy.clientIf}" meta nfproto ipv4 ${proxy.mode === 'allowlist' ? 'tcp dport { 80, 443 }' : 'meta l4proto tcp'} counter redirect to :${proxy.port}
  }
  chain tuples {
    type filter hook prerouting priority -200; policy accept;
    ip saddr . ip daddr . tcp dport @fet_blocked counter drop
  }
`;
  const allow = proxy?.mode === 'allowlist'
    ? `    iifname "${proxy.clientIf}" udp dport 53 accept
    iifname "${proxy.clientIf}" counter drop
`
    : '';
  return `table inet ${CENSOR_TABLE} {}
delete table inet ${CENSOR_TABLE}
table inet ${CENSOR_TABLE} {
  set blocked4 { type ipv4_addr;${element(v4)} }
  set blocked6 { type ipv6_addr;${element(v6)} }
  set fet_blocked { type ipv4_addr . ipv4_addr . inet_service; flags timeout; }
${redirect}  chain forward {
    type filter hook forward priority filter; policy accept;
    ip daddr @blocked4 counter drop
    ip saddr @blocked4 counter drop
    ip6 daddr @blocked6 counter drop
    ip6 saddr @blocked6 counter drop
${dropWireguard ? '    udp length 156 @th,64,32 0x01000000 counter drop\n' : ''}${allow}  }
}
`;
}

/** tc commands that slow one flow class to a crawl on both ISP links (upload on the WAN side, download on the LAN side). */
export function throttleCommands(i: LabInterfaces): string[][] {
  const links: [string, 'dport' | 'sport'][] = [[i.ispWan, 'dport'], [i.ispLan, 'sport']];
  return links.flatMap(([dev, dir]) => [
    ['tc', 'qdisc', 'replace', 'dev', dev, 'root', 'handle', '1:', 'htb', 'default', '10'],
    ['tc', 'class', 'replace', 'dev', dev, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10gbit'],
    ['tc', 'class', 'replace', 'dev', dev, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', THROTTLE.rate, 'ceil', THROTTLE.rate],
    ['tc', 'filter', 'replace', 'dev', dev, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32',
      'match', 'ip', 'protocol', '17', '0xff', 'match', 'ip', dir, String(THROTTLE.udpPort), '0xffff', 'flowid', '1:20'],
  ]);
}

export interface CensorDeps {
  nft(ruleset: string | undefined): Promise<string>;
  torAddresses(): string[];
  /** Present in a full lab; without them only the address and WireGuard rules work. */
  exec?: (argv: readonly string[], opts?: ExecOptions) => Promise<ExecResult>;
  spawn?: (argv: readonly string[], name: string) => LabProcess;
  addresses?: LabAddresses;
  interfaces?: LabInterfaces;
}

export function createCensor(deps: CensorDeps): Censor {
  const blocked = new Set<string>();
  let dropWireguard = false;
  let current: CensorProfile | 'none' | 'custom' = 'none';
  let proxy: LabProcess | undefined;
  let proxyMode: 'fet' | 'allowlist' | undefined;
  const events: ProxyEvent[] = [];
  let throttled = false;
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`this censor profile needs the lab's ${what}`);
    return value;
  };
  const apply = async (): Promise<void> => {
    const clientIf = deps.interfaces?.ispLan;
    await deps.nft(censorRuleset(blocked, dropWireguard, proxyMode === undefined || clientIf === undefined ? {} : { proxy: { mode: proxyMode, clientIf, port: PROXY_PORT } }));
  };
  const stopProxy = async (): Promise<void> => {
    if (proxy !== undefined) {
      events.splice(0, events.length, ...parseProxyEvents(proxy.log()));
      await proxy.stop();
    }
    proxy = undefined;
    proxyMode = undefined;
  };
  const startProxy = async (mode: 'fet' | 'allowlist'): Promise<void> => {
    const spawn = need(deps.spawn, 'spawn');
    const script = join(repoRoot(), 'tests', 'lab', 'censor-proxy.py');
    // /usr/bin/python3: the system's (a user's pyenv shim is not on the lab's PATH and not what Debian ships).
    proxy = spawn(['/usr/bin/python3', '-u', script, '--mode', mode, '--port', String(PROXY_PORT), '--table', CENSOR_TABLE], `censor-${mode}`);
    await proxy.waitForLog(/"event": "listening"/, 10_000);
    proxyMode = mode;
  };
  const setThrottle = async (on: boolean): Promise<void> => {
    if (!on && !throttled) return;
    const exec = need(deps.exec, 'exec');
    const i = need(deps.interfaces, 'interfaces');
    if (on) {
      for (const argv of throttleCommands(i)) await exec(argv);
    } else {
      for (const dev of [i.ispWan, i.ispLan]) await exec(['tc', 'qdisc', 'del', 'dev', dev, 'root'], { check: false });
    }
    throttled = on;
  };
  const reset = async (): Promise<void> => {
    blocked.clear();
    dropWireguard = false;
    await stopProxy();
    await setThrottle(false);
  };
  return {
    async block(addresses) {
      for (const ip of addresses) {
        if (!isIPv4(ip) && !isIPv6(ip)) throw new Error(`censor.block takes literal addresses, got "${ip}"`);
        blocked.add(ip);
      }
      current = 'custom';
      await apply();
    },
    async dropWireguardHandshakes() {
      dropWireguard = true;
      current = 'custom';
      await apply();
    },
    async blockTor() {
      const relays = deps.torAddresses();
      if (relays.length === 0) throw new Error('this lab runs no Tor network (started with tor: false)');
      relays.forEach((ip) => blocked.add(ip));
      current = 'custom';
      await apply();
    },
    async use(profile) {
      await reset();
      if (profile !== 'none' && !(profile in CENSOR_PROFILES)) throw new Error(`unknown censor profile "${String(profile)}"`);
      if (profile === 'blocklist') {
        const a = need(deps.addresses, 'addresses');
        // Known VPN endpoints and every public Tor relay; bridges and a provider's obfuscation
        // address are what such lists miss (that is what they are for).
        [a.vpn, a.vpnV6, ...deps.torAddresses()].forEach((ip) => blocked.add(ip));
      }
      if (profile === 'wireguard-dpi') dropWireguard = true;
      if (profile === 'fet' || profile === 'allowlist') await startProxy(profile);
      if (profile === 'throttle') await setThrottle(true);
      current = profile;
      await apply();
    },
    profile: () => current,
    proxyEvents: () => (proxy === undefined ? [...events] : parseProxyEvents(proxy.log())),
    async clear() {
      await reset();
      current = 'none';
      await apply();
    },
    ruleset: () => deps.nft(undefined),
  };
}
