// What each mode's ruleset says, rule by rule, for the things a person relies on: nothing but the tunnel,
// DNS only to the tunnel's resolver, LAN only when allowed, IPv6 only inside the tunnel.
import { describe, expect, it } from 'vitest';
import { buildFirewallRuleset, describeTable, type FirewallPolicy } from '../../../app/firewall/index.js';
import { ALL_POLICIES, SOCKS, TOR, TUNNEL, TUNNEL_CONNECTING, TUNNEL_OBFUSCATED, TUNNEL_V6_LAN } from './policies.js';

const IDIOM = 'table inet burrow {}\ndelete table inet burrow\ntable inet burrow {\n';
const REJECT = 'reject with icmpx type admin-prohibited';
const DNS_BLOCK = `meta l4proto { tcp, udp } th dport 53 counter name "blocked_dns" ${REJECT}`;

function chain(policy: FirewallPolicy, name: string): string[] {
  const found = describeTable(policy)?.chains.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no chain ${name}`);
  return found.rules;
}
const indexOf = (rules: string[], pattern: RegExp): number => rules.findIndex((rule) => pattern.test(rule));
const accepts = (rules: string[]): string[] => rules.filter((rule) => rule.endsWith(' accept'));

describe('buildFirewallRuleset', () => {
  it('open: only removes the table, whether or not it exists', () => {
    expect(buildFirewallRuleset({ kind: 'open' })).toBe('table inet burrow {}\ndelete table inet burrow\n');
  });

  it.each(ALL_POLICIES.filter(([, policy]) => policy.kind !== 'open'))('%s: replaces the table atomically, drops by default, counts refusals', (_name, policy) => {
    const text = buildFirewallRuleset(policy);
    expect(text.startsWith(IDIOM)).toBe(true);
    for (const counter of ['blocked_out', 'blocked_in', 'blocked_fwd', 'blocked_dns']) expect(text).toContain(`counter ${counter} {}`);
    for (const name of ['output', 'input', 'forward']) {
      const model = describeTable(policy)?.chains.find((candidate) => candidate.name === name);
      expect(model).toMatchObject({ type: 'filter', hook: name, priority: 0, policy: 'drop' });
    }
    const output = chain(policy, 'output');
    const loopback = output.indexOf('oifname "lo" accept');
    // Loopback first, except under tor-system: there port 53 not sent to DNSPort is refused even on loopback.
    if (policy.kind === 'tor-system') {
      expect(output.slice(0, loopback)).toEqual([
        'meta skuid 4242 accept',
        'ip daddr 127.0.0.1 meta l4proto { tcp, udp } th dport 5353 accept',
        'ip daddr 127.0.0.1 tcp dport 9040 accept',
        DNS_BLOCK,
      ]);
    } else {
      expect(loopback).toBe(0);
    }
    expect(chain(policy, 'output').at(-1)).toBe(`counter name "blocked_out" ${REJECT}`);
    expect(chain(policy, 'input').at(-1)).toBe('counter name "blocked_in" drop');
    expect(chain(policy, 'forward').at(-1)).toBe(`counter name "blocked_fwd" ${REJECT}`);
    // DHCPv4 and the NDP a link needs survive every blocking mode.
    expect(chain(policy, 'output')).toContain('icmpv6 type nd-neighbor-solicit ip6 daddr { ff02::1:ff00:0/104, fe80::/10 } accept');
    expect(chain(policy, 'input')).toContain('udp sport 67 udp dport 68 accept');
    expect(chain(policy, 'input')).toContain('icmpv6 type { nd-router-advert, nd-neighbor-solicit, nd-redirect } ip6 saddr fe80::/10 accept');
    expect(buildFirewallRuleset(policy)).toBe(text);
  });

  it('block: accepts only loopback, DHCP and NDP out; DNS refused even to the LAN', () => {
    const output = chain({ kind: 'block', allowLan: false }, 'output');
    expect(accepts(output)).toHaveLength(7);
    expect(output.some((rule) => rule.includes('10.0.0.0/8') && !rule.startsWith('udp sport 68'))).toBe(false);
    const lan = chain({ kind: 'block', allowLan: true }, 'output');
    expect(indexOf(lan, /th dport 53 .*reject/)).toBeLessThan(indexOf(lan, /^ip daddr \{ 10\.0\.0\.0\/8/));
  });

  it('block with LAN: private ranges and link multicast only, never a public subnet', () => {
    const output = chain({ kind: 'block', allowLan: true }, 'output');
    expect(output).toContain('ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 255.255.255.255/32, 224.0.0.0/24, 239.0.0.0/8 } accept');
    expect(output).toContain('ip6 daddr { fe80::/10, fc00::/7, ff01::/16, ff02::/16, ff03::/16, ff04::/16, ff05::/16 } accept');
    expect(chain({ kind: 'block', allowLan: true }, 'input')).toContain('ip saddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16 } accept');
  });

  it('tunnel: the endpoint is reachable only by packets carrying the tunnel mark', () => {
    const output = chain(TUNNEL, 'output');
    const endpointRules = output.filter((rule) => rule.includes('203.0.113.5'));
    expect(endpointRules).toEqual(['meta mark 0x0000ca6c ip daddr 203.0.113.5 udp dport 51820 accept']);
    expect(chain(TUNNEL, 'input')).toContain('ip saddr 203.0.113.5 udp sport 51820 ct state established accept');
  });

  it('tunnel over an obfuscating transport: only the helper uid reaches the transport server, at its protocol and port', () => {
    const output = chain(TUNNEL_OBFUSCATED, 'output');
    expect(output.filter((rule) => rule.includes('203.0.113.8'))).toEqual(['meta skuid 4243 ip daddr 203.0.113.8 udp dport 8388 accept']);
    // Before the DNS block, like the endpoint: a transport server on port 53 still works.
    expect(output.indexOf('meta skuid 4243 ip daddr 203.0.113.8 udp dport 8388 accept')).toBeLessThan(indexOf(output, /th dport 53 .*reject/));
    expect(chain(TUNNEL_OBFUSCATED, 'input')).toContain('ip saddr 203.0.113.8 udp sport 8388 ct state established accept');
    // No other rule names the helper's uid, and the plain tunnel has no transport rule at all.
    expect(output.filter((rule) => rule.includes('skuid'))).toHaveLength(1);
    expect(chain(TUNNEL, 'output').some((rule) => rule.includes('skuid'))).toBe(false);
  });

  it('tunnel: DNS only to the tunnel resolver through the tunnel; 10.0.1.1:53 is refused', () => {
    const output = chain(TUNNEL, 'output');
    const dnsAccepts = accepts(output).filter((rule) => rule.includes('dport 53'));
    expect(dnsAccepts).toEqual(['oifname "wg0" ip daddr 10.64.0.1 meta l4proto { tcp, udp } th dport 53 accept']);
    expect(output.join('\n')).not.toContain('10.0.1.1');
    // The block comes before the tunnel's blanket accept, so no other resolver is reachable even inside it.
    expect(indexOf(output, /th dport 53 counter name "blocked_dns"/)).toBeLessThan(indexOf(output, /^oifname "wg0"( meta nfproto ipv4)? accept$/));
    expect(chain(TUNNEL, 'forward')).toContain(DNS_BLOCK);
  });

  it('tunnel: LAN only with allowLan, and a LAN resolver only when named', () => {
    expect(chain(TUNNEL, 'output').join('\n')).not.toContain('192.168.0.0/16 ');
    const output = chain(TUNNEL_V6_LAN, 'output');
    expect(output).toContain('ip daddr 192.168.1.1 meta l4proto { tcp, udp } th dport 53 accept');
    expect(indexOf(output, /th dport 53 counter name "blocked_dns"/)).toBeLessThan(indexOf(output, /^ip daddr \{ 10\.0\.0\.0\/8/));
    expect(chain(TUNNEL_V6_LAN, 'input')).toContain('ip saddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16 } accept');
  });

  it('tunnel: IPv6 enters the tunnel only when the tunnel carries it', () => {
    expect(chain(TUNNEL, 'output')).toContain('oifname "wg0" meta nfproto ipv4 accept');
    expect(chain(TUNNEL, 'output')).not.toContain('oifname "wg0" accept');
    expect(chain(TUNNEL, 'input')).toContain('iifname "wg0" meta nfproto ipv4 accept');
    expect(chain(TUNNEL_V6_LAN, 'output')).toContain('oifname "wg0" accept');
    expect(chain(TUNNEL_V6_LAN, 'output')).toContain('meta mark 0x0000ca6c ip6 daddr 2001:db8::5 tcp dport 443 accept');
    // Outside the tunnel, IPv6 is only link-local housekeeping.
    const v6Out = accepts(chain(TUNNEL, 'output')).filter((rule) => rule.includes('ip6') || rule.includes('icmpv6'));
    expect(v6Out.every((rule) => /fe80::\/10|ff02::|ff05::1:3/.test(rule))).toBe(true);
  });

  it('tunnel: packets for the tunnel address arriving elsewhere are dropped (CVE-2019-14899)', () => {
    const input = chain(TUNNEL_V6_LAN, 'input');
    const drop = indexOf(input, /^ip daddr 10\.66\.1\.2 counter name "blocked_in" drop$/);
    expect(drop).toBeGreaterThan(indexOf(input, /^iifname "wg0" accept$/));
    expect(drop).toBeLessThan(indexOf(input, /^ip saddr \{ 10\.0\.0\.0\/8/));
    expect(input).toContain('ip6 daddr fc00:bbbb:bbbb:bb01::3:102 counter name "blocked_in" drop');
  });

  it('tunnel while connecting: the endpoint only, nothing through the tunnel yet', () => {
    const output = chain(TUNNEL_CONNECTING, 'output');
    expect(output.some((rule) => rule.includes('"wg0"'))).toBe(false);
    expect(output).toContain('meta mark 0x0000ca6c ip daddr 203.0.113.5 udp dport 51820 accept');
  });

  it('tor-system: a nat chain at -100 sends other uids to TransPort, and DNS to 127.0.0.1 (or resolved\'s stub) only to DNSPort', () => {
    const model = describeTable(TOR);
    expect(model?.chains[0]).toMatchObject({ name: 'nat_output', type: 'nat', hook: 'output', priority: -100, policy: 'accept' });
    expect(chain(TOR, 'nat_output')).toEqual([
      'meta skuid 4242 return',
      'ip daddr { 127.0.0.1, 127.0.0.53 } meta l4proto { tcp, udp } th dport 53 redirect to :5353',
      'ip daddr 127.0.0.0/8 return',
      'oifname "lo" return',
      'meta nfproto ipv6 return',
      // DNS to another resolver is not redirected anywhere (not even TCP to the TransPort): the filter refuses it.
      'meta l4proto { tcp, udp } th dport 53 return',
      'meta l4proto tcp redirect to :9040',
    ]);
  });

  it('tor-system: only tor\'s uid leaves; UDP, ICMP and IPv6 of everyone else are refused', () => {
    const output = chain(TOR, 'output');
    expect(output).toContain('meta skuid 4242 accept');
    expect(output).toContain('ip daddr 127.0.0.1 tcp dport 9040 accept');
    expect(output).toContain('ip daddr 127.0.0.1 meta l4proto { tcp, udp } th dport 5353 accept');
    const other = accepts(output).filter((rule) => !rule.includes('skuid') && !rule.includes('127.0.0.1') && rule !== 'oifname "lo" accept');
    expect(other.every((rule) => /sport 68|fe80::\/10|icmpv6/.test(rule))).toBe(true);
    expect(chain(TOR, 'input')).toContain('ct state established,related accept');
    // Port 53 that the nat chain did not send to DNSPort is refused before loopback is accepted (127.0.0.54, ::1).
    expect(indexOf(output, /th dport 53 counter name "blocked_dns"/)).toBeGreaterThan(indexOf(output, /th dport 5353 accept$/));
    expect(indexOf(output, /th dport 53 counter name "blocked_dns"/)).toBeLessThan(output.indexOf('oifname "lo" accept'));
    // With LAN allowed, LAN destinations bypass the redirect, but DNS to a LAN resolver is still refused.
    const lanNat = chain({ ...TOR, allowLan: true }, 'nat_output');
    expect(indexOf(lanNat, /^meta l4proto \{ tcp, udp \} th dport 53 return$/)).toBeLessThan(indexOf(lanNat, /^ip daddr \{ 10\.0\.0\.0\/8.* return$/));
    const lanOutput = chain({ ...TOR, allowLan: true }, 'output');
    expect(indexOf(lanOutput, /th dport 53 .*reject/)).toBeLessThan(indexOf(lanOutput, /^ip daddr \{ 10\.0\.0\.0\/8/));
  });

  it('socks-redirect: the proxy uid reaches only its gateways; everyone else is redirected', () => {
    const output = chain(SOCKS, 'output');
    expect(output.filter((rule) => rule.includes('skuid'))).toEqual([
      'meta skuid 4242 ip daddr 203.0.113.9 tcp dport 1789 accept',
      'meta skuid 4242 ip6 daddr 2001:db8::9 accept',
      'meta skuid 4242 ip daddr 203.0.113.10 meta l4proto { tcp, udp } th dport 53 accept',
    ]);
    expect(chain(SOCKS, 'nat_output')).toContain('meta l4proto tcp redirect to :12345');
    expect(chain(SOCKS, 'nat_output')).toContain('meta l4proto { tcp, udp } th dport 53 redirect to :5300');
    expect(chain(SOCKS, 'nat_output').some((rule) => rule.includes('127.0.0.1'))).toBe(false);
  });
});
