// netd's WireGuard texts: the UAPI `set=1` request and the wg(8) config it builds from a wgUp request, the
// status replies it parses (skipping the interface's own private key), and wg-quick's routing plan.
import { describe, expect, it } from 'vitest';
import { planRoutes } from '../../../native/netd/wireguard/routing.js';
import { parseUapiGet, parseWgDump, uapiSetRequest, wgSetconfText } from '../../../native/netd/wireguard/uapi.js';
import { KEYS, hex, wgUp } from './fixtures.js';

describe('uapiSetRequest', () => {
  it('is one set=1 request with hex keys, the mark, peers and allowed IPs, ending in a blank line', () => {
    expect(uapiSetRequest(wgUp({ listenPort: 51000 }))).toBe(
      [
        'set=1',
        `private_key=${hex(KEYS.client)}`,
        'fwmark=51820',
        'listen_port=51000',
        'replace_peers=true',
        `public_key=${hex(KEYS.server)}`,
        `preshared_key=${hex(KEYS.psk)}`,
        'endpoint=198.51.100.7:51820',
        'persistent_keepalive_interval=25',
        'replace_allowed_ips=true',
        'allowed_ip=0.0.0.0/0',
        'allowed_ip=::/0',
        '',
        '',
      ].join('\n'),
    );
  });

  it('brackets IPv6 endpoints', () => {
    const peer = { ...wgUp().peers[0]!, endpoint: { ip: '2001:db8::7', port: 443 } };
    expect(uapiSetRequest(wgUp({ peers: [peer] }))).toContain('endpoint=[2001:db8::7]:443\n');
    expect(wgSetconfText(wgUp({ peers: [peer] }))).toContain('Endpoint = [2001:db8::7]:443\n');
  });

  it('writes the same configuration as wg(8) reads it, for the kernel path', () => {
    expect(wgSetconfText(wgUp())).toBe(
      [
        '[Interface]',
        `PrivateKey = ${KEYS.client}`,
        'FwMark = 51820',
        '',
        '[Peer]',
        `PublicKey = ${KEYS.server}`,
        `PresharedKey = ${KEYS.psk}`,
        'Endpoint = 198.51.100.7:51820',
        'AllowedIPs = 0.0.0.0/0, ::/0',
        'PersistentKeepalive = 25',
        '',
      ].join('\n'),
    );
  });
});

describe('status parsing', () => {
  it('reads peers from a get=1 reply and ignores the interface lines (private key included)', () => {
    const reply = [
      `private_key=${hex(KEYS.client)}`,
      'listen_port=40000',
      'fwmark=51820',
      `public_key=${hex(KEYS.server)}`,
      `preshared_key=${hex(KEYS.psk)}`,
      'protocol_version=1',
      'endpoint=198.51.100.7:51820',
      'last_handshake_time_sec=1795600000',
      'last_handshake_time_nsec=5',
      'tx_bytes=1240',
      'rx_bytes=920',
      'persistent_keepalive_interval=25',
      'allowed_ip=0.0.0.0/0',
      'errno=0',
      '',
      '',
    ].join('\n');
    const peers = parseUapiGet(reply);
    expect(peers).toEqual([{ publicKey: KEYS.server, endpoint: '198.51.100.7:51820', lastHandshakeSec: 1795600000, rxBytes: 920, txBytes: 1240 }]);
    expect(JSON.stringify(peers)).not.toContain(hex(KEYS.client));
  });

  it('reads peers from `wg show IF dump` and skips its first line (the interface, with its private key)', () => {
    const dump = [
      [KEYS.client, 'pub', '40000', '51820'].join('\t'),
      [KEYS.server, KEYS.psk, '198.51.100.7:51820', '0.0.0.0/0,::/0', '1795600000', '920', '1240', '25'].join('\t'),
      '',
    ].join('\n');
    const peers = parseWgDump(dump);
    expect(peers).toEqual([{ publicKey: KEYS.server, endpoint: '198.51.100.7:51820', lastHandshakeSec: 1795600000, rxBytes: 920, txBytes: 1240 }]);
    expect(JSON.stringify(peers)).not.toContain(KEYS.client);
  });
});

describe('planRoutes (wg-quick)', () => {
  it('sends defaults to the tunnel table, per family', () => {
    expect(planRoutes(['0.0.0.0/0', '::/0'])).toEqual({ defaultFamilies: ['-4', '-6'], routes: [] });
    expect(planRoutes(['0.0.0.0/0', '::0/0'])).toEqual({ defaultFamilies: ['-4', '-6'], routes: [] });
  });

  it('routes narrower AllowedIPs to the interface, unless a default of the family covers them', () => {
    expect(planRoutes(['10.0.0.0/8', 'fd00::/8', '0.0.0.0/0', '10.0.0.0/8'])).toEqual({
      defaultFamilies: ['-4'],
      routes: [{ family: '-6', cidr: 'fd00::/8' }],
    });
    expect(planRoutes(['10.200.100.0/24'])).toEqual({ defaultFamilies: [], routes: [{ family: '-4', cidr: '10.200.100.0/24' }] });
  });
});
