// The lab's VPN provider: a wireguard-go server in `vpn` that NATs its clients to the internet, and
// the wg-quick `.conf` a user of that provider would download. Keys are made in-process and reach `wg`
// only through a 0600 file: never argv, never a log.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabAddresses, LabInterfaces } from './addresses.js';
import { waitFor } from './process.js';

export const WG_PORT = 51820;

export interface WgKeyPair {
  privateKey: string;
  publicKey: string;
}

/** A Curve25519 key pair in WireGuard's base64 form (WireGuard clamps the private key itself). */
export function wgKeyPair(): WgKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const d = privateKey.export({ format: 'jwk' }).d;
  const x = publicKey.export({ format: 'jwk' }).x;
  if (d === undefined || x === undefined) throw new Error('x25519 key export failed');
  return { privateKey: Buffer.from(d, 'base64url').toString('base64'), publicKey: Buffer.from(x, 'base64url').toString('base64') };
}

export function clientConf(a: LabAddresses, client: WgKeyPair, serverPublicKey: string): string {
  return [
    '[Interface]',
    `PrivateKey = ${client.privateKey}`,
    `Address = ${a.vpnTunnelClient}/32, ${a.vpnTunnelClientV6}/128`,
    `DNS = ${a.publicResolver}`,
    '',
    '[Peer]',
    `PublicKey = ${serverPublicKey}`,
    `Endpoint = ${a.vpn}:${WG_PORT}`,
    'AllowedIPs = 0.0.0.0/0, ::/0',
    '',
  ].join('\n');
}

function serverSetconf(a: LabAddresses, server: WgKeyPair, clientPublicKey: string): string {
  return [
    '[Interface]',
    `PrivateKey = ${server.privateKey}`,
    `ListenPort = ${WG_PORT}`,
    '',
    '[Peer]',
    `PublicKey = ${clientPublicKey}`,
    `AllowedIPs = ${a.vpnTunnelClient}/32, ${a.vpnTunnelClientV6}/128`,
    '',
  ].join('\n');
}

function natRules(a: LabAddresses, i: LabInterfaces): string {
  const net4 = `${a.vpnTunnelServer.replace(/\.\d+$/, '.0')}/24`;
  const net6 = `${a.vpnTunnelServerV6.replace(/::\d+$/, '::')}/64`;
  return `table ip burrowlab_vpn {
  chain post { type nat hook postrouting priority srcnat; ip saddr ${net4} oifname "${i.vpn}" masquerade; }
}
table ip6 burrowlab_vpn {
  chain post { type nat hook postrouting priority srcnat; ip6 saddr ${net6} oifname "${i.vpn}" masquerade; }
}
`;
}

export interface WireguardServer {
  clientConf: string;
  serverPublicKey: string;
  endpoint: string;
}

export interface VpnDeps {
  dir: string;
  wgDir: string;
  addresses: LabAddresses;
  interfaces: LabInterfaces;
  exec(argv: string[], input?: string): Promise<unknown>;
  spawn(name: string, argv: string[], env?: Record<string, string>): unknown;
}

export async function startWireguardServer(deps: VpnDeps): Promise<WireguardServer> {
  const { addresses: a, interfaces: i } = deps;
  const server = wgKeyPair();
  const client = wgKeyPair();
  const ifname = i.vpnTunnel;
  deps.spawn('wireguard-go', ['wireguard-go', '-f', ifname], { WG_PROCESS_FOREGROUND: '1' });
  await waitFor('the wireguard-go UAPI socket', 10_000, () => (existsSync(join(deps.wgDir, `${ifname}.sock`)) ? true : undefined), 20);
  const confFile = join(deps.dir, 'vpn-server.setconf');
  writeFileSync(confFile, serverSetconf(a, server, client.publicKey), { mode: 0o600 });
  await deps.exec(['wg', 'setconf', ifname, confFile]);
  await deps.exec(['ip', '-batch', '-'], [
    `addr add ${a.vpnTunnelServer}/24 dev ${ifname}`,
    `addr add ${a.vpnTunnelServerV6}/64 dev ${ifname} nodad`,
    `link set ${ifname} up`,
    '',
  ].join('\n'));
  await deps.exec(['nft', '-f', '-'], natRules(a, i));
  return { clientConf: clientConf(a, client, server.publicKey), serverPublicKey: server.publicKey, endpoint: `${a.vpn}:${WG_PORT}` };
}
