// System-wide mode for the proxy networks (Nym, dVPN): netd runs redsocks on REDIRECT_PORT (every other
// uid's TCP, redirected by the firewall, goes into the helper's SOCKS5 or HTTP CONNECT port) and a DNS stub
// on DNS_STUB_PORT (queries go over TCP through the same proxy to a resolver, so names are resolved at the
// far end). The firewall's socks-redirect policy uses the same two ports. Shared with dvpn/.

export const REDIRECT_PORT = 12345;
export const DNS_STUB_PORT = 5533;

export interface RedirectRequest {
  proxyType: 'socks5' | 'http-connect';
  /** The helper's proxy port on 127.0.0.1. */
  proxyPort: number;
  /** The resolver the DNS stub asks through the proxy (TCP, port 53). */
  dnsUpstream: { ip: string; port: number };
}

export interface SystemRedirect {
  up(request: RedirectRequest): Promise<void>;
  down(): Promise<void>;
}
