// The command lines Burrow gives nym-socks5-client, built in one place so the conformance tests can hold them
// against upstream's clap surface (tests/lab/standins/nym-cli.ts, from nymtech/nym clients/socks5).
import type { NymProfileConfig } from './config.js';

export function initArgv(id: string, config: Pick<NymProfileConfig, 'provider' | 'gateway' | 'nymApis'>): string[] {
  return ['init', '--id', id, '--provider', config.provider, ...(config.gateway === undefined ? [] : ['--gateway', config.gateway]), ...(config.nymApis.length > 0 ? ['--nym-apis', config.nymApis.join(',')] : []), '-o', 'json'];
}

export function runArgv(id: string, config: Pick<NymProfileConfig, 'socksPort' | 'coverTraffic'>): string[] {
  // `--no-banner` is a flag of the top-level Cli (clients/socks5/src/commands/mod.rs): after `run` clap
  // refuses it with exit code 2. Before the subcommand it is accepted (the banner only prints on a tty).
  return ['--no-banner', 'run', '--id', id, '--port', String(config.socksPort), '--host', '127.0.0.1', ...(config.coverTraffic ? [] : ['--no-cover'])];
}
