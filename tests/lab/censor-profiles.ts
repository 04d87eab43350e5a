// What each lab censor profile models, and where the model comes from. The rules themselves are in
// censor.ts (nftables, tc) and censor-proxy.py (the payload judge); README.md "Censor profiles" says the
// same for people.

export type CensorProfile = 'blocklist' | 'wireguard-dpi' | 'fet' | 'allowlist' | 'throttle';

export interface CensorProfileInfo {
  name: string;
  models: string;
  source: string;
}

export const CENSOR_PROFILES: Record<CensorProfile, CensorProfileInfo> = {
  blocklist: {
    name: 'Address blocklist',
    models: 'Every public Tor relay and directory authority and the VPN provider’s published endpoint are dropped both ways; unlisted bridges and obfuscation servers pass.',
    source: 'Tor Project blog, “Responding to Tor censorship in Russia” (December 2021: relays and directory authorities blocked by address).',
  },
  'wireguard-dpi': {
    name: 'WireGuard DPI',
    models: 'UDP payloads of exactly 148 bytes starting 01 00 00 00 (a WireGuard handshake initiation) are dropped.',
    source: 'Donenfeld, “WireGuard: Next Generation Kernel Network Tunnel”, NDSS 2017, §5.4.2 (the initiation’s fixed type and size): the fingerprint any protocol-aware DPI box can match.',
  },
  fet: {
    name: 'Fully-encrypted-traffic heuristic (GFW)',
    models: 'The first data of each TCP flow is dropped when its popcount per byte is within 3.4–4.6 and none of the exemptions apply (first six bytes printable, more than half printable, a run of more than 20 printable, TLS or HTTP prefix); the 3-tuple (client, server, port) is then dropped for 180 s.',
    source: 'Wu et al., “How the Great Firewall of China Detects and Blocks Fully Encrypted Traffic”, USENIX Security 2023, Algorithm 1 (the GFW applies it to ~26% of flows; the lab to all).',
  },
  allowlist: {
    name: 'Protocol allowlist',
    models: 'From the customer side only DNS (UDP 53), HTTP (TCP 80, opening with a method) and TLS (TCP 443, opening with a handshake record) pass; everything else is dropped.',
    source: 'Bock et al., “Detecting and Evading Censorship-in-Depth: A Case Study of Iran’s Protocol Filter”, FOCI 2020 (only DNS, HTTP and HTTPS, recognised by content, on 53/80/443); used again in Iran in 2022.',
  },
  throttle: {
    name: 'Throttling',
    models: 'The WireGuard flow class (UDP port 51820, both directions) is slowed to 128 kbit/s by tc rather than dropped.',
    source: 'Xue et al., “Throttling Twitter: an emerging censorship technique in Russia”, IMC 2021 (throttling a named class instead of blocking).',
  },
};

export const CENSOR_PROFILE_NAMES = Object.keys(CENSOR_PROFILES) as CensorProfile[];

/** Where censor-proxy.py listens in `isp` (redirect target). */
export const PROXY_PORT = 15001;

export const THROTTLE = { rate: '128kbit', udpPort: 51820 } as const;

export interface ProxyEvent {
  event: 'listening' | 'flow' | 'error' | 'upstream-failed';
  src?: string;
  dst?: string;
  port?: number;
  verdict?: 'pass' | 'block';
  reason?: string;
  length?: number;
  popcount?: number | null;
  head?: string;
}

/** The proxy's JSON lines (anything else in its log, a Python traceback say, is kept out). */
export function parseProxyEvents(log: string): ProxyEvent[] {
  return log.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const value = JSON.parse(line) as ProxyEvent;
      return typeof value.event === 'string' ? [value] : [];
    } catch {
      return [];
    }
  });
}
