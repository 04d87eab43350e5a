// A tor client inside the lab (normally in `client`), pointed at the private network, optionally
// through bridges: what the lab tests use to prove Tor works and how censorship bites.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabNamespace } from './addresses.js';
import type { Lab } from './lab.js';
import type { LabProcess } from './process.js';
import { clientTorrc } from './torrc.js';

export interface TorClient {
  process: LabProcess;
  socksPort: number;
  dataDir: string;
  /** Highest "Bootstrapped N%" the client has logged so far. */
  progress(): number;
  /** Resolves at 100%; rejects (with the last progress) when time runs out or tor exits. */
  waitForBootstrap(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface TorClientOptions {
  ns?: LabNamespace;
  bridges?: string[];
  socksPort?: number;
  controlPort?: number;
  name?: string;
}

let counter = 0;

export function startTorClient(lab: Lab, opts: TorClientOptions = {}): TorClient {
  if (lab.tor === undefined) throw new Error('this lab runs no Tor network (started with tor: false)');
  counter += 1;
  const name = opts.name ?? `tor-client-${counter}`;
  const socksPort = opts.socksPort ?? 9050 + counter;
  // A fresh data directory every time: a cached consensus would hide what a censor does to a new user.
  const dataDir = join(lab.dir, 'tor-clients', name);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const torrcFile = join(lab.dir, 'tor-clients', `${name}.torrc`);
  const torrcOptions = { socksPort, ...(opts.bridges ? { bridges: opts.bridges } : {}), ...(opts.controlPort ? { controlPort: opts.controlPort } : {}) };
  writeFileSync(torrcFile, clientTorrc(dataDir, lab.tor.authorities, torrcOptions));
  const empty = join(lab.dir, 'tor-clients', 'empty');
  writeFileSync(empty, '');
  const proc = lab.spawn(opts.ns ?? 'client', ['tor', '--defaults-torrc', empty, '-f', torrcFile], { name });
  const progress = (): number => Math.max(0, ...[...proc.log().matchAll(/Bootstrapped (\d+)%/g)].map((m) => Number(m[1])));
  return {
    process: proc,
    socksPort,
    dataDir,
    progress,
    async waitForBootstrap(timeoutMs) {
      try {
        await proc.waitForLog(/Bootstrapped 100%/, timeoutMs);
      } catch (err) {
        throw new Error(`${name} stayed at ${progress()}%: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    },
    stop: () => proc.stop(),
  };
}
