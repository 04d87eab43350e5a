// netd's own torrc for system-wide tor. The host's request brings only data that tor reads as data (bridge
// lines, authorities, allowlisted options, already validated by the request schema); every line that could
// run a program, write a file or change a user is written here from netd's own facts.
import type { TorSystemStartRequest } from '../../app/contract/index.js';

export interface SystemTorrcFacts {
  dataDirectory: string;
  controlSocket: string;
  /** tor's user: tor starts as root (to read this file) and runs as this user. */
  user: string;
  transPort: number;
  dnsPort: number;
  /** Transport program per transport name, found by netd. */
  transports: Readonly<Record<string, string>>;
}

const PLAIN_PATH = /^\/[A-Za-z0-9._/-]+$/;
const TRANSPORT = /^(obfs4|snowflake|webtunnel) /;

function path(value: string, what: string): string {
  if (!PLAIN_PATH.test(value)) throw new Error(`netd will not write the ${what} ${JSON.stringify(value.slice(0, 80))} into a torrc.`);
  return value;
}

/** The transports the bridges use (the request schema already refused anything but printable ASCII). */
export function bridgeTransports(request: TorSystemStartRequest): string[] {
  if (!request.useBridges) return [];
  return [...new Set(request.bridges.flatMap((line) => TRANSPORT.exec(line)?.[1] ?? []))];
}

export function systemTorrc(request: TorSystemStartRequest, facts: SystemTorrcFacts): string {
  const lines = [
    '# Written by burrow netd for system-wide tor; edits are overwritten.',
    `DataDirectory ${path(facts.dataDirectory, 'data directory')}`,
    // WorldWritable: the socket's directory (the host's uid, tor's group, 0770) is what guards it.
    `ControlPort unix:${path(facts.controlSocket, 'control socket')} WorldWritable`,
    'CookieAuthentication 0',
    `HashedControlPassword ${request.hashedControlPassword}`,
    `SocksPort 127.0.0.1:${request.socksPort}`,
    `TransPort 127.0.0.1:${facts.transPort}`,
    `DNSPort 127.0.0.1:${facts.dnsPort}`,
    'AutomapHostsOnResolve 1',
    'VirtualAddrNetworkIPv4 10.192.0.0/10',
    `User ${facts.user}`,
    'RunAsDaemon 0',
    'ClientOnly 1',
    'Log notice stdout',
  ];
  for (const authority of request.dirAuthorities) lines.push(`DirAuthority ${authority}`);
  for (const [key, value] of Object.entries(request.options)) if (value !== undefined) lines.push(`${key} ${value}`);
  const transports = bridgeTransports(request);
  if (request.useBridges) {
    if (request.bridges.length === 0) throw new Error('UseBridges without bridge lines.');
    lines.push('UseBridges 1');
    for (const transport of transports) {
      const program = facts.transports[transport];
      if (program === undefined) throw new Error(`no ${transport} program on this machine`);
      lines.push(`ClientTransportPlugin ${transport} exec ${path(program, `${transport} program`)}`);
    }
    for (const bridge of request.bridges) lines.push(`Bridge ${bridge}`);
  }
  return `${lines.join('\n')}\n`;
}
