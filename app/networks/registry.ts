// The networks this build can import and drive. A network appears here when its parser or driver exists;
// the host answers `not_implemented` for the rest, never a fake success.
import type { ProfileParser } from '../host/profile-import.js';
import type { NetworkDriver } from '../supervisor/driver.js';
import { parseWireGuardProfile } from './wireguard/config/index.js';

export interface Networks {
  drivers: ReadonlyMap<string, NetworkDriver>;
  parsers: readonly ProfileParser[];
}

export interface NetworkDeps {
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

const wireguardParser: ProfileParser = {
  network: 'wireguard',
  detect: (text) => /^\s*\[\s*interface\s*\]/im.test(text),
  parse: (text, fileName) => parseWireGuardProfile(text, fileName),
};

export function createNetworks(_deps: NetworkDeps): Networks {
  return { drivers: new Map(), parsers: [wireguardParser] };
}
