// The torrc Burrow hands to tor, as a pure function of a checked profile and the places and programs this
// machine gives it. No value may carry a newline or control character (each line is one option, and a
// second line would be a second option); paths with spaces are quoted the way tor's parser reads them.
// Tor is started with `--defaults-torrc <empty file> -f <this file>`, so the system torrc never mixes in.
import { TOR_SYSTEM_PORTS } from '../../contract/netd-tor.js';
import { BurrowError } from '../../domain/errors.js';
import type { PluggableTransport } from './bridge-line.js';
import { transportsOf, type CheckedTorConfig } from './config.js';

export const DEFAULT_SOCKS_PORT = 9150;
// Shared with netd (which writes system-wide tor's torrc). DNS is not on 5353: mDNS (avahi) binds
// 0.0.0.0:5353 on many desktops; the firewall redirects port 53 to it anyway.
export const DEFAULT_TRANS_PORT = TOR_SYSTEM_PORTS.transPort;
export const DEFAULT_DNS_PORT = TOR_SYSTEM_PORTS.dnsPort;
export const VIRTUAL_NETWORK_V4 = '10.192.0.0/10';

export type ControlAuth = { kind: 'cookie'; cookieFile: string } | { kind: 'password'; hashed: string };

export interface SystemPorts {
  transPort: number;
  dnsPort: number;
  /** tor switches to this user after opening its listeners (it is started as root by netd). */
  user?: string;
}

export interface TorrcInput {
  config: CheckedTorConfig;
  /** Kept between runs: the cached consensus and guards make the next bootstrap several times faster. */
  dataDirectory: string;
  /** A Unix socket in a directory only the host's uid can enter. */
  controlSocket: string;
  /** Extra flags for the control socket (e.g. WorldWritable when the directory alone guards it). */
  controlSocketFlags?: readonly ('WorldWritable' | 'GroupWritable' | 'RelaxDirModeCheck')[];
  auth: ControlAuth;
  socksPort: number;
  /** Present in system-wide mode only. */
  system?: SystemPorts;
  /** The client program for each transport the bridges use (from findTransports). */
  transports: Partial<Record<PluggableTransport, string>>;
  /** tor exits when this process does (until TAKEOWNERSHIP replaces the check with the control connection). */
  owningPid?: number;
  /** Where tor's log goes; `stdout` for a child whose output Burrow reads. */
  log?: 'stdout' | { file: string };
  /** DisableNetwork 1: tor starts but never touches the network (tests of everything but bootstrap). */
  disableNetwork?: boolean;
}

/** Rejects anything that could end a torrc line or that tor would read as something else. */
export function torrcValue(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex -- newlines and other control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new BurrowError('invalid_request', `The ${what} for tor contains a newline or control character; refusing to write it into a torrc.`);
  }
  if (value.length === 0) throw new BurrowError('invalid_request', `The ${what} for tor is empty.`);
  if (/^[^\s"\\#]+$/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A value written as is (bridge lines, authorities): already validated, so only checked for what ends a line. */
function plainValue(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex -- newlines and other control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f"\\#]/.test(value) || value.trim().length === 0) {
    throw new BurrowError('invalid_request', `The ${what} for tor is empty or contains a newline, control character, quote, backslash or '#'.`);
  }
  return value;
}

function executable(path: string, what: string): string {
  if (!path.startsWith('/') || /[\s"\\#]/.test(path)) {
    throw new BurrowError('invalid_request', `The ${what} path must be absolute and without spaces or quotes; tor splits its exec line on spaces.`);
  }
  return torrcValue(path, what);
}

function port(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new BurrowError('invalid_request', `The ${what} ${value} is not a port number.`);
  return value;
}

/** One `ClientTransportPlugin` line per program, naming every transport it serves for this profile. */
function transportLines(input: TorrcInput): string[] {
  const needed = transportsOf(input.config) as PluggableTransport[];
  const byProgram = new Map<string, PluggableTransport[]>();
  for (const transport of needed) {
    const program = input.transports[transport];
    if (program === undefined) {
      throw new BurrowError('network_unavailable', `This profile's bridges use ${transport}, and no program for it was found. ${INSTALL_HINT[transport]}`, { transport });
    }
    byProgram.set(program, [...(byProgram.get(program) ?? []), transport]);
  }
  return [...byProgram].map(([program, transports]) => `ClientTransportPlugin ${transports.join(',')} exec ${executable(program, `${transports.join('/')} client`)}`);
}

export const INSTALL_HINT: Record<PluggableTransport, string> = {
  obfs4: 'Install obfs4proxy or lyrebird (apt install obfs4proxy).',
  snowflake: 'Install snowflake-client (apt install snowflake-client) or lyrebird.',
  webtunnel: 'Install lyrebird or webtunnel-client.',
};

export function buildTorrc(input: TorrcInput): string {
  const { config } = input;
  const flags = (input.controlSocketFlags ?? []).map((flag) => ` ${flag}`).join('');
  const lines: string[] = [
    '# Written by Burrow for one run; edits are overwritten.',
    `DataDirectory ${torrcValue(input.dataDirectory, 'data directory')}`,
    `ControlPort unix:${torrcValue(input.controlSocket, 'control socket path')}${flags}`,
  ];
  if (input.auth.kind === 'cookie') {
    lines.push('CookieAuthentication 1', `CookieAuthFile ${torrcValue(input.auth.cookieFile, 'cookie file path')}`);
  } else {
    if (!/^16:[0-9A-F]{58}$/.test(input.auth.hashed)) throw new BurrowError('invalid_request', 'The hashed control password is not in tor\'s 16:… form.');
    lines.push('CookieAuthentication 0', `HashedControlPassword ${input.auth.hashed}`);
  }
  lines.push(`SocksPort 127.0.0.1:${port(input.socksPort, 'SOCKS port')}`);
  if (input.system !== undefined) {
    const { transPort, dnsPort, user } = input.system;
    lines.push(
      `TransPort 127.0.0.1:${port(transPort, 'TransPort')}`,
      `DNSPort 127.0.0.1:${port(dnsPort, 'DNSPort')}`,
      'AutomapHostsOnResolve 1',
      `VirtualAddrNetworkIPv4 ${VIRTUAL_NETWORK_V4}`,
    );
    if (user !== undefined) {
      if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) throw new BurrowError('invalid_request', 'The user for tor is not a valid user name.');
      lines.push(`User ${user}`);
    }
  }
  if (input.owningPid !== undefined) {
    if (!Number.isInteger(input.owningPid) || input.owningPid < 1) throw new BurrowError('invalid_request', 'The owning process id is not a pid.');
    lines.push(`__OwningControllerProcess ${input.owningPid}`);
  }
  const log = input.log ?? 'stdout';
  lines.push(log === 'stdout' ? 'Log notice stdout' : `Log notice file ${torrcValue(log.file, 'log file path')}`);
  // A child Burrow watches (never a daemon), and never a relay whatever else is set.
  lines.push('RunAsDaemon 0', 'ClientOnly 1');
  if (input.disableNetwork === true) lines.push('DisableNetwork 1');

  for (const authority of config.dirAuthorities) lines.push(`DirAuthority ${plainValue(authority, 'DirAuthority line')}`);
  for (const [key, value] of Object.entries(config.options)) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new BurrowError('invalid_request', 'A tor option name is not a plain word.');
    lines.push(`${key} ${plainValue(value, `value of ${key}`)}`);
  }
  if (config.useBridges) {
    lines.push('UseBridges 1', ...transportLines(input), ...config.parsedBridges.map((bridge) => `Bridge ${plainValue(bridge.text, 'bridge line')}`));
  }
  return `${lines.join('\n')}\n`;
}

/** argv for tor: the defaults file is empty so /etc/tor/torrc and its defaults never mix in. */
export function torArgv(emptyDefaults: string, torrc: string): string[] {
  return ['--defaults-torrc', emptyDefaults, '-f', torrc];
}
