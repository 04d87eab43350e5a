// torrc text for every kind of node in the private network (tor 0.4.9, chutney-style settings from
// shared/LAB.md) and for lab clients. Pure: addresses and fingerprints in, text out.
import type { LabAddresses, TorNode } from './addresses.js';

export const OR_PORT = 9001;
export const DIR_PORT = 9030;
export const OBFS4_PORT = 443;

export interface DirAuthorityInfo {
  nickname: string;
  address: string;
  v3ident: string;
  fingerprint: string;
}

export function dirAuthorityLine(auth: DirAuthorityInfo): string {
  return `DirAuthority ${auth.nickname} orport=${OR_PORT} no-v2 v3ident=${auth.v3ident} ${auth.address}:${DIR_PORT} ${auth.fingerprint}`;
}

/** Settings every member of the test network shares, clients included. */
export function commonTorrc(dataDir: string, authorities: DirAuthorityInfo[]): string[] {
  return [
    'TestingTorNetwork 1',
    `DataDirectory ${dataDir}`,
    'RunAsDaemon 0',
    'Log notice stdout',
    'SafeLogging 0',
    // Relays would wait 30 s for circuits to drain on SIGTERM; a lab wants them gone at once.
    'ShutdownWaitLength 0',
    'PathsNeededToBuildCircuits 0.67',
    'TestingDirAuthVoteExit *',
    'TestingDirAuthVoteGuard *',
    'TestingDirAuthVoteHSDir *',
    'TestingMinExitFlagThreshold 0',
    'V3AuthNIntervalsValid 2',
    ...authorities.map(dirAuthorityLine),
  ];
}

function serverTorrc(nickname: string, address: string, resolvConf: string): string[] {
  return [
    `Nickname ${nickname}`,
    `Address ${address}`,
    `OutboundBindAddress ${address}`,
    `ORPort ${address}:${OR_PORT}`,
    'SocksPort 0',
    'AssumeReachable 1',
    'ContactInfo burrow-lab',
    `ServerDNSResolvConfFile ${resolvConf}`,
    'ServerDNSDetectHijacking 0',
    'ServerDNSTestAddresses',
  ];
}

export function relayTorrc(
  node: TorNode,
  a: LabAddresses,
  dataDir: string,
  resolvConf: string,
  authorities: DirAuthorityInfo[],
): string {
  const address = a.tor[node];
  const lines = [...commonTorrc(dataDir, authorities), ...serverTorrc(node, address, resolvConf)];
  if (node.startsWith('auth')) {
    lines.push(
      `DirPort ${address}:${DIR_PORT}`,
      'AuthoritativeDirectory 1',
      'V3AuthoritativeDirectory 1',
      'TestingV3AuthInitialVotingInterval 5',
      'TestingV3AuthInitialVoteDelay 2',
      'TestingV3AuthInitialDistDelay 2',
      'V3AuthVotingInterval 10',
      'V3AuthVoteDelay 2',
      'V3AuthDistDelay 2',
    );
  }
  if (node === 'exit') {
    lines.push('ExitRelay 1', 'ExitPolicyRejectPrivate 0', 'ExitPolicyRejectLocalInterfaces 0', 'ExitPolicy accept *:*');
  } else {
    lines.push('ExitRelay 0', 'ExitPolicy reject *:*');
  }
  return `${lines.join('\n')}\n`;
}

export function bridgeTorrc(a: LabAddresses, dataDir: string, resolvConf: string, authorities: DirAuthorityInfo[]): string {
  return `${[
    ...commonTorrc(dataDir, authorities),
    ...serverTorrc('bridge', a.bridge, resolvConf),
    'BridgeRelay 1',
    'PublishServerDescriptor 0',
    'ExitRelay 0',
    'ExitPolicy reject *:*',
    'ServerTransportPlugin obfs4 exec /usr/bin/obfs4proxy',
    `ServerTransportListenAddr obfs4 ${a.bridge}:${OBFS4_PORT}`,
    'ExtORPort auto',
  ].join('\n')}\n`;
}

export interface ClientTorrcOptions {
  socksPort: number;
  controlPort?: number;
  /** Bridge lines as a user pastes them (`obfs4 IP:PORT FP cert=… iat-mode=0`). */
  bridges?: string[];
}

export function clientTorrc(dataDir: string, authorities: DirAuthorityInfo[], opts: ClientTorrcOptions): string {
  const lines = [...commonTorrc(dataDir, authorities), `SocksPort 127.0.0.1:${opts.socksPort}`];
  if (opts.controlPort !== undefined) lines.push(`ControlPort 127.0.0.1:${opts.controlPort}`, 'CookieAuthentication 1');
  if (opts.bridges !== undefined && opts.bridges.length > 0) {
    lines.push('UseBridges 1', ...opts.bridges.map((b) => `Bridge ${b}`));
    if (opts.bridges.some((b) => b.startsWith('obfs4 '))) lines.push('ClientTransportPlugin obfs4 exec /usr/bin/obfs4proxy');
  }
  return `${lines.join('\n')}\n`;
}
