// The private Tor network: three directory authorities, two middles and an exit in `tor` (one address
// each), an obfs4 bridge in `bridge`. Ready means what a user needs: a consensus that lists every relay
// with the exit flagged Exit, and a bridge that has bootstrapped and written its bridge line.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOR_NODES, type LabAddresses } from './addresses.js';
import { sleep, type LabProcess } from './process.js';
import { authorityKeys, installKeys } from './tor-keys.js';
import { DIR_PORT, OBFS4_PORT, OR_PORT, bridgeTorrc, dirAuthorityLine, relayTorrc, type DirAuthorityInfo } from './torrc.js';

export interface ConsensusRelay {
  nickname: string;
  address: string;
  orPort: number;
  flags: string[];
}

export interface TorNetwork {
  authorities: DirAuthorityInfo[];
  /** `DirAuthority …` lines: what a tor client (Burrow's Tor profile) needs to use this network. */
  dirAuthorityLines: string[];
  /** The obfs4 bridge line a user would paste: `obfs4 IP:443 FINGERPRINT cert=… iat-mode=0`. */
  bridgeLine: string;
  /** The same bridge without obfs4 (`IP:9001 FINGERPRINT`): plain Tor protocol, easy to fingerprint. */
  vanillaBridgeLine: string;
  /** Every address of a public relay or authority (not the bridge): what a censor blocks. */
  relayAddresses: string[];
  /** The current consensus as the first authority serves it. */
  consensus(): Promise<ConsensusRelay[]>;
}

export interface TorDeps {
  dir: string;
  addresses: LabAddresses;
  exec(ns: 'tor' | 'inet', argv: string[], input?: string): Promise<string>;
  spawn(ns: 'tor' | 'bridge', name: string, argv: string[]): LabProcess;
  log(message: string): void;
}

export function parseConsensus(text: string): ConsensusRelay[] {
  const relays: ConsensusRelay[] = [];
  let current: ConsensusRelay | undefined;
  for (const line of text.split('\n')) {
    const r = /^r (\S+) \S+ \S+ \S+ \S+ (\S+) (\d+) \d+$/.exec(line);
    if (r?.[1] !== undefined && r[2] !== undefined) {
      current = { nickname: r[1], address: r[2], orPort: Number(r[3]), flags: [] };
      relays.push(current);
    } else if (line.startsWith('s ') && current !== undefined) {
      current.flags = line.slice(2).split(' ');
    }
  }
  return relays;
}

function networkReady(relays: ConsensusRelay[]): boolean {
  const running = new Set(relays.filter((r) => r.flags.includes('Running') && r.flags.includes('Valid')).map((r) => r.nickname));
  const exit = relays.find((r) => r.nickname === 'exit');
  return TOR_NODES.every((n) => running.has(n)) && exit?.flags.includes('Exit') === true;
}

export async function startTorNetwork(deps: TorDeps): Promise<TorNetwork> {
  const { dir, addresses: a } = deps;
  const torDir = join(dir, 'tor');
  mkdirSync(torDir, { recursive: true, mode: 0o700 });
  const empty = join(torDir, 'empty-torrc');
  writeFileSync(empty, '');
  // Exit and relays resolve through the internet's public resolver (and so does leakd's record of them).
  const resolvConf = join(torDir, 'resolv.conf');
  writeFileSync(resolvConf, `nameserver ${a.publicResolver}\n`);

  const authNodes = TOR_NODES.filter((n) => n.startsWith('auth'));
  const keys = await authorityKeys(authNodes, torDir, (argv, input) => deps.exec('tor', argv, input));
  const authorities: DirAuthorityInfo[] = keys.map((k) => ({
    nickname: k.nickname,
    address: a.tor[k.nickname as keyof typeof a.tor],
    v3ident: k.v3ident,
    fingerprint: k.fingerprint,
  }));

  const start = (ns: 'tor' | 'bridge', name: string, torrc: string, dataDir: string): LabProcess => {
    const file = join(torDir, `${name}.torrc`);
    writeFileSync(file, torrc);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return deps.spawn(ns, `tor-${name}`, ['tor', '--defaults-torrc', empty, '-f', file]);
  };
  for (const node of TOR_NODES) {
    const dataDir = join(torDir, node);
    const auth = keys.find((k) => k.nickname === node);
    if (auth !== undefined) installKeys(auth, dataDir);
    start('tor', node, relayTorrc(node, a, dataDir, resolvConf, authorities), dataDir);
  }
  const bridgeDir = join(torDir, 'bridge');
  const bridge = start('bridge', 'bridge', bridgeTorrc(a, bridgeDir, resolvConf, authorities), bridgeDir);

  const consensus = async (): Promise<ConsensusRelay[]> => {
    const url = `http://${a.tor.auth1}:${DIR_PORT}/tor/status-vote/current/consensus`;
    // From inet, as any directory client would fetch it; an empty answer until the first vote.
    const text = await deps.exec('inet', ['curl', '-s', '--max-time', '3', url]).catch(() => '');
    return parseConsensus(text);
  };

  const deadline = Date.now() + 120_000;
  let relays: ConsensusRelay[] = [];
  while (!networkReady(relays)) {
    if (Date.now() > deadline) {
      throw new Error(`the private Tor network made no complete consensus in 120 s (have: ${relays.map((r) => `${r.nickname}[${r.flags.join(',')}]`).join(' ') || 'none'}); logs in ${torDir}`);
    }
    await sleep(500);
    relays = await consensus();
  }
  deps.log(`tor: consensus lists ${relays.length} relays`);

  const bridgeLineFile = join(bridgeDir, 'pt_state', 'obfs4_bridgeline.txt');
  await bridge.waitForLog(/Bootstrapped 100%/, Math.max(5_000, deadline - Date.now()));
  const fingerprint = /^\S+ ([0-9A-F]{40})$/m.exec(readFileSync(join(bridgeDir, 'fingerprint'), 'utf8'))?.[1];
  const template = existsSync(bridgeLineFile) ? /^Bridge obfs4 .*$/m.exec(readFileSync(bridgeLineFile, 'utf8'))?.[0] : undefined;
  const cert = template === undefined ? undefined : /cert=\S+ iat-mode=\d/.exec(template)?.[0];
  if (fingerprint === undefined || cert === undefined) throw new Error(`the bridge wrote no fingerprint or obfs4 bridge line in ${bridgeDir}`);

  return {
    authorities,
    dirAuthorityLines: authorities.map(dirAuthorityLine),
    bridgeLine: `obfs4 ${a.bridge}:${OBFS4_PORT} ${fingerprint} ${cert}`,
    vanillaBridgeLine: `${a.bridge}:${OR_PORT} ${fingerprint}`,
    relayAddresses: TOR_NODES.map((n) => a.tor[n]),
    consensus,
  };
}
