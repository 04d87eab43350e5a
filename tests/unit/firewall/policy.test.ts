// The ruleset runs as root: every odd input is refused before any text is built, and the refusal does not
// repeat the odd value back.
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../app/domain/errors.js';
import { buildFirewallRuleset, isLanAddress, validateFirewallPolicy } from '../../../app/firewall/index.js';
import { SOCKS, TOR, TUNNEL } from './policies.js';

function refusal(input: unknown): BurrowError {
  try {
    buildFirewallRuleset(input as never);
  } catch (error) {
    if (error instanceof BurrowError) return error;
    throw error;
  }
  throw new Error('the policy was accepted');
}

const INJECTION = 'wg0" accept\nflush ruleset #';

const CASES: [string, unknown, RegExp][] = [
  ['an interface name with a quote and a newline', { ...TUNNEL, tunnelInterface: INJECTION }, /tunnelInterface: an interface name is/],
  ['an interface name with a space', { ...TUNNEL, tunnelInterface: 'wg 0' }, /tunnelInterface/],
  ['an interface wildcard', { ...TUNNEL, tunnelInterface: 'wg*' }, /tunnelInterface/],
  ['an interface name of 16 characters', { ...TUNNEL, tunnelInterface: 'a'.repeat(16) }, /tunnelInterface/],
  ['the interface name ".."', { ...TUNNEL, tunnelInterface: '..' }, /cannot be "\." or "\.\."/],
  ['an empty interface name', { ...TUNNEL, tunnelInterface: '' }, /tunnelInterface/],
  ['an endpoint address with a rule after it', { ...TUNNEL, endpoints: [{ ip: '1.2.3.4 accept; flush ruleset', port: 1, proto: 'udp' }] }, /endpoints\.0\.ip: not an IP address/],
  ['an IPv6 address with a zone', { ...TUNNEL, endpoints: [{ ip: 'fe80::1%eth0', port: 1, proto: 'udp' }] }, /endpoints\.0\.ip/],
  ['the unspecified address', { ...TUNNEL, endpoints: [{ ip: '0.0.0.0', port: 1, proto: 'udp' }] }, /endpoints\.0\.ip/],
  ['the unspecified IPv6 address', { ...TUNNEL, dnsServers: ['::'] }, /dnsServers\.0/],
  ['a CIDR where an address belongs', { ...TUNNEL, dnsServers: ['10.64.0.0/24'] }, /dnsServers\.0/],
  ['port 0', { ...TUNNEL, endpoints: [{ ip: '1.2.3.4', port: 0, proto: 'udp' }] }, /endpoints\.0\.port/],
  ['port 65536', { ...TUNNEL, endpoints: [{ ip: '1.2.3.4', port: 65_536, proto: 'udp' }] }, /endpoints\.0\.port/],
  ['a fractional port', { ...TOR, transPort: 90.5 }, /transPort/],
  ['a port given as text', { ...TOR, dnsPort: '5353' }, /dnsPort/],
  ['an unknown protocol', { ...TUNNEL, endpoints: [{ ip: '1.2.3.4', port: 1, proto: 'sctp' }] }, /endpoints\.0\.proto/],
  ['no endpoint', { ...TUNNEL, endpoints: [] }, /endpoints/],
  ['fwmark 0', { ...TUNNEL, fwmark: 0 }, /fwmark/],
  ['fwmark over 32 bits', { ...TUNNEL, fwmark: 2 ** 32 }, /fwmark/],
  ['tor as root', { ...TOR, torUid: 0 }, /torUid/],
  ['a negative uid', { ...SOCKS, proxyUid: -1 }, /proxyUid/],
  ['uid 2^32-1 (the "no uid" value)', { ...TOR, torUid: 4_294_967_295 }, /torUid/],
  ['TransPort equal to DNSPort', { ...TOR, dnsPort: 9040 }, /transPort and dnsPort must differ/],
  ['redirect port equal to the DNS stub port', { ...SOCKS, dnsStubPort: 12345 }, /redirectPort and dnsStubPort must differ/],
  ['no gateway for the proxy', { ...SOCKS, allowedGateways: [] }, /allowedGateways/],
  ['a LAN resolver without allowLan', { ...TUNNEL, lanDnsServers: ['192.168.1.1'] }, /lanDnsServers needs allowLan/],
  ['a public address as LAN resolver', { ...TUNNEL, allowLan: true, lanDnsServers: ['8.8.8.8'] }, /private address/],
  ['an unknown field', { ...TUNNEL, extraRules: 'flush ruleset' }, /Unrecognized key/],
  ['a missing field', { kind: 'block' }, /allowLan/],
  ['an unknown kind', { kind: 'flush ruleset' }, /Unknown firewall policy kind/],
  ['no object at all', 'block', /Unknown firewall policy kind/],
  ['null', null, /Unknown firewall policy kind/],
  ['a prototype key as kind', { kind: 'constructor' }, /Unknown firewall policy kind/],
];

describe('validateFirewallPolicy refuses', () => {
  it.each(CASES)('%s', (_name, input, pattern) => {
    const error = refusal(input);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toContain('flush ruleset');
    expect(error.message).not.toContain(INJECTION);
  });

  it('accepts each sample policy unchanged', () => {
    for (const policy of [TUNNEL, TOR, SOCKS, { kind: 'open' as const }, { kind: 'block' as const, allowLan: true }]) {
      expect(validateFirewallPolicy(policy)).toEqual(policy);
    }
  });
});

describe('isLanAddress', () => {
  it('knows the private ranges and nothing else', () => {
    for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.1.1', 'fe80::1', 'fd00::1']) expect(isLanAddress(ip)).toBe(true);
    for (const ip of ['172.32.0.1', '8.8.8.8', '100.64.0.1', '2001:db8::1', 'not-an-ip']) expect(isLanAddress(ip)).toBe(false);
  });
});
