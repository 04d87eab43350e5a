// netd's transport helper, the parts that need no root: what obfsStart accepts (typed fields only, never
// a program or a path), the routing rule that takes only the helper's uid around the tunnel, and how
// netd tells the helper listens.
import { describe, expect, it } from 'vitest';
import { netdCommands } from '../../../app/contract/index.js';
import { OBFS_RULE_PREF, obfsRule, udpBound } from '../../../native/netd/obfs.js';
import { BURROW_RULE_PREF } from '../../../native/netd/wireguard/routing.js';

const SS = { type: 'shadowsocks', server: { ip: '198.51.100.8', port: 8388 }, method: 'chacha20-ietf-poly1305', password: 'pw', target: { ip: '198.51.100.7', port: 51820 } };

describe('obfsStart request', () => {
  const schema = netdCommands.obfsStart.request;
  it('takes a Shadowsocks or VLESS transport with addresses', () => {
    expect(schema.safeParse(SS).success).toBe(true);
    expect(schema.safeParse({ type: 'vless-ws-tls', server: SS.server, id: '0f9e3c4a-1b2c-4d5e-8f90-a1b2c3d4e5f6', path: '/ws', serverName: 'cdn.example.net', target: SS.target }).success).toBe(true);
  });
  it('refuses a program, a config path, a host name, a stream cipher, a control character in the secret', () => {
    expect(schema.safeParse({ ...SS, argv: ['sh'] }).success).toBe(false);
    expect(schema.safeParse({ ...SS, config: '/etc/shadow' }).success).toBe(false);
    expect(schema.safeParse({ ...SS, server: { ip: 'evil.example', port: 8388 } }).success).toBe(false);
    expect(schema.safeParse({ ...SS, method: 'rc4-md5' }).success).toBe(false);
    expect(schema.safeParse({ ...SS, password: 'a\nb' }).success).toBe(false);
  });
});

describe('the helper around the tunnel', () => {
  it('one rule, for exactly its uid, before Burrow\'s tunnel rules', () => {
    expect(obfsRule(4243)).toEqual(['pref', String(OBFS_RULE_PREF), 'uidrange', '4243-4243', 'lookup', 'main']);
    expect(OBFS_RULE_PREF).toBeLessThan(BURROW_RULE_PREF.suppress);
  });
  it('listens when /proc/net/udp shows 127.0.0.1:51900 bound', () => {
    const table = '  sl  local_address rem_address   st\n  12: 0100007F:CABC 00000000:0000 07 00000000:00000000\n  13: 00000000:0044 00000000:0000 07\n';
    expect(udpBound(table, 51900)).toBe(true);
    expect(udpBound(table, 51901)).toBe(false);
    expect(udpBound(table, 68)).toBe(false);
  });
});
