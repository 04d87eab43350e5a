// The transport helper that carries WireGuard's UDP to the provider's obfuscation server: its argv and its
// config file (which holds the secret, so it goes to a 0600 file, never to argv). WireGuard then talks to
// 127.0.0.1:<localPort> and the helper relays each datagram to the real endpoint through the server.
// The config itself is written by the contract's transportHelperPlan(), the one builder netd uses too when
// it starts the helper as root under Burrow's helper uid (obfsStart); this is the profile's view of it.
import { CONFIG_PLACEHOLDER, transportHelperPlan, type ObfsStartRequest, type TransportSpec } from '../../../contract/netd-obfs.js';
import type { Obfuscation, ObfuscationSecret } from './parse.js';

export interface HelperPlan {
  /** Program and arguments; `{config}` stands for the config file's path. */
  argv: string[];
  /** Contents of the config file (0600: it holds the secret). */
  config: string;
  /** Where WireGuard's Endpoint must point instead of the provider's. */
  localEndpoint: string;
  /** The only destination the helper's own packets may reach outside the tunnel. */
  exemption: { host: string; port: number; protocol: 'udp' | 'tcp' };
}

export { CONFIG_PLACEHOLDER };

/** The transport's protocol on the wire: Shadowsocks relays UDP as UDP, VLESS rides a TLS (TCP) connection. */
export const transportProtocol = (o: Obfuscation): 'udp' | 'tcp' => (o.type === 'shadowsocks' ? 'udp' : 'tcp');

function spec(obfuscation: Obfuscation, secret: ObfuscationSecret, server: string, target: { ip: string; port: number }): TransportSpec {
  const address = { ip: server, port: obfuscation.server.port };
  if (obfuscation.type === 'shadowsocks') {
    if (!('password' in secret)) throw new Error('a Shadowsocks obfuscation needs its password');
    return { type: 'shadowsocks', server: address, method: obfuscation.method, password: secret.password, target };
  }
  if (!('id' in secret)) throw new Error('a VLESS obfuscation needs its id');
  return { type: 'vless-ws-tls', server: address, id: secret.id, path: obfuscation.path, serverName: obfuscation.serverName, target };
}

/** netd's obfsStart request for this obfuscation: the server and the WireGuard endpoint as addresses. */
export function obfsStartRequest(obfuscation: Obfuscation, secret: ObfuscationSecret, serverIp: string, target: { ip: string; port: number }): ObfsStartRequest {
  const s = spec(obfuscation, secret, serverIp, target);
  if (s.type === 'shadowsocks' || obfuscation.type !== 'vless-ws-tls' || obfuscation.caPem === undefined) return s;
  return { ...s, caPem: obfuscation.caPem };
}

export function helperPlan(obfuscation: Obfuscation, secret: ObfuscationSecret, wgEndpoint: string, localPort: number, caFile?: string): HelperPlan {
  const [ip, port] = splitEndpoint(wgEndpoint);
  const plan = transportHelperPlan(spec(obfuscation, secret, obfuscation.server.host, { ip, port }), localPort, caFile);
  return {
    ...plan,
    localEndpoint: `127.0.0.1:${localPort}`,
    exemption: { host: obfuscation.server.host, port: obfuscation.server.port, protocol: transportProtocol(obfuscation) },
  };
}

function splitEndpoint(endpoint: string): [string, number] {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(endpoint);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (host === undefined || !Number.isInteger(port)) throw new Error(`not an endpoint: ${endpoint}`);
  return [host, port];
}
