// What `wg-quick up` does, done by hand in a lab namespace with wireguard-go (this kernel has no
// WireGuard module): the reference tunnel that Burrow's own WireGuard is compared against. The private
// key goes to `wg setconf` in a 0600 file, never in argv.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabNamespace } from './addresses.js';
import type { Lab } from './lab.js';
import { waitFor, type LabProcess } from './process.js';

export interface WgQuickConf {
  addresses: string[];
  dns: string[];
  allowedIps: string[];
  endpoint: string | undefined;
  /** The conf without wg-quick's own keys (Address, DNS, MTU…): what `wg setconf` accepts. */
  stripped: string;
}

const WG_QUICK_ONLY = new Set(['address', 'dns', 'mtu', 'table', 'preup', 'postup', 'predown', 'postdown', 'saveconfig']);

export function parseWgQuickConf(text: string): WgQuickConf {
  const conf: WgQuickConf = { addresses: [], dns: [], allowedIps: [], endpoint: undefined, stripped: '' };
  const kept: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    const key = kv?.[1]?.toLowerCase();
    const values = (kv?.[2] ?? '').split(',').map((v) => v.trim()).filter(Boolean);
    if (key === 'address') conf.addresses.push(...values);
    if (key === 'dns') conf.dns.push(...values);
    if (key === 'allowedips') conf.allowedIps.push(...values);
    if (key === 'endpoint') conf.endpoint = values[0];
    if (key === undefined || !WG_QUICK_ONLY.has(key)) kept.push(line);
  }
  conf.stripped = `${kept.join('\n')}\n`;
  return conf;
}

export interface WgQuickTunnel {
  ifname: string;
  process: LabProcess;
  down(): Promise<void>;
}

const FWMARK = '51820';

export async function wgQuickUp(lab: Lab, ns: LabNamespace, confText: string, ifname = 'wg0'): Promise<WgQuickTunnel> {
  const conf = parseWgQuickConf(confText);
  const proc = lab.spawn(ns, ['wireguard-go', '-f', ifname], { name: `wg-quick-${ns}`, env: { WG_PROCESS_FOREGROUND: '1' } });
  const socket = join(lab.wireguardDir(ns), `${ifname}.sock`);
  await waitFor(`${ifname}'s UAPI socket`, 10_000, () => (existsSync(socket) ? true : undefined), 20);
  const file = join(lab.dir, `wg-quick-${ns}-${ifname}.conf`);
  writeFileSync(file, conf.stripped, { mode: 0o600 });
  const ip = (...args: string[]): Promise<unknown> => lab.exec(ns, ['ip', ...args]);
  await lab.exec(ns, ['wg', 'setconf', ifname, file]);
  for (const address of conf.addresses) await ip(address.includes(':') ? '-6' : '-4', 'address', 'add', address, 'dev', ifname);
  await ip('link', 'set', 'mtu', '1420', 'up', 'dev', ifname);
  // wg-quick's policy routing: everything not marked by WireGuard's own socket goes to the tunnel's
  // table; the main table still wins for anything more specific than a default route.
  const families = conf.allowedIps.flatMap((a) => (a === '0.0.0.0/0' ? ['-4'] : a === '::/0' ? ['-6'] : []));
  if (families.length > 0) await lab.exec(ns, ['wg', 'set', ifname, 'fwmark', FWMARK]);
  for (const family of families) {
    await ip(family, 'route', 'add', family === '-4' ? '0.0.0.0/0' : '::/0', 'dev', ifname, 'table', FWMARK);
    await ip(family, 'rule', 'add', 'not', 'fwmark', FWMARK, 'table', FWMARK);
    await ip(family, 'rule', 'add', 'table', 'main', 'suppress_prefixlength', '0');
  }
  return {
    ifname,
    process: proc,
    async down() {
      for (const family of families) {
        await lab.exec(ns, ['ip', family, 'rule', 'del', 'table', 'main', 'suppress_prefixlength', '0'], { check: false });
        await lab.exec(ns, ['ip', family, 'rule', 'del', 'not', 'fwmark', FWMARK, 'table', FWMARK], { check: false });
      }
      // The interface goes away with its wireguard-go process.
      await proc.stop();
    },
  };
}
