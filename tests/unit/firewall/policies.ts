// Sample policies for the firewall tests, one or more per mode, addressed like the lab (shared/LAB.md):
// the ISP and its resolver at 10.0.1.1, the tunnel's DNS at 10.64.0.1, the endpoint outside at 203.0.113.5.
import type { FirewallPolicy, SocksRedirectPolicy, TorSystemPolicy, TunnelPolicy } from '../../../app/firewall/index.js';

export const TUNNEL: TunnelPolicy = {
  kind: 'tunnel',
  tunnelInterface: 'wg0',
  endpoints: [{ ip: '203.0.113.5', port: 51820, proto: 'udp' }],
  fwmark: 51820,
  dnsServers: ['10.64.0.1'],
  allowLan: false,
  ipv6InTunnel: false,
  tunnelAddresses: ['10.66.1.2'],
};

export const TUNNEL_V6_LAN: TunnelPolicy = {
  ...TUNNEL,
  endpoints: [
    { ip: '203.0.113.5', port: 51820, proto: 'udp' },
    { ip: '2001:db8::5', port: 443, proto: 'tcp' },
  ],
  dnsServers: ['10.64.0.1', 'fc00:bbbb:bbbb:bb01::1'],
  lanDnsServers: ['192.168.1.1'],
  allowLan: true,
  ipv6InTunnel: true,
  tunnelAddresses: ['10.66.1.2', 'fc00:bbbb:bbbb:bb01::3:102'],
};

export const TUNNEL_CONNECTING: TunnelPolicy = { ...TUNNEL, tunnelTraffic: 'none' };

/** WireGuard over Shadowsocks: the peer is the helper on loopback, only uid 4243 reaches the transport server. */
export const TUNNEL_OBFUSCATED: TunnelPolicy = {
  ...TUNNEL,
  endpoints: [{ ip: '127.0.0.1', port: 51900, proto: 'udp' }],
  transport: { uid: 4243, ip: '203.0.113.8', port: 8388, proto: 'udp' },
};

export const TOR: TorSystemPolicy = { kind: 'tor-system', torUid: 4242, transPort: 9040, dnsPort: 5353 };

export const SOCKS: SocksRedirectPolicy = {
  kind: 'socks-redirect',
  proxyUid: 4242,
  redirectPort: 12345,
  dnsStubPort: 5300,
  allowedGateways: [{ ip: '203.0.113.9', port: 1789, proto: 'tcp' }, { ip: '2001:db8::9' }, { ip: '203.0.113.10', port: 53 }],
};

export const ALL_POLICIES: [string, FirewallPolicy][] = [
  ['open', { kind: 'open' }],
  ['block', { kind: 'block', allowLan: false }],
  ['block with LAN', { kind: 'block', allowLan: true }],
  ['tunnel', TUNNEL],
  ['tunnel with IPv6, LAN and a LAN resolver', TUNNEL_V6_LAN],
  ['tunnel while connecting', TUNNEL_CONNECTING],
  ['tunnel over an obfuscating transport', TUNNEL_OBFUSCATED],
  ['tor-system', TOR],
  ['tor-system with LAN', { ...TOR, allowLan: true }],
  ['socks-redirect', SOCKS],
  ['socks-redirect with LAN', { ...SOCKS, allowLan: true }],
];
