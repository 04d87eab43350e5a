// What the host tells the leak suite about the machine's situation, and what the suite hands back. The host
// builds a LeakContext from the supervisor's state and the driver's facts; the suite never asks the
// supervisor anything itself, so it can be run and judged anywhere (the lab runs it inside a namespace).
import type { LeakTestKind, LeakVerdict, NetworkKind } from '../domain/index.js';

/** What was seen with no tunnel up: the person's own public addresses and the resolvers their queries reach. */
export interface LeakBaseline {
  v4?: string;
  v6?: string;
  resolvers?: string[];
  /** ISO time of the run it came from. */
  measuredAt?: string;
}

export interface LeakContext {
  /** The network that is up, or null when no tunnel is up (then every test reports what is exposed). */
  network: NetworkKind | null;
  /**
   * Where traffic should appear to come from through the network: the VPN's exit (usually the endpoint's
   * address), the Tor exit relays of the current circuits. Empty or absent when unknown.
   */
  expectedExit?: { addresses: string[]; label: string };
  /**
   * Resolvers allowed to ask the leak server's DNS: the tunnel's DNS servers and, where known, the addresses
   * they recurse from (a provider's resolver egress, Tor exits). Absent or empty: judged against the
   * baseline and the system's own resolvers instead (as for Tor, whose exits' resolvers nobody can list).
   */
  tunnelDns?: string[];
  /** The tunnel routes IPv6 (AllowedIPs ::/0); false: any IPv6 that works goes around it. */
  tunnelCarriesIpv6?: boolean;
  /** The tunnel's own interface and addresses: never counted as the machine's real addresses. */
  tunnelInterface?: string;
  tunnelAddresses?: string[];
  /** The tunnel peer's address (WireGuard endpoint, Tor guard or bridge) and the interface its packets leave by. */
  tunnelEndpoint?: string;
  physicalInterface?: string;
  /** From an earlier run with no tunnel (see baselineFromVerdicts); lets "not your address" be proven. */
  baseline?: LeakBaseline;
  /** ICE candidates the renderer gathered against the leak server's STUN (a=candidate lines or bare ones). */
  webrtcCandidates?: string[];
}

/**
 * The host's handle on the tunnel, for the kill-switch probe: netd would stop and restart the tunnel helper
 * (wireguard-go, tor) and report its firewall's named counters (firewallStatus().counters).
 */
export interface TunnelInterrupter {
  /** Stop the tunnel helper; resolves once it is gone (the firewall stays as it is). */
  stopHelper(signal: AbortSignal): Promise<void>;
  /** Bring it back; the probe calls this even when it was cancelled. */
  startHelper(signal: AbortSignal): Promise<void>;
  counters(signal: AbortSignal): Promise<Record<string, { packets: number; bytes: number }>>;
}

export interface LeakSuiteOptions {
  /** The leak server (burrow leakd), e.g. `http://10.7.80.80` or `https://leak.example.org`. */
  leakServerUrl: string;
  /** Its IPv6 address as a URL; without it, a host-name URL is asked over IPv6 (AAAA), an IPv4 literal cannot be. */
  leakServerUrlV6?: string;
  context: LeakContext;
  /** Default: every test but the kill-switch probe, which interrupts the tunnel and runs only when named. */
  tests?: readonly LeakTestKind[];
  signal?: AbortSignal;
  onVerdict?: (verdict: LeakVerdict) => void;
  now?: () => Date;
  /** Send the HTTP and DNS probes through a SOCKS5 proxy (Tor's SocksPort), remote name resolution. */
  socks5?: { host: string; port: number };
  /** Needed by the kill-switch probe; without it that test is not_tested. */
  tunnel?: TunnelInterrupter;
  /** Per-test deadline overrides, ms. */
  deadlines?: Partial<Record<LeakTestKind, number>>;
  /** Names resolved by the DNS test (default 3). */
  dnsNames?: number;
}

export type { LeakTestKind, LeakVerdict, NetworkKind };
