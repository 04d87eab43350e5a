// The Nym profile file (documented in README.md): `[nym]`, then Provider (the exit's Nym address), and
// optionally Name, Mode, Gateway, SocksPort, AveragePacketDelay, CoverTraffic, NymApi (repeatable),
// DnsServer. A Nym profile holds no secrets: the client's keys live in its own directory.
import { isIP } from 'node:net';
import type { ParsedProfile } from '../../domain/profile.js';
import { BASE58_KEY, DEFAULT_PACKET_DELAY_MS, DEFAULT_SOCKS_PORT, RECIPIENT, mixingCost, type NymProfileConfig } from './config.js';
import { PROXY_MODES, type ProxyMode } from '../helper/proxy-network.js';
import { ProfileProblems, firstLine, parseDelayMs, parseOnOff, parsePort, readProfileLines, suggestName } from '../helper/profile-lines.js';

const KEYS: Record<string, string> = {
  name: 'Name',
  mode: 'Mode',
  provider: 'Provider',
  gateway: 'Gateway',
  socksport: 'SocksPort',
  averagepacketdelay: 'AveragePacketDelay',
  covertraffic: 'CoverTraffic',
  nymapi: 'NymApi',
  dnsserver: 'DnsServer',
};

/** A `[nym]` header, or a first line naming a provider. */
export function detectNymProfile(text: string): boolean {
  const first = firstLine(text);
  return /^\[\s*nym\s*\]$/i.test(first) || /^provider\s*=?\s*[1-9A-HJ-NP-Za-km-z]{32,44}\.[1-9A-HJ-NP-Za-km-z]{32,44}@/i.test(first);
}

export function parseNymProfileText(text: string, fileName?: string): { config: NymProfileConfig; name: string | undefined } {
  const problems: ProfileProblems = new ProfileProblems('Nym', fileName);
  const lines = readProfileLines(text, 'nym', KEYS, ['NymApi'], problems);
  let name: string | undefined;
  let mode: ProxyMode = 'proxy';
  let provider: string | undefined;
  let gateway: string | undefined;
  let socksPort = DEFAULT_SOCKS_PORT;
  let averagePacketDelayMs = DEFAULT_PACKET_DELAY_MS;
  let coverTraffic = true;
  let dnsServer: string | undefined;
  const nymApis: string[] = [];
  for (const { line, key, value } of lines) {
    switch (key) {
      case 'Name':
        name = value.slice(0, 64);
        break;
      case 'Mode':
        if (!(PROXY_MODES as readonly string[]).includes(value.toLowerCase())) {
          problems.fail(line, `Mode is proxy (a SOCKS port for the programs you point at it) or system (every program through the mixnet), not "${value.slice(0, 20)}".`);
        }
        mode = value.toLowerCase() as ProxyMode;
        break;
      case 'Provider':
        if (!RECIPIENT.test(value)) problems.fail(line, 'Provider is the exit\'s Nym address: identity key, a dot, encryption key, "@", gateway key (base58), as the network requester prints it.');
        provider = value;
        break;
      case 'Gateway':
        if (!BASE58_KEY.test(value)) problems.fail(line, 'Gateway is a gateway\'s identity key (32 to 44 base58 characters).');
        gateway = value;
        break;
      case 'SocksPort':
        socksPort = parsePort(value, key, line, problems);
        break;
      case 'AveragePacketDelay':
        averagePacketDelayMs = parseDelayMs(value, key, line, problems);
        break;
      case 'CoverTraffic':
        coverTraffic = parseOnOff(value, key, line, problems);
        break;
      case 'NymApi': {
        let url: URL | undefined;
        try {
          url = new URL(value);
        } catch {
          url = undefined;
        }
        if (url === undefined || !/^https?:$/.test(url.protocol)) problems.fail(line, 'NymApi is an http:// or https:// URL of a nym-api.');
        if (nymApis.length >= 4) problems.fail(line, 'a profile names at most 4 NymApi endpoints.');
        nymApis.push(url.toString());
        break;
      }
      case 'DnsServer':
        if (isIP(value) === 0) problems.fail(line, 'DnsServer is an IP address (the resolver asked through the exit in system-wide mode).');
        dnsServer = value;
        break;
    }
  }
  if (provider === undefined) problems.fail(undefined, 'it needs a Provider line: the Nym address of the exit (network requester) your traffic leaves from.');
  const config: NymProfileConfig = {
    version: 1,
    mode,
    provider,
    ...(gateway === undefined ? {} : { gateway }),
    socksPort,
    averagePacketDelayMs,
    coverTraffic,
    nymApis,
    ...(dnsServer === undefined ? {} : { dnsServer }),
  };
  return { config, name };
}

export function parseNymProfile(text: string, fileName?: string): ParsedProfile {
  const { config, name } = parseNymProfileText(text, fileName);
  return { network: 'nym', suggestedName: suggestName(name, fileName, 'Nym mixnet'), details: summarizeNym(config), config: { ...config }, secrets: {} };
}

function short(key: string): string {
  return key.length > 12 ? `${key.slice(0, 6)}…${key.slice(-4)}` : key;
}

export function summarizeNym(config: NymProfileConfig): ParsedProfile['details'] {
  const [, gatewayOfExit = ''] = config.provider.split('@');
  return {
    mode: config.mode,
    exit: short(config.provider.split('.')[0] ?? ''),
    exitGateway: short(gatewayOfExit),
    entryGateway: config.gateway === undefined ? 'chosen by the client' : short(config.gateway),
    socksPort: config.socksPort,
    mixing: mixingCost(config).summary,
  };
}
