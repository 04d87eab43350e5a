// The programs Tor needs on this machine: tor itself and a client for each pluggable transport, found on
// PATH, in the system directories or in resources/bin/<platform>. lyrebird (Tor Browser's successor to
// obfs4proxy) serves obfs4 and webtunnel; snowflake-client serves snowflake.
import { findExecutable } from '../helper/executables.js';
import type { PluggableTransport } from './bridge-line.js';

export type Finder = (name: string) => string | undefined;

export interface TorHelpers {
  tor: string | undefined;
  transports: Partial<Record<PluggableTransport, string>>;
}

const CANDIDATES: Record<PluggableTransport, readonly string[]> = {
  obfs4: ['obfs4proxy', 'lyrebird'],
  webtunnel: ['lyrebird', 'webtunnel-client'],
  snowflake: ['snowflake-client', 'lyrebird'],
};

export function findTorHelpers(extraDirs: string[] = [], find: Finder = (name) => findExecutable(name, extraDirs)): TorHelpers {
  const transports: Partial<Record<PluggableTransport, string>> = {};
  for (const [transport, names] of Object.entries(CANDIDATES) as [PluggableTransport, readonly string[]][]) {
    const path = names.map(find).find((found) => found !== undefined);
    if (path !== undefined) transports[transport] = path;
  }
  return { tor: find('tor'), transports };
}
