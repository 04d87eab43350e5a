// Address comparison and the machine's own addresses.
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { canonicalIp, isPrivateAddress, ownAddresses } from '../../../app/leaks/addresses.js';

describe('canonicalIp', () => {
  it('gives one spelling per address', () => {
    expect(canonicalIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIp('[fd6c:5:1::2]')).toBe('fd6c:5:1::2');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
    expect(canonicalIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalIp(' 10.1.2.3 ')).toBe('10.1.2.3');
    expect(canonicalIp('abc.local')).toBe('abc.local');
  });

  it('knows LAN ranges', () => {
    expect(['10.0.0.1', '172.20.0.1', '192.168.1.1', '169.254.1.1', '100.64.0.1', 'fd00::1', 'fe80::1'].every(isPrivateAddress)).toBe(true);
    expect(['8.8.8.8', '172.32.0.1', '2001:db8::1', 'abc.local'].some(isPrivateAddress)).toBe(false);
  });
});

describe('ownAddresses', () => {
  const info = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
    family === 'IPv6' ? { address, family, internal, netmask: '', mac: '', cidr: null, scopeid: 0 } : { address, family, internal, netmask: '', mac: '', cidr: null };
  const interfaces = {
    lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
    eth0: [info('192.168.1.20', 'IPv4'), info('fe80::1', 'IPv6')],
    wg0: [info('10.64.0.2', 'IPv4'), info('fd00:64::2', 'IPv6')],
  };

  it('leaves out loopback and the tunnel (by name or by address)', () => {
    expect(ownAddresses(interfaces, { tunnelInterface: 'wg0' })).toEqual({ v4: ['192.168.1.20'], v6: ['fe80::1'], hasIpv6: false });
    expect(ownAddresses(interfaces, { tunnelAddresses: ['10.64.0.2', 'fd00:64::2'] }).v4).toEqual(['192.168.1.20']);
  });

  it('counts IPv6 only when an address beyond link-local exists', () => {
    expect(ownAddresses({ eth0: [info('2001:db8::5', 'IPv6')] }).hasIpv6).toBe(true);
  });
});
