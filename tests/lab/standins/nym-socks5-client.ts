// STAND-IN for nym-socks5-client (nymtech/nym clients/socks5): the same subcommands, flags, files under
// ~/.nym/socks5-clients/<id>/, init output and log lines, in front of the lab mixnet (nym-mixnet.ts).
// Not Nym: no Sphinx, no real mix nodes, no credentials. See README.md for what is faithful and what not.
//   nym-socks5-client init --id ID --provider ADDR [--gateway G] [-o json]
//   nym-socks5-client run --id ID [--port P] [--host IP] [--no-banner] [--no-cover]
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FRAME, FrameReader, chunks, encodeFrame, exponentialUs, jsonFrame, mixDelayUs, parseDuration } from './nym-frames.js';
import { RECIPIENT, base58Key, listenerAddress, readNetwork, readToml, type StandinGateway } from './nym-network.js';
import { acceptSocks } from './socks-server.js';

type Flags = Record<string, string | true>;
const VALUE_FLAGS = new Set(['id', 'provider', 'gateway', 'port', 'host', 'output', 'nym-apis', 'config']);
const BOOL_FLAGS = new Set(['no-banner', 'no-cover', 'fastmode', 'force-tls-gateway', 'latency-based-selection', 'use-reply-surbs']);
const SHORT: Record<string, string> = { o: 'output', p: 'port' };

function log(level: 'INFO' | 'WARN' | 'ERROR' | 'DEBUG', target: string, message: string): void {
  process.stderr.write(` ${new Date().toISOString()} ${level.padEnd(5)} ${target} > ${message}\n`);
}

function fail(message: string, code = 1): never {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(code);
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const short = /^-([a-zA-Z])$/.exec(arg);
    const name = long?.[1] ?? SHORT[short?.[1] ?? ''];
    if (name === undefined) fail(`unexpected argument '${arg}' found`, 2);
    if (BOOL_FLAGS.has(name)) flags[name] = true;
    else if (VALUE_FLAGS.has(name)) {
      const value = long?.[2] ?? args[++i];
      if (value === undefined) fail(`a value is required for '--${name} <${name.toUpperCase()}>' but none was supplied`, 2);
      flags[name] = value;
    } else fail(`unexpected argument '--${name}' found`, 2);
  }
  return flags;
}

function paths(id: string): { root: string; config: string; data: string } {
  const root = join(homedir(), '.nym', 'socks5-clients', id);
  return { root, config: join(root, 'config', 'config.toml'), data: join(root, 'data') };
}

function configToml(o: { version: string; id: string; data: string; provider: string; port: number; host: string }): string {
  return `# This is a TOML config file.
# STAND-IN of nym-socks5-client: same keys as the real client's template, fewer of them.

[core.client]
version = '${o.version}'
id = '${o.id}'
disabled_credentials_mode = true
nym_api_urls = []

[storage_paths]
keys.private_identity_key_file = '${join(o.data, 'private_identity.pem')}'
keys.public_identity_key_file = '${join(o.data, 'public_identity.pem')}'
keys.private_encryption_key_file = '${join(o.data, 'private_encryption.pem')}'
keys.public_encryption_key_file = '${join(o.data, 'public_encryption.pem')}'
keys.ack_key_file = '${join(o.data, 'ack_key.pem')}'
gateway_registrations = '${join(o.data, 'gateways_registrations.json')}'

[core.socks5]
provider_mix_address = '${o.provider}'
bind_address = '${o.host}:${o.port}'
send_anonymously = false

[core.debug.traffic]
average_packet_delay = '50ms'
message_sending_average_delay = '20ms'

[core.debug.cover_traffic]
loop_cover_traffic_average_delay = '200ms'
disable_loop_cover_traffic_stream = false
`;
}

function pem(label: string): string {
  return `-----BEGIN ${label}-----\n${randomBytes(32).toString('base64')}\n-----END ${label}-----\n`;
}

/** Registers with the gateway over its listener, as init does (the gateway remembers the client). */
function register(gateway: StandinGateway, client: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(listenerAddress(gateway.listener));
    const reader = new FrameReader();
    const timer = setTimeout(() => socket.destroy(new Error('timed out')), 10_000);
    socket.once('connect', () => socket.write(jsonFrame(FRAME.register, 0, { client, gateway: gateway.id })));
    socket.on('data', (data: Buffer) => {
      if (reader.push(data).some((frame) => frame.type === FRAME.registered)) {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      }
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

async function init(flags: Flags): Promise<void> {
  const id = typeof flags.id === 'string' ? flags.id : fail("the following required arguments were not provided:\n  --id <ID>", 2);
  const provider = typeof flags.provider === 'string' ? flags.provider : fail('the following required arguments were not provided:\n  --provider <PROVIDER>', 2);
  if (!RECIPIENT.test(provider)) fail(`invalid value '${provider}' for '--provider <PROVIDER>': malformed recipient`, 2);
  const network = readNetwork();
  process.stderr.write('Initialising client...\n');
  const p = paths(id);
  if (existsSync(p.config)) {
    process.stderr.write(`socks5 client "${id}" was already initialised before\n`);
    fail(`this client (id: '${id}') has already been initialised before. If you want to add additional gateway, use \`add-gateway\` command`);
  }
  const gateway = typeof flags.gateway === 'string' ? network.gateways.find((g) => g.id === flags.gateway) : network.gateways[Math.floor(Math.random() * network.gateways.length)];
  if (gateway === undefined) fail(`gateway with identity ${String(flags.gateway)} doesn't exist`);
  mkdirSync(p.data, { recursive: true, mode: 0o700 });
  mkdirSync(join(p.root, 'config'), { recursive: true, mode: 0o700 });
  const identity = base58Key();
  const encryption = base58Key();
  for (const [file, label] of [['private_identity.pem', 'ED25519 PRIVATE KEY'], ['public_identity.pem', 'ED25519 PUBLIC KEY'], ['private_encryption.pem', 'X25519 PRIVATE KEY'], ['public_encryption.pem', 'X25519 PUBLIC KEY'], ['ack_key.pem', 'AES-128-CTR KEY']] as const) {
    writeFileSync(join(p.data, file), pem(label), { mode: 0o600 });
  }
  const address = `${identity}.${encryption}@${gateway.id}`;
  try {
    await register(gateway, identity);
  } catch (error) {
    process.stderr.write(`Failed to setup gateway\nError: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const registeredAt = new Date().toISOString();
  writeFileSync(join(p.data, 'gateways_registrations.json'), JSON.stringify({ active: gateway.id, gateways: [{ ...gateway, registeredAt, identity }] }), { mode: 0o600 });
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
    gateway_registration: registeredAt,
    address,
    socks5_listening_address: `${host}:${port}`,
    client_address: address,
  };
  if (flags.output === 'json') process.stdout.write(`${JSON.stringify(results)}\n`);
  else {
    process.stdout.write(`Version: ${results.version}\nID: ${id}\nIdentity key: ${identity}\nEncryption: ${encryption}\nGateway ID: ${gateway.id}\nGateway: ${gateway.listener}\n`);
    process.stdout.write(`SOCKS5 listening address: ${results.socks5_listening_address}\nAddress of this client: ${address}\n`);
  }
}

function run(flags: Flags): void {
  const id = typeof flags.id === 'string' ? flags.id : fail('the following required arguments were not provided:\n  --id <ID>', 2);
  const p = paths(id);
  if (!existsSync(p.config)) {
    log('ERROR', 'nym_socks5_client::commands::run', `Failed to load config for ${id}. Are you sure you have run \`init\` before?`);
    fail(`Failed to load config for ${id}`);
  }
  const network = readNetwork();
  const toml = readToml(readFileSync(p.config, 'utf8'));
  const registrations = JSON.parse(readFileSync(join(p.data, 'gateways_registrations.json'), 'utf8')) as { active: string; gateways: (StandinGateway & { identity: string })[] };
  const gateway = registrations.gateways.find((g) => g.id === registrations.active);
  if (gateway === undefined) fail('no active gateway');
  const provider = toml['core.socks5']?.provider_mix_address ?? '';
  const [bindHost, bindPort] = (toml['core.socks5']?.bind_address ?? '127.0.0.1:1080').split(/:(?=\d+$)/);
  const host = typeof flags.host === 'string' ? flags.host : (bindHost ?? '127.0.0.1');
  const port = typeof flags.port === 'string' ? Number(flags.port) : Number(bindPort ?? 1080);
  const meanMs = parseDuration(toml['core.debug.traffic']?.average_packet_delay ?? '50ms') ?? 50;
  const coverMs = parseDuration(toml['core.debug.cover_traffic']?.loop_cover_traffic_average_delay ?? '200ms') ?? 200;
  const cover = flags['no-cover'] !== true && toml['core.debug.cover_traffic']?.disable_loop_cover_traffic_stream !== 'true';
  if (flags['no-banner'] !== true) process.stderr.write(`\n      _ __  _   _ _ __ ___\n     | '_ \\| | | | '_ \\ _ \\\n     | | | | |_| | | | | | |\n     |_| |_|\\__, |_| |_| |_|\n            |___/\n\n   (nym-socks5-client - version ${network.clientVersion}) [STAND-IN]\n\n`);
  const core = 'nym_client_core::client::base_client';
  log('INFO', core, 'Starting nym client');
  log('INFO', core, `Running with average packet delay ${meanMs}ms per hop`);

  const gw = connect(listenerAddress(gateway.listener));
  const reader = new FrameReader();
  const sockets = new Map<number, Socket>();
  let nextStream = 1;
  let started = false;
  const sendFrame = (type: (typeof FRAME)[keyof typeof FRAME], stream: number, payload: Buffer): void => {
    if (!gw.destroyed) gw.write(encodeFrame({ type, stream, delayUs: mixDelayUs(meanMs), payload }));
  };
  gw.once('connect', () => gw.write(jsonFrame(FRAME.hello, 0, { client: gateway.identity, gateway: gateway.id, provider, averagePacketDelayMs: meanMs })));
  gw.on('error', (error) => {
    log('ERROR', core, `${started ? 'Lost connection with the gateway' : 'Failed to establish connection with gateway'}: ${error.message}`);
    process.exit(1);
  });
  gw.on('close', () => {
    log('ERROR', core, 'The connection to the gateway got closed');
    process.exit(1);
  });
  gw.on('data', (data: Buffer) => {
    for (const frame of reader.push(data)) {
      if (frame.type === FRAME.error) {
        log('ERROR', core, `Gateway refused the client: ${String((JSON.parse(frame.payload.toString()) as { message?: string }).message)}`);
        process.exit(1);
      } else if (frame.type === FRAME.welcome) startSocks();
      else if (frame.type === FRAME.data) sockets.get(frame.stream)?.write(frame.payload);
      else if (frame.type === FRAME.close) {
        const socket = sockets.get(frame.stream);
        sockets.delete(frame.stream);
        if (frame.payload.length > 0) {
          log('ERROR', 'nym_socks5_client_core::socks::mixnet_responses', `Network requester failed on connection id ${frame.stream} with error: ${frame.payload.toString()}`);
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
    log('INFO', 'nym_socks5_client_core', 'Starting socks5 listener...');
    // As in the real client, this line comes before the bind, which may still fail.
    log('INFO', 'nym_socks5_client_core::socks::server', `Listening on ${host}:${port}`);
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
        (reason) => log('WARN', 'nym_socks5_client_core::socks::client', `Refused a SOCKS request: ${reason}`),
      );
    });
    server.on('error', (error: NodeJS.ErrnoException) => {
      // The real client logs the failure and goes on running without a SOCKS listener.
      log('ERROR', 'nym_socks5_client_core::socks::server', `Failed to bind to ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'Address already in use (os error 98)' : error.message}`);
    });
    if (network.failBind === true) server.emit('error', Object.assign(new Error('forced'), { code: 'EADDRINUSE' }));
    else server.listen(port, host);
    log('INFO', 'nym_socks5_client_core', 'Client startup finished!');
    log('INFO', 'nym_socks5_client_core', `The address of this client is: ${gateway.identity}.${base58Key()}@${gateway.id}`);
    if (cover) {
      const loop = (): void => {
        sendFrame(FRAME.cover, 0, randomBytes(64));
        setTimeout(loop, exponentialUs(coverMs) / 1000).unref();
      };
      loop();
    }
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log('INFO', 'nym_socks5_client', `Received ${signal} - the client will terminate now`);
      gw.removeAllListeners('close');
      gw.destroy();
      process.exit(0);
    });
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === '--version' || command === '-V') process.stdout.write(`nym-socks5-client ${readNetwork().clientVersion}\n`);
else if (command === 'init') await init(parseFlags(rest));
else if (command === 'run') run(parseFlags(rest));
else fail(`unrecognized subcommand '${command ?? ''}'\n\nUsage: nym-socks5-client <COMMAND>`, 2);
