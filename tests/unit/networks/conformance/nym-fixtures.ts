// What nym-socks5-client 1.1.76 really prints and writes, as fixtures for the conformance tests. Each one is
// written from reading upstream's source at nymtech/nym tag `nym-binaries-v2026.9-venaco`
// (clients/socks5/Cargo.toml: version 1.1.76); the file and the reason are named above each. Keys and
// addresses are made up (base58 of the right length); the shapes are upstream's. This file is the one place
// the upstream text lives: the nym-socks5-client stand-in (tests/lab/standins/nym-socks5-client.ts) builds its
// config file, `--version` and log lines from the same builders, so the two cannot drift apart.

export const UPSTREAM = { repo: 'nymtech/nym', tag: 'nym-binaries-v2026.9-venaco', client: '1.1.76' } as const;

const IDENTITY = '7tW9GmRGbX5kUt3JgvBqQpbHyPWrRXCnvqc2jpoZ6BGQ';
const ENCRYPTION = 'Bp1M5y1uhW1GqtcuTcWPoDcUnsaAarTuhZX3kEChWgRv';
const GATEWAY = 'E3mvZTHQCdBvhfr178Swx9g4QG3kkRUun7YnToLMcMbM';

/** Recipient::to_bytes(): 32 identity + 32 encryption + 32 gateway bytes (the numbers are arbitrary). */
const ADDRESS_BYTES = Array.from({ length: 96 }, (_, i) => (i * 37 + 11) % 256);

/**
 * `nym-socks5-client init --id … --provider … -o json`: clients/socks5/src/commands/init.rs (InitResults:
 * the core results flattened, socks5_listening_address, client_address as a string) and
 * common/client-core/src/init/types.rs (InitResults: `address: Recipient`, which
 * common/nymsphinx/addressing/src/clients.rs serializes with serialize_bytes — serde_json writes an array
 * of 96 numbers; `gateway_registration: OffsetDateTime`, which `time`'s serde without the human-readable
 * feature writes as a tuple). OutputFormat::Json prints one line on stdout; "Initialising client..." went to
 * stderr first.
 */
export const INIT_JSON = JSON.stringify({
  version: '1.1.76',
  id: 'burrow-p1-0a1b2c3d',
  identity_key: IDENTITY,
  encryption_key: ENCRYPTION,
  gateway_id: GATEWAY,
  gateway_listener: 'ws://10.1.90.1:9000/',
  fallback_listener: null,
  gateway_registration: [2026, 336, 2, 15, 7, 123456789, 0, 0, 0],
  address: ADDRESS_BYTES,
  socks5_listening_address: '127.0.0.1:1080',
  client_address: `${IDENTITY}.${ENCRYPTION}@${GATEWAY}`,
});
export const INIT_OUTPUT = `Initialising client...\n${INIT_JSON}\n`;
export const INIT_GATEWAY = { id: GATEWAY, listener: 'ws://10.1.90.1:9000/' };

/**
 * clap 4's answer to `nym-socks5-client run --id X --no-banner`: `no_banner` is a field of the top-level
 * `Cli` (clients/socks5/src/commands/mod.rs), not of `run::Run`, so clap stops with exit code 2 on stderr.
 */
export const CLAP_RUN_NO_BANNER = {
  argv: ['run', '--id', 'x', '--port', '1080', '--host', '127.0.0.1', '--no-banner'],
  code: 2,
  stderr: "error: unexpected argument '--no-banner' found\n\n  tip: to pass '--no-banner' as a value, use '-- --no-banner'\n\nUsage: nym-socks5-client run [OPTIONS] --id <ID>\n\nFor more information, try '--help'.\n",
};

/**
 * `run`'s stderr: common/bin-common/src/logging/mod.rs (tracing_subscriber fmt layer, compact, with file
 * and line, without target; colours on unless NO_COLOR), messages from common/socks5-client-core/src/lib.rs
 * ("Client startup finished!", "The address of this client is: …"), socks/server.rs ("Listening on …",
 * "Failed to bind to address: …"), socks/mixnet_responses.rs ("Network requester failed on connection id
 * … with error: …"), and client-core's error.rs for a gateway that is gone.
 */
export const LOG_SITES = {
  listening: 'common/socks5-client-core/src/socks/server.rs:45',
  bindFailed: 'common/socks5-client-core/src/socks/server.rs:59',
  startup: 'common/socks5-client-core/src/lib.rs:257',
  address: 'common/socks5-client-core/src/lib.rs:258',
  exitFailed: 'common/socks5-client-core/src/socks/mixnet_responses.rs:77',
  main: 'clients/socks5/src/main.rs:24',
  mixTraffic: 'common/client-core/src/client/mix_traffic/mod.rs:120',
} as const;

export const MESSAGES = {
  startup: 'Client startup finished!',
  gatewayClosed: 'gateway connection was abruptly closed',
  listening: (address: string): string => `Listening on ${address}`,
  bindFailed: (why: string): string => `Failed to bind to address: ${why}`,
  exitFailed: (id: number, error: string): string => `Network requester failed on connection id ${id} with error: ${error}`,
  /** main.rs prints a command's error on stdout with this prefix (after logging it). */
  errorStdout: (message: string): string => `An error occurred: ${message}`,
} as const;

/** tracing_subscriber's compact format as upstream sets it up, without colour: time, level, file:line, message. */
export function tracingLine(time: string, level: 'INFO' | 'WARN' | 'ERROR' | 'DEBUG', site: string, message: string): string {
  return `${time} ${level.padStart(5)} ${site}: ${message}`;
}

const GATEWAY_REFUSED = 'failed to establish connection to gateway: IO error: Connection refused (os error 111)';
export const RUN_LINES = {
  listening: tracingLine('2026-12-02T02:15:07.412345Z', 'INFO', LOG_SITES.listening, MESSAGES.listening('127.0.0.1:1080')),
  startup: tracingLine('2026-12-02T02:15:07.412901Z', 'INFO', LOG_SITES.startup, MESSAGES.startup),
  startupColoured: '\u001b[2m2026-12-02T02:15:07.412901Z\u001b[0m \u001b[32m INFO\u001b[0m \u001b[2mcommon/socks5-client-core/src/lib.rs\u001b[0m\u001b[2m:\u001b[0m\u001b[2m257\u001b[0m\u001b[2m:\u001b[0m Client startup finished!',
  bindFailed: tracingLine('2026-12-02T02:15:07.413002Z', 'ERROR', LOG_SITES.bindFailed, MESSAGES.bindFailed('Address already in use (os error 98)')),
  exitFailed: tracingLine('2026-12-02T02:15:09.001000Z', 'ERROR', LOG_SITES.exitFailed, MESSAGES.exitFailed(7, 'connection refused')),
  gatewayUnreachable: tracingLine('2026-12-02T02:15:07.300000Z', 'ERROR', LOG_SITES.main, GATEWAY_REFUSED),
  gatewayUnreachableStdout: MESSAGES.errorStdout(GATEWAY_REFUSED),
  gatewayTimeout: tracingLine('2026-12-02T02:15:37.300000Z', 'ERROR', LOG_SITES.main, 'timed out while trying to establish gateway connection'),
  gatewayClosed: tracingLine('2026-12-02T03:00:00.000000Z', 'ERROR', LOG_SITES.mixTraffic, MESSAGES.gatewayClosed),
};

/**
 * config.toml as init writes it: clients/socks5/src/config/template.rs. Since 1.1.56 (tag
 * nym-binaries-v2025.10-brie) the template has no [core.debug.traffic] section, and
 * common/client-core/config-types/src/lib.rs has `Traffic.average_packet_delay: Duration` without
 * humantime_serde: serde's own shape, a table {secs, nanos}; Traffic is `deny_unknown_fields` with defaults.
 */
export interface TemplateValues {
  version: string;
  id: string;
  nyxdUrls: readonly string[];
  nymApiUrls: readonly string[];
  /** `[storage_paths]` entries in the template's order (a fixture may carry fewer). */
  storagePaths: ReadonlyArray<readonly [string, string]>;
  provider: string;
  bindAddress: string;
}

export function configTemplate(v: TemplateValues): string {
  const list = (urls: readonly string[]): string => urls.map((url) => `        '${url}',\n`).join('');
  return `
# This is a TOML config file.
# For more information, see https://github.com/toml-lang/toml

##### main base client config options #####

[core.client]
# Version of the client for which this configuration was created.
version = '${v.version}'

# Human readable ID of this particular client.
id = '${v.id}'

disabled_credentials_mode = true

nyxd_urls = [
${list(v.nyxdUrls)}]

nym_api_urls = [
${list(v.nymApiUrls)}]

[storage_paths] 

${v.storagePaths.map(([key, path]) => `${key} = '${path}'`).join('\n')}

##### socket config options #####

[core.socks5]

provider_mix_address = '${v.provider}'

bind_address = '${v.bindAddress}'

send_anonymously = false

##### logging configuration options #####

[logging]

# TODO


##### debug configuration options #####

# [core.socks5.socks5_debug]


[core.debug]

[core.debug.acknowledgements]
average_ack_delay = '50ms'

[core.debug.cover_traffic]
loop_cover_traffic_average_delay = '200ms'

[core.debug.stats_reporting]
enabled = false
provider_address = ''
reporting_interval = '5m'

[core.debug.forget_me]
client = false
stats = false

`;
}

export const CONFIG_TOML = configTemplate({
  version: '1.1.76',
  id: 'burrow-p1-0a1b2c3d',
  nyxdUrls: ['https://rpc.nymtech.net/'],
  nymApiUrls: ['https://validator.nymtech.net/api/'],
  storagePaths: [
    ['keys.private_identity_key_file', '/home/u/.nym/socks5-clients/burrow-p1-0a1b2c3d/data/private_identity.pem'],
    ['gateway_registrations', '/home/u/.nym/socks5-clients/burrow-p1-0a1b2c3d/data/gateways_registrations.sqlite'],
  ],
  provider: `${IDENTITY}.${ENCRYPTION}@${GATEWAY}`,
  bindAddress: '127.0.0.1:1080',
});

/**
 * `--version` and `-V`: clap's `version` (Cargo) and `long_version = pretty_build_info_static()`
 * (common/bin-common/src/build_information/mod.rs, Display of BinaryBuildInformationOwned).
 */
export const VERSION_SHORT = 'nym-socks5-client 1.1.76\n';
export function versionLong(v: { version: string; commitSha: string; commitBranch: string }): string {
  return `nym-socks5-client 
Binary Name:        nym-socks5-client
Build Timestamp:    2026-05-16T06:40:11.000000000Z
Build Version:      ${v.version}
Commit SHA:         ${v.commitSha}
Commit Date:        2026-05-16T06:27:52.000000000+02:00
Commit Branch:      ${v.commitBranch}
rustc Version:      1.87.0
rustc Channel:      stable
cargo Profile:      release
`;
}
export const VERSION_LONG = versionLong({ version: '1.1.76', commitSha: 'daed9cd15bc0e5866cf0bf2322336dac5e89ca19', commitBranch: 'HEAD' });

/**
 * The client's own rates (common/client-core/config-types/src/lib.rs): the main Poisson stream sends a
 * packet every `message_sending_average_delay` (20 ms) on average — real data when there is some, cover
 * otherwise — and the loop cover stream one every `loop_cover_traffic_average_delay` (200 ms). Sphinx
 * packets of the regular size carry 2 KiB. `--no-cover` turns off both streams (OverrideConfig.no_cover).
 */
export const RATES = { messageSendingAverageDelayMs: 20, loopCoverAverageDelayMs: 200, packetBytes: 2048 } as const;
