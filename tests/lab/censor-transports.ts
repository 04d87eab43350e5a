// The lab VPN provider's obfuscation servers, as Mullvad runs them beside its WireGuard servers: a
// Shadowsocks server (shadowsocks-libev's ss-server, UDP relay) and a VLESS-over-WebSocket+TLS server
// (v2ray), both in `vpn` on a second address that no blocklist knows (10.X.3.3), both relaying to the
// lab's WireGuard endpoint. The TLS certificate is made here by a lab CA that exists only for this run.
// What a provider would hand its users comes back as `[Obfuscation]` sections (app/networks/wireguard/
// obfuscation), so the lab tests import them exactly as a person would.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from './lab.js';
import { run, waitFor, type LabProcess } from './process.js';

export const SHADOWSOCKS_PORT = 8388;
export const VLESS_PORT = 443;
export const VLESS_PATH = '/burrow';
export const VLESS_SERVER_NAME = 'obfs.vpn.lab';

export interface TransportServers {
  /** The obfuscation servers' address (not the WireGuard endpoint's). */
  address: string;
  /** `[Obfuscation]` section for Shadowsocks, as the provider publishes it. */
  shadowsocksSection: string;
  /** `[Obfuscation]` section for VLESS over WebSocket+TLS (the lab CA inlined). */
  vlessSection: string;
  /** The lab CA's certificate file (PEM). */
  caFile: string;
  processes: LabProcess[];
}

/** A CA and a server certificate for `name`, made with openssl in `dir` (0600 keys). */
export async function makeLabCertificates(dir: string, name: string): Promise<{ caFile: string; certFile: string; keyFile: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (n: string): string => join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Burrow lab CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  await run('openssl', ['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', `/CN=${name}`]);
  writeFileSync(f('server.ext'), `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\n`);
  await run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
    '-out', f('server.pem'), '-days', '2', '-extfile', f('server.ext')]);
  return { caFile: f('ca.pem'), certFile: f('server.pem'), keyFile: f('server.key') };
}

export async function startTransportServers(lab: Lab): Promise<TransportServers> {
  const a = lab.addresses;
  const address = a.vpn.replace(/\.\d+$/, '.3');
  const dir = join(lab.dir, 'transports');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await lab.exec('vpn', ['ip', 'addr', 'add', `${address}/24`, 'dev', lab.interfaces.vpn]);
  const wgEndpoint = lab.wireguard?.endpoint;
  if (wgEndpoint === undefined) throw new Error('the transport servers relay to the lab WireGuard server (start the lab with vpn: true)');

  const password = randomBytes(18).toString('base64');
  const ssConf = join(dir, 'ss-server.json');
  writeFileSync(ssConf, JSON.stringify({ server: address, server_port: SHADOWSOCKS_PORT, password, method: 'chacha20-ietf-poly1305', mode: 'tcp_and_udp', timeout: 60 }), { mode: 0o600 });
  const ss = lab.spawn('vpn', ['ss-server', '-c', ssConf, '-u', '-v'], { name: 'ss-server' });

  const certs = await makeLabCertificates(join(dir, 'pki'), VLESS_SERVER_NAME);
  const id = randomUUID();
  const v2Conf = join(dir, 'v2ray-server.json');
  writeFileSync(v2Conf, JSON.stringify({
    log: { loglevel: 'warning' },
    inbounds: [{
      listen: address, port: VLESS_PORT, protocol: 'vless',
      settings: { clients: [{ id }], decryption: 'none' },
      streamSettings: { network: 'ws', security: 'tls', tlsSettings: { certificates: [{ certificateFile: certs.certFile, keyFile: certs.keyFile }] }, wsSettings: { path: VLESS_PATH } },
    }],
    outbounds: [{ protocol: 'freedom' }],
  }), { mode: 0o600 });
  const v2 = lab.spawn('vpn', ['v2ray', '-config', v2Conf], { name: 'v2ray-server' });

  const listening = async (proto: 'u' | 't', port: number): Promise<true | undefined> => {
    const r = await lab.exec('vpn', ['ss', `-${proto}lnH`, 'sport', '=', `:${port}`], { check: false });
    return r.stdout.trim() !== '' ? true : undefined;
  };
  await waitFor('ss-server to listen', 10_000, () => listening('u', SHADOWSOCKS_PORT));
  await waitFor('v2ray to listen', 15_000, async () => {
    if (!v2.running()) throw new Error(`v2ray exited: ${v2.log().slice(-800)}`);
    return listening('t', VLESS_PORT);
  });
  if (!existsSync(certs.caFile)) throw new Error('the lab CA was not written');
  const ca = Buffer.from(readFileSync(certs.caFile, 'utf8')).toString('base64');
  return {
    address,
    shadowsocksSection: ['[Obfuscation]', 'Type = shadowsocks', `Server = ${address}:${SHADOWSOCKS_PORT}`, 'Method = chacha20-ietf-poly1305', `Password = ${password}`, ''].join('\n'),
    vlessSection: ['[Obfuscation]', 'Type = vless-ws-tls', `Server = ${address}:${VLESS_PORT}`, `Id = ${id}`, `Path = ${VLESS_PATH}`, `ServerName = ${VLESS_SERVER_NAME}`, `CA = ${ca}`, ''].join('\n'),
    caFile: certs.caFile,
    processes: [ss, v2],
  };
}
