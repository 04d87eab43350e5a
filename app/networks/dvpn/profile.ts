// The dVPN profile file (documented in README.md): `[dvpn]`, then optionally Name, Provider (mysterium),
// Mode, TequilapiPort, ProxyPort, Country, Node, Identity, MaxPricePerGiB, MaxPricePerHour, DnsServer, and the two
// secrets TequilapiPassword and IdentityPassphrase (stored apart, never shown again).
import { isIP } from 'node:net';
import type { ParsedProfile } from '../../domain/profile.js';
import { PROXY_MODES, type ProxyMode } from '../helper/proxy-network.js';
import { ProfileProblems, firstLine, parsePort, readProfileLines, suggestName } from '../helper/profile-lines.js';
import { COUNTRY, DEFAULT_PROXY_PORT, DEFAULT_TEQUILAPI_PORT, PROVIDER_ID, type DvpnProfileConfig } from './config.js';

const KEYS: Record<string, string> = {
  name: 'Name',
  provider: 'Provider',
  mode: 'Mode',
  tequilapiport: 'TequilapiPort',
  proxyport: 'ProxyPort',
  country: 'Country',
  node: 'Node',
  identity: 'Identity',
  maxpricepergib: 'MaxPricePerGiB',
  maxpriceperhour: 'MaxPricePerHour',
  dnsserver: 'DnsServer',
  tequilapipassword: 'TequilapiPassword',
  identitypassphrase: 'IdentityPassphrase',
};

export function detectDvpnProfile(text: string): boolean {
  return /^\[\s*(dvpn|mysterium)\s*\]$/i.test(firstLine(text));
}

function price(value: string, key: string, line: number, problems: ProfileProblems): number {
  const amount = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(amount >= 0 && amount <= 1000)) problems.fail(line, `${key} is an amount of MYST such as 0.1, not "${value.slice(0, 20)}".`);
  return amount;
}

export function parseDvpnProfileText(text: string, fileName?: string): { config: DvpnProfileConfig; secrets: Record<string, string>; name: string | undefined } {
  const problems: ProfileProblems = new ProfileProblems('dVPN', fileName);
  const section = /^\[\s*mysterium\s*\]$/i.test(firstLine(text)) ? 'mysterium' : 'dvpn';
  const lines = readProfileLines(text, section, KEYS, [], problems);
  let name: string | undefined;
  let mode: ProxyMode = 'proxy';
  const config: Omit<DvpnProfileConfig, 'mode'> = { version: 1, provider: 'mysterium', tequilapiPort: DEFAULT_TEQUILAPI_PORT, proxyPort: DEFAULT_PROXY_PORT };
  const secrets: Record<string, string> = {};
  for (const { line, key, value } of lines) {
    switch (key) {
      case 'Name':
        name = value.slice(0, 64);
        break;
      case 'Provider':
        if (value.toLowerCase() !== 'mysterium') problems.fail(line, `Burrow drives Mysterium only for now; Provider "${value.slice(0, 20)}" is not supported.`);
        break;
      case 'Mode':
        if (!(PROXY_MODES as readonly string[]).includes(value.toLowerCase())) problems.fail(line, `Mode is proxy (myst's HTTP proxy for the programs you point at it) or system (every program), not "${value.slice(0, 20)}".`);
        mode = value.toLowerCase() as ProxyMode;
        break;
      case 'TequilapiPort':
        config.tequilapiPort = parsePort(value, key, line, problems);
        break;
      case 'ProxyPort':
        config.proxyPort = parsePort(value, key, line, problems);
        break;
      case 'Country':
        if (!COUNTRY.test(value.toUpperCase())) problems.fail(line, 'Country is a two-letter country code such as NL.');
        config.country = value.toUpperCase();
        break;
      case 'Node':
        if (!PROVIDER_ID.test(value)) problems.fail(line, 'Node is a provider identity: 0x and 40 hex digits.');
        config.node = value.toLowerCase();
        break;
      case 'Identity':
        if (!PROVIDER_ID.test(value)) problems.fail(line, 'Identity is a Mysterium identity address: 0x and 40 hex digits.');
        config.identity = value.toLowerCase();
        break;
      case 'MaxPricePerGiB':
        config.maxPricePerGib = price(value, key, line, problems);
        break;
      case 'MaxPricePerHour':
        config.maxPricePerHour = price(value, key, line, problems);
        break;
      case 'DnsServer':
        if (isIP(value) === 0) problems.fail(line, 'DnsServer is an IP address (the resolver asked through the node in system-wide mode).');
        config.dnsServer = value;
        break;
      case 'TequilapiPassword':
        secrets.tequilapiPassword = value;
        break;
      case 'IdentityPassphrase':
        secrets.identityPassphrase = value;
        break;
    }
  }
  if (config.tequilapiPort === config.proxyPort) problems.fail(undefined, 'TequilapiPort and ProxyPort must differ.');
  return { config: { ...config, mode }, secrets, name };
}

export function parseDvpnProfile(text: string, fileName?: string): ParsedProfile {
  const { config, secrets, name } = parseDvpnProfileText(text, fileName);
  return { network: 'dvpn', suggestedName: suggestName(name, fileName, 'Mysterium dVPN'), details: summarizeDvpn(config, secrets), config: { ...config }, secrets };
}

export function summarizeDvpn(config: DvpnProfileConfig, secrets: Record<string, string>): ParsedProfile['details'] {
  const details: ParsedProfile['details'] = {
    provider: 'Mysterium',
    mode: config.mode,
    node: config.node ?? `best quality${config.country === undefined ? '' : ` in ${config.country}`}`,
    identity: config.identity ?? 'myst\'s default (created on first use)',
    proxyPort: config.proxyPort,
    tequilapiPort: config.tequilapiPort,
    customPassword: secrets.tequilapiPassword !== undefined,
  };
  if (config.maxPricePerGib !== undefined) details.maxPricePerGiB = `${config.maxPricePerGib} MYST`;
  if (config.maxPricePerHour !== undefined) details.maxPricePerHour = `${config.maxPricePerHour} MYST`;
  return details;
}
