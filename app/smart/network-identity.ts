// Which network is this? The default gateway's MAC address from /proc (no privilege needed), else the
// LAN of the default route's interface. Linux only; elsewhere Smart connect has no memory.
import { readFileSync } from 'node:fs';
import type { NetworkIdentity } from './memory.js';

const hexToIp = (hex: string): string => [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).reverse().join('.');

export function parseDefaultGateway(route: string): { iface: string; gateway: string } | undefined {
  for (const line of route.split('\n').slice(1)) {
    const [iface, destination, gateway] = line.trim().split(/\s+/);
    if (iface !== undefined && destination === '00000000' && gateway !== undefined && gateway !== '00000000') return { iface, gateway: hexToIp(gateway) };
  }
  return undefined;
}

export function parseArpMac(arp: string, ip: string): string | undefined {
  for (const line of arp.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] === ip && cols[3] !== undefined && cols[3] !== '00:00:00:00:00:00') return cols[3];
  }
  return undefined;
}

export function currentNetwork(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): NetworkIdentity {
  try {
    const gw = parseDefaultGateway(read('/proc/net/route'));
    if (gw === undefined) return {};
    const mac = parseArpMac(read('/proc/net/arp'), gw.gateway);
    // Without the MAC, the gateway's /24 stands in for the LAN (good enough to tell home from the café).
    return { ...(mac === undefined ? {} : { gatewayMac: mac }), lan: `${gw.gateway.replace(/\.\d+$/, '.0')}/24` };
  } catch {
    return {};
  }
}
