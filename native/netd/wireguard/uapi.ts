// WireGuard's cross-platform configuration protocol (wireguard.com/xplatform): the `set=1` request that
// configures an interface in one go (keys as hex, so never on a command line), the `get=1` reply parsed into
// per-peer status, and the wg(8) config text the kernel path hands to `wg setconf` (kernel-config.ts).
// The texts built here hold the private key: they go to a socket or stdin and nowhere else.
import { createConnection } from 'node:net';
import { BurrowError } from '../../../app/domain/index.js';
import type { WgUpRequest } from '../../../app/contract/index.js';

const hex = (base64Key: string): string => Buffer.from(base64Key, 'base64').toString('hex');
const endpointText = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

export function uapiSetRequest(request: WgUpRequest): string {
  const lines = ['set=1', `private_key=${hex(request.privateKey)}`, `fwmark=${request.fwmark}`];
  if (request.listenPort !== undefined) lines.push(`listen_port=${request.listenPort}`);
  lines.push('replace_peers=true');
  for (const peer of request.peers) {
    lines.push(`public_key=${hex(peer.publicKey)}`);
    if (peer.presharedKey !== undefined) lines.push(`preshared_key=${hex(peer.presharedKey)}`);
    lines.push(`endpoint=${endpointText(peer.endpoint.ip, peer.endpoint.port)}`);
    if (peer.persistentKeepalive !== undefined) lines.push(`persistent_keepalive_interval=${peer.persistentKeepalive}`);
    lines.push('replace_allowed_ips=true');
    for (const cidr of peer.allowedIps) lines.push(`allowed_ip=${cidr}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** The same configuration as wg(8) reads it, for kernel interfaces. */
export function wgSetconfText(request: WgUpRequest): string {
  const lines = ['[Interface]', `PrivateKey = ${request.privateKey}`, `FwMark = ${request.fwmark}`];
  if (request.listenPort !== undefined) lines.push(`ListenPort = ${request.listenPort}`);
  for (const peer of request.peers) {
    lines.push('', '[Peer]', `PublicKey = ${peer.publicKey}`);
    if (peer.presharedKey !== undefined) lines.push(`PresharedKey = ${peer.presharedKey}`);
    lines.push(`Endpoint = ${endpointText(peer.endpoint.ip, peer.endpoint.port)}`, `AllowedIPs = ${peer.allowedIps.join(', ')}`);
    if (peer.persistentKeepalive !== undefined) lines.push(`PersistentKeepalive = ${peer.persistentKeepalive}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface PeerStatus {
  publicKey: string;
  endpoint?: string;
  lastHandshakeSec: number;
  rxBytes: number;
  txBytes: number;
}

/** Peers of a `get=1` reply; the interface's own lines (its private key among them) are skipped. */
export function parseUapiGet(text: string): PeerStatus[] {
  const peers: PeerStatus[] = [];
  let current: PeerStatus | undefined;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'public_key') {
      current = { publicKey: Buffer.from(value, 'hex').toString('base64'), lastHandshakeSec: 0, rxBytes: 0, txBytes: 0 };
      peers.push(current);
    } else if (current !== undefined) {
      if (key === 'endpoint') current.endpoint = value;
      else if (key === 'last_handshake_time_sec') current.lastHandshakeSec = Number(value) || 0;
      else if (key === 'rx_bytes') current.rxBytes = Number(value) || 0;
      else if (key === 'tx_bytes') current.txBytes = Number(value) || 0;
    }
  }
  return peers;
}

/** Peers of `wg show IF dump` (kernel path): the first line is the interface, with its private key. */
export function parseWgDump(text: string): PeerStatus[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .filter((fields) => fields.length >= 8)
    .map((fields) => ({
      publicKey: fields[0] ?? '',
      ...(fields[2] && fields[2] !== '(none)' ? { endpoint: fields[2] } : {}),
      lastHandshakeSec: Number(fields[4]) || 0,
      rxBytes: Number(fields[5]) || 0,
      txBytes: Number(fields[6]) || 0,
    }));
}

/** One request/reply on an interface's UAPI socket; the reply ends with a blank line after `errno=N`. */
export function uapiExchange(socketPath: string, request: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let reply = '';
    const fail = (message: string): void => {
      socket.destroy();
      reject(new BurrowError('helper_failed', message));
    };
    const timer = setTimeout(() => fail('wireguard-go did not answer on its configuration socket in time.'), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (!/(^|\n)errno=-?\d+\n\n$/.test(reply)) return;
      clearTimeout(timer);
      socket.end();
      const errno = Number(/(?:^|\n)errno=(-?\d+)\n\n$/.exec(reply)?.[1]);
      if (errno !== 0) reject(new BurrowError('helper_failed', `wireguard-go refused the configuration (errno ${errno}).`));
      else resolve(reply);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      fail(`Could not reach wireguard-go's configuration socket: ${error.message}`);
    });
    socket.write(request);
  });
}
