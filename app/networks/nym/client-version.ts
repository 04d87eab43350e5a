// Which nym-socks5-client versions Burrow drives: those whose command line, init summary and config.toml
// it was checked against (nymtech/nym source, see README.md). 1.1.56 (nym-binaries-v2025.10-brie) is the
// first with the mixing delay as a {secs, nanos} table and no [core.debug.traffic] in the template; 1.1.76
// (nym-binaries-v2026.9-venaco) is the newest read. A 1.2 may change any of it: refused until checked.
import { BurrowError } from '../../domain/errors.js';

export const SUPPORTED_CLIENTS = { min: '1.1.56', below: '1.2.0', checked: '1.1.76' } as const;

function parts(version: string): number[] {
  return version.split('.').map(Number);
}

function compare(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** The version in `--version` output (clap's short form, or the long build-information form). */
export function parseClientVersion(output: string): string | undefined {
  const match = /^Build Version:\s+(\d+\.\d+\.\d+)/m.exec(output) ?? /nym-socks5-client\s+v?(\d+\.\d+\.\d+)/.exec(output);
  return match?.[1];
}

/** The version, when Burrow supports it; else a BurrowError a person can act on. */
export function checkClientVersion(output: string): string {
  const version = parseClientVersion(output);
  if (version === undefined) {
    throw new BurrowError('network_unavailable', `Burrow could not tell which version this nym-socks5-client is (its --version said "${output.trim().slice(0, 80)}"). Burrow supports ${SUPPORTED_CLIENTS.min} up to (not including) ${SUPPORTED_CLIENTS.below}.`);
  }
  if (compare(version, SUPPORTED_CLIENTS.min) < 0 || compare(version, SUPPORTED_CLIENTS.below) >= 0) {
    throw new BurrowError(
      'network_unavailable',
      `This nym-socks5-client is version ${version}; Burrow supports ${SUPPORTED_CLIENTS.min} up to (not including) ${SUPPORTED_CLIENTS.below} (checked against ${SUPPORTED_CLIENTS.checked}). Install a supported release from github.com/nymtech/nym/releases.`,
      { version, supported: `>=${SUPPORTED_CLIENTS.min} <${SUPPORTED_CLIENTS.below}` },
    );
  }
  return version;
}
