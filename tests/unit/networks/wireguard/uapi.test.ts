// The UAPI `set=1` request: its exact text, its refusals, and (where root and wireguard-go are available)
// a real wireguard-go in a throwaway namespace accepting it, read back with `wg show dump`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parseWireGuardConfig, toUapiConfig } from '../../../../app/networks/wireguard/config/index.js';
import { canUseNetns, IP, withNetns } from '../../firewall/netns.js';
import { CLIENT, MULLVAD_CONF, PSK, SERVER, SERVER2, WG_QUICK_CONF } from './fixtures.js';

const hex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');
const RESOLVED = { resolvedEndpoints: { 'vpn.example.com': '192.0.2.10' } };

describe('toUapiConfig', () => {
  it('writes the Mullvad file as one set=1 request ending in a blank line', () => {
    const { config, secrets } = parseWireGuardConfig(MULLVAD_CONF);
    expect(toUapiConfig(config, secrets, { fwmark: 51820 })).toBe(
      [
        'set=1',
        `private_key=${hex(CLIENT.privateKey)}`,
        'fwmark=51820',
        'replace_peers=true',
        `public_key=${hex(SERVER.publicKey)}`,
        'endpoint=185.65.135.224:51820',
        'replace_allowed_ips=true',
        'allowed_ip=0.0.0.0/0',
        'allowed_ip=::0/0',
        '',
        '',
      ].join('\n'),
    );
  });

  it('writes listen port, preshared key, keepalive, resolved names and bracketed IPv6 endpoints', () => {
    const { config, secrets } = parseWireGuardConfig(WG_QUICK_CONF);
    const text = toUapiConfig(config, secrets, RESOLVED);
    expect(text).toContain(`listen_port=21841\nfwmark=${0xca6c}\nreplace_peers=true\n`);
    expect(text).toContain(`public_key=${hex(SERVER.publicKey)}\npreshared_key=${hex(PSK)}\nendpoint=192.0.2.10:51820\npersistent_keepalive_interval=25\n`);
    expect(text).toContain(`public_key=${hex(SERVER2.publicKey)}\nendpoint=[2001:db8::7]:51821\nreplace_allowed_ips=true\nallowed_ip=10.200.200.0/24\n\n`);
    expect(text).not.toContain('vpn.example.com');
  });

  it('refuses an endpoint host name nobody resolved', () => {
    const { config, secrets } = parseWireGuardConfig(WG_QUICK_CONF);
    expect(() => toUapiConfig(config, secrets)).toThrow(/vpn\.example\.com has to be resolved/);
  });

  it('refuses secrets that belong to another profile, without showing them', () => {
    const { config } = parseWireGuardConfig(MULLVAD_CONF);
    const wrong = { privateKey: SERVER2.privateKey, presharedKeys: {} };
    expect(() => toUapiConfig(config, wrong)).toThrow(/does not belong to this profile/);
  });

  it('refuses a missing preshared key', () => {
    const { config, secrets } = parseWireGuardConfig(WG_QUICK_CONF);
    expect(() => toUapiConfig(config, { ...secrets, presharedKeys: {} }, RESOLVED)).toThrow(/preshared key is missing/);
  });
});

const WIREGUARD_GO = '/usr/bin/wireguard-go';
const WG = '/usr/bin/wg';

describe.skipIf(!canUseNetns || !existsSync(WIREGUARD_GO) || !existsSync(WG))('toUapiConfig against wireguard-go and wg', () => {
  it('wireguard-go accepts the request and `wg show dump` reads back the same base64 keys', async () => {
    // wireguard-go and wg use the fixed /run/wireguard: a per-test directory is bind-mounted over it inside
    // `ip netns exec`, whose private mount namespace keeps the mount from the host. The target must exist.
    mkdirSync('/run/wireguard', { recursive: true });
    await withNetns(async (ns) => {
      const dir = ns.scratch;
      const bind = (command: string): string[] => ['sh', '-c', `mount --bind "$0" /run/wireguard && ${command}`, dir];
      const daemon = spawn(IP, ['netns', 'exec', ns.name, ...bind('exec /usr/bin/wireguard-go -f wgt0')], {
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', WG_PROCESS_FOREGROUND: '1' },
        stdio: 'ignore',
      });
      try {
        const socket = join(dir, 'wgt0.sock');
        for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50);
        const { config, secrets } = parseWireGuardConfig(WG_QUICK_CONF);
        const reply = await uapi(socket, toUapiConfig(config, secrets, RESOLVED));
        expect(reply).toBe('errno=0\n\n');

        const dump = (await ns.execOk(bind(`${WG} show wgt0 dump`))).trim().split('\n').map((line) => line.split('\t'));
        expect(dump[0]?.slice(0, 4)).toEqual([CLIENT.privateKey, CLIENT.publicKey, '21841', '0xca6c']);
        const peers = new Map(dump.slice(1).map((fields) => [fields[0], fields]));
        expect(peers.get(SERVER.publicKey)?.slice(1, 4)).toEqual([PSK, '192.0.2.10:51820', '0.0.0.0/0,::/0']);
        expect(peers.get(SERVER.publicKey)?.[7]).toBe('25');
        expect(peers.get(SERVER2.publicKey)?.slice(1, 4)).toEqual(['(none)', '[2001:db8::7]:51821', '10.200.200.0/24']);
      } finally {
        daemon.kill('SIGTERM');
      }
    });
  });
});

function uapi(path: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.endsWith('\n\n')) socket.end();
    });
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
    socket.write(request);
  });
}
