// STAND-IN for nym-socks5-client 1.1.76 (nymtech/nym nym-binaries-v2026.9-venaco, clients/socks5): the same
// clap surface (nym-cli.ts: global flags before the subcommand, clap's errors with exit code 2), files under
// ~/.nym/socks5-clients/<id>/ (the 1.1.76 template: no [core.debug.traffic]; the delay read as upstream reads
// it, nym-config.ts), init summary (`address` as 96 numbers), tracing-format log lines, `--version`, and both
// cover streams (main Poisson stream at 20 ms, loop stream at 200 ms, 2 KiB each), in front of the lab
// mixnet (nym-mixnet.ts). Not Nym: no Sphinx, no real mix nodes, no credentials. See README.md.
//   nym-socks5-client [--no-banner] init --id ID --provider ADDR [--gateway G] [-o json]
//   nym-socks5-client [--no-banner] run --id ID [--port P] [--host IP] [--no-cover]
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseNymCli } from './nym-cli.js';
import { readAveragePacketDelay } from './nym-config.js';
import { FRAME, FrameReader, chunks, encodeFrame, exponentialUs, jsonFrame, mixDelayUs, parseDuration } from './nym-frames.js';
import { RECIPIENT, base58Key, listenerAddress, readNetwork, readToml, type StandinGateway } from './nym-network.js';
// The upstream text (config template, --version, log sites and messages, the streams' rates) has one home:
// the conformance fixtures, which the conformance tests hold the driver against.
import { LOG_SITES, MESSAGES, RATES, configTemplate, tracingLine, versionLong } from '../../unit/networks/conformance/nym-fixtures.js';
import { acceptSocks } from './socks-server.js';
import { keyFromBase64, newKeyShare, seal, sharedKey, unseal } from './seal.js';

type Flags = Record<string, string | true>;

/** tracing_subscriber's compact format as upstream sets it up: time, level, file:line, message (no target). */
function log(level: 'INFO' | 'WARN' | 'ERROR' | 'DEBUG', file: string, message: string): void {
  process.stderr.write(`${tracingLine(new Date().toISOString().replace(/Z$/, '123Z'), level, file, message)}\n`);
}

/** main.rs: an error from a command is logged, printed on stdout as "An error occurred: …", exit 1. */
function fail(message: string): never {
  log('ERROR', LOG_SITES.main, message);
  process.stdout.write(`${MESSAGES.errorStdout(message)}\n`);
  process.exit(1);
}

function paths(id: string): { root: string; config: string; data: string } {
  const root = join(homedir(), '.nym', 'socks5-clients', id);
  return { root, config: join(root, 'config', 'config.toml'), data: join(root, 'data') };
}

function configToml(o: { version: string; id: string; data: string; provider: string; port: number; host: string }): string {
  const key = (name: string): readonly [string, string] => [`keys.${name}_file`, join(o.data, `${name}.pem`)];
  return configTemplate({
    version: o.version,
    id: o.id,
    nyxdUrls: [],
    nymApiUrls: [],
    storagePaths: [key('private_identity_key'), key('public_identity_key'), key('private_encryption_key'), key('public_encryption_key'), key('ack_key'), ['gateway_registrations', join(o.data, 'gateways_registrations.json')]],
    provider: o.provider,
    bindAddress: `${o.host}:${o.port}`,
  });
}

function pem(label: string): string {
  return `-----BEGIN ${label}-----\n${randomBytes(32).toString('base64')}\n-----END ${label}-----\n`;
}

/**
 * Registers with the gateway over its listener, as init does (the gateway remembers the client), and
 * resolves with the key the two derived: every later frame's payload is sealed with it (seal.ts).
 */
function register(gateway: StandinGateway, client: string): Promise<Buffer> {
  const share = newKeyShare();
  return new Promise((resolve, reject) => {
    const socket = connect(listenerAddress(gateway.listener));
    const reader = new FrameReader();
    const timer = setTimeout(() => socket.destroy(new Error('timed out')), 10_000);
    socket.once('connect', () => socket.write(jsonFrame(FRAME.register, 0, { client, gateway: gateway.id, publicKey: share.publicKey })));
    socket.on('data', (data: Buffer) => {
      const registered = reader.push(data).find((frame) => frame.type === FRAME.registered);
      if (registered !== undefined) {
        clearTimeout(timer);
        socket.destroy();
        try {
          const { publicKey } = JSON.parse(registered.payload.toString()) as { publicKey?: string };
          resolve(sharedKey(share, String(publicKey), `nym ${gateway.id}`));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function init(flags: Flags): Promise<void> {
  const id = String(flags.id);
  const provider = String(flags.provider);
  if (!RECIPIENT.test(provider)) {
    process.stderr.write(`error: invalid value '${provider}' for '--provider <PROVIDER>': malformed recipient\n\nFor more information, try '--help'.\n`);
    process.exit(2);
  }
  const network = readNetwork();
  process.stderr.write('Initialising client...\n');
  const p = paths(id);
  if (existsSync(p.config)) {
    process.stderr.write(`socks5 client "${id}" was already initialised before\n`);
    fail(`client "${id}" has already been initialised before. If you want to add additional gateway, use \`add-gateway\` command`);
  }
  const gateway = typeof flags.gateway === 'string' ? network.gateways.find((g) => g.id === flags.gateway) : network.gateways[Math.floor(Math.random() * network.gateways.length)];
  if (gateway === undefined) fail(`gateway with identity ${String(flags.gateway)} doesn't exist`);
  // fs::create_dir_all (clients/socks5/src/commands/init.rs, nym-binaries-v2026.9-venaco): the umask's mode.
  mkdirSync(p.data, { recursive: true });
  mkdirSync(join(p.root, 'config'), { recursive: true });
  const identity = base58Key();
  const encryption = base58Key();
  for (const [file, label] of [['private_identity.pem', 'ED25519 PRIVATE KEY'], ['public_identity.pem', 'ED25519 PUBLIC KEY'], ['private_encryption.pem', 'X25519 PRIVATE KEY'], ['public_encryption.pem', 'X25519 PUBLIC KEY'], ['ack_key.pem', 'AES-128-CTR KEY']] as const) {
    writeFileSync(join(p.data, file), pem(label), { mode: 0o600 });
  }
  const address = `${identity}.${encryption}@${gateway.id}`;
  let key: Buffer;
  try {
    key = await register(gateway, identity);
  } catch (error) {
    fail(`failed to establish connection to gateway: ${error instanceof Error ? error.message : String(error)}`);
  }
  const now = new Date();
  const registeredAt = now.toISOString();
  // time's OffsetDateTime without serde-human-readable: (year, ordinal day, h, m, s, ns, offset h, m, s).
  const ordinal = Math.floor((now.getTime() - Date.UTC(now.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  const registration = [now.getUTCFullYear(), ordinal, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds() * 1e6, 0, 0, 0];
  // Recipient serialized with serialize_bytes: 32 + 32 + 32 bytes as a JSON array of numbers.
  const addressBytes = [...randomBytes(96)];
  writeFileSync(join(p.data, 'gateways_registrations.json'), JSON.stringify({ active: gateway.id, gateways: [{ ...gateway, registeredAt, identity, sharedKey: key.toString('base64') }] }), { mode: 0o600 });
  const port = typeof flags.port === 'string' ? Number(flags.port) : 1080;
  const host = typeof flags.host === 'string' ? flags.host : '127.0.0.1';
  writeFileSync(p.config, configToml({ version: network.clientVersion, id, data: p.data, provider, port, host }), { mode: 0o600 });
  process.stderr.write(`Saved configuration file to ${p.config}\n`);
  const results = {
    version: network.clientVersion,
    id,
    identity_key: identity,
    encryption_key: encryption,
    gateway_id: gateway.id,
    gateway_listener: gateway.listener,
    fallback_listener: null,
    gateway_registration: registration,
    address: addressBytes,
    socks5_listening_address: `${host}:${port}`,
    client_address: address,
  };
  if (flags.output === 'json') process.stdout.write(`${JSON.stringify(results)}\n`);
  else {
    process.stdout.write(`Version: ${results.version}\nID: ${id}\nIdentity key: ${identity}\nEncryption: ${encryption}\nGateway ID: ${gateway.id}\nGateway: ${gateway.listener}\n`);
    process.stdout.write(`SOCKS5 listening address: ${results.socks5_listening_address}\nAddress of this client: ${address}\n`);
  }
}

function run(flags: Flags, banner: boolean): void {
  const id = String(flags.id);
  const p = paths(id);
  if (!existsSync(p.config)) fail(`Failed to load config for ${id}. Are you sure you have run \`init\` before?`);
  const network = readNetwork();
  const toml = readToml(readFileSync(p.config, 'utf8'));
  const registrations = JSON.parse(readFileSync(join(p.data, 'gateways_registrations.json'), 'utf8')) as { active: string; gateways: (StandinGateway & { identity: string; sharedKey?: string })[] };
  const gateway = registrations.gateways.find((g) => g.id === registrations.active);
  if (gateway === undefined) fail('no active gateway');
  const provider = toml['core.socks5']?.provider_mix_address ?? '';
  const [bindHost, bindPort] = (toml['core.socks5']?.bind_address ?? '127.0.0.1:1080').split(/:(?=\d+$)/);
  const host = typeof flags.host === 'string' ? flags.host : (bindHost ?? '127.0.0.1');
  const port = typeof flags.port === 'string' ? Number(flags.port) : Number(bindPort ?? 1080);
  const delay = readAveragePacketDelay(readFileSync(p.config, 'utf8'));
  if (!delay.ok) fail(`failed to load configuration file: ${delay.error}`);
  const meanMs = delay.delayMs;
  const coverMs = parseDuration(toml['core.debug.cover_traffic']?.loop_cover_traffic_average_delay ?? '200ms') ?? 200;
  // --no-cover turns off the loop stream and the main Poisson stream's cover packets (OverrideConfig.no_cover).
  const cover = flags['no-cover'] !== true;
  // The banner prints only on a tty (maybe_print_banner): never under Burrow, whose stderr is a pipe.
  if (banner && process.stderr.isTTY) process.stderr.write(`\n      _ __  _   _ _ __ ___\n     | '_ \\| | | | '_ \\ _ \\\n     | | | | |_| | | | | | |\n     |_| |_|\\__, |_| |_| |_|\n            |___/\n\n   (nym-socks5-client - version ${network.clientVersion}) [STAND-IN]\n\n`);
  const core = 'common/client-core/src/client/base_client/mod.rs:640';
  log('INFO', core, 'Starting nym client');
  log('INFO', core, `Running with average packet delay ${meanMs}ms per hop`);

  const gw = connect(listenerAddress(gateway.listener));
  const reader = new FrameReader();
  const sockets = new Map<number, Socket>();
  let nextStream = 1;
  let started = false;
  // The registration's key: everything after the hello travels sealed, as Sphinx payloads do upstream.
  if (gateway.sharedKey === undefined) fail('the gateway registration holds no shared key: the client must be initialised again');
  const key = keyFromBase64(gateway.sharedKey);
  const sendFrame = (type: (typeof FRAME)[keyof typeof FRAME], stream: number, payload: Buffer): void => {
    if (!gw.destroyed) gw.write(encodeFrame({ type, stream, delayUs: mixDelayUs(meanMs), payload: seal(key, payload) }));
  };
  gw.once('connect', () => gw.write(jsonFrame(FRAME.hello, 0, { client: gateway.identity, gateway: gateway.id, provider, averagePacketDelayMs: meanMs })));
  gw.on('error', (error) => {
    if (started) {
      log('ERROR', LOG_SITES.mixTraffic, MESSAGES.gatewayClosed);
      process.exit(1);
    }
    fail(`failed to establish connection to gateway: IO error: ${error.message}`);
  });
  gw.on('close', () => {
    log('ERROR', LOG_SITES.mixTraffic, MESSAGES.gatewayClosed);
    process.exit(1);
  });
  gw.on('data', (data: Buffer) => {
    for (const sealed of reader.push(data)) {
      const frame = sealed.type === FRAME.data || sealed.type === FRAME.close ? { ...sealed, payload: unseal(key, sealed.payload) } : sealed;
      if (frame.type === FRAME.error) {
        log('ERROR', core, `Gateway refused the client: ${String((JSON.parse(frame.payload.toString()) as { message?: string }).message)}`);
        process.exit(1);
      } else if (frame.type === FRAME.welcome) startSocks();
      else if (frame.type === FRAME.data) sockets.get(frame.stream)?.write(frame.payload);
      else if (frame.type === FRAME.close) {
        const socket = sockets.get(frame.stream);
        sockets.delete(frame.stream);
        if (frame.payload.length > 0) {
          log('ERROR', LOG_SITES.exitFailed, MESSAGES.exitFailed(frame.stream, frame.payload.toString()));
          socket?.destroy();
        } else socket?.end();
      }
    }
  });

  const startSocks = (): void => {
    started = true;
    log('INFO', core, 'Obtaining initial network topology');
    log('INFO', core, 'Starting received messages buffer controller...');
    log('INFO', core, 'Starting mix traffic controller...');
    log('INFO', core, 'Starting real traffic stream...');
    if (cover) log('INFO', core, 'Starting loop cover traffic stream...');
    log('INFO', 'common/socks5-client-core/src/lib.rs:200', 'Starting socks5 listener...');
    // As in the real client, this line comes before the bind, which may still fail.
    log('INFO', LOG_SITES.listening, MESSAGES.listening(`${host}:${port}`));
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      socket.on('error', () => undefined);
      acceptSocks(
        socket,
        (request, early) => {
          const stream = nextStream++;
          sockets.set(stream, socket);
          sendFrame(FRAME.open, stream, Buffer.from(JSON.stringify({ host: request.host, port: request.port })));
          const forward = (data: Buffer): void => chunks(data).forEach((chunk) => sendFrame(FRAME.data, stream, chunk));
          if (early.length > 0) forward(early);
          socket.on('data', forward);
          socket.once('end', () => sendFrame(FRAME.close, stream, Buffer.alloc(0)));
          socket.once('close', () => sockets.delete(stream));
        },
        (reason) => log('WARN', 'common/socks5-client-core/src/socks/client.rs:301', `Refused a SOCKS request: ${reason}`),
      );
    });
    server.on('error', (error: NodeJS.ErrnoException) => {
      // The real client logs the failure and goes on running without a SOCKS listener.
      log('ERROR', LOG_SITES.bindFailed, MESSAGES.bindFailed(error.code === 'EADDRINUSE' ? 'Address already in use (os error 98)' : error.message));
    });
    if (network.failBind === true) server.emit('error', Object.assign(new Error('forced'), { code: 'EADDRINUSE' }));
    else server.listen(port, host);
    log('INFO', LOG_SITES.startup, MESSAGES.startup);
    log('INFO', LOG_SITES.address, `The address of this client is: ${gateway.identity}.${base58Key()}@${gateway.id}`);
    if (cover) {
      // Two Poisson streams of 2 KiB packets, as upstream: the loop stream, and the main stream, which sends
      // cover whenever it has no real packet (the stand-in sends real data at once, so its cover is the idle case).
      const stream = (meanMs: number): void => {
        const tick = (): void => {
          if (sockets.size === 0) sendFrame(FRAME.cover, 0, randomBytes(RATES.packetBytes));
          setTimeout(tick, exponentialUs(meanMs) / 1000).unref();
        };
        tick();
      };
      const loop = (): void => {
        sendFrame(FRAME.cover, 0, randomBytes(RATES.packetBytes));
        setTimeout(loop, exponentialUs(coverMs) / 1000).unref();
      };
      loop();
      stream(RATES.messageSendingAverageDelayMs);
    }
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log('INFO', 'clients/socks5/src/commands/run.rs:90', `Received ${signal} - the client will terminate now`);
      gw.removeAllListeners('close');
      gw.destroy();
      process.exit(0);
    });
  }
}

const cli = parseNymCli(process.argv.slice(2));
if (!cli.ok) {
  process.stderr.write(cli.stderr);
  process.exit(cli.code);
}
if (cli.global.version === true) {
  // clap's --version prints the long version: the binary's build information (bin-common build_information).
  const v = readNetwork().clientVersion;
  process.stdout.write(versionLong({ version: v, commitSha: 'STAND-IN', commitBranch: 'STAND-IN' }));
} else if (cli.command === 'init') {
  if (cli.global['no-banner'] !== true && process.stderr.isTTY) process.stderr.write('   (nym-socks5-client) [STAND-IN]\n');
  await init(cli.flags);
} else if (cli.command === 'run') run(cli.flags, cli.global['no-banner'] !== true);
else {
  process.stderr.write(`error: the stand-in does not model '${cli.command ?? ''}'\n`);
  process.exit(2);
}
