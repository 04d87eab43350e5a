// A small program that answers as nym-socks5-client 1.1.76 does on the points the driver depends on (the
// clap surface of tests/lab/standins/nym-cli.ts, the init summary, config.toml and log lines of
// nym-fixtures.ts), for the driver-level conformance test. No mixnet: `run` only greets SOCKS5 clients.
// Its state file (argv[2]) says which gateways exist, which are dead, and records what the client read.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseNymCli } from '../../../lab/standins/nym-cli.js';
import { readAveragePacketDelay } from '../../../lab/standins/nym-config.js';
import { CONFIG_TOML, INIT_JSON, RUN_LINES, VERSION_LONG } from './nym-fixtures.js';

interface State {
  version: string;
  gateways: string[];
  dead: string[];
  inits: number;
  runs: { id: string; delayMs: number | undefined; gateway: string; uid: number }[];
}

const [stateFile = '', ...argv] = process.argv.slice(2);
const state = JSON.parse(readFileSync(stateFile, 'utf8')) as State;
const save = (): void => writeFileSync(stateFile, JSON.stringify(state));
const stamp = (): string => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const cli = parseNymCli(argv);
if (!cli.ok) {
  process.stderr.write(cli.stderr);
  process.exit(cli.code);
}
if (cli.global.version === true) {
  process.stdout.write(VERSION_LONG.replace(/1\.1\.76/g, state.version));
  process.exit(0);
}
const id = String(cli.flags.id);
const root = join(homedir(), '.nym', 'socks5-clients', id);
const configFile = join(root, 'config', 'config.toml');

if (cli.command === 'init') {
  process.stderr.write('Initialising client...\n');
  if (existsSync(configFile)) {
    process.stderr.write(`socks5 client "${id}" was already initialised before\n`);
    process.stdout.write(`An error occurred: client "${id}" has already been initialised before\n`);
    process.exit(1);
  }
  const gateway = state.gateways[state.inits % state.gateways.length] ?? '';
  state.inits += 1;
  save();
  mkdirSync(join(root, 'data'), { recursive: true });
  mkdirSync(join(root, 'config'), { recursive: true });
  // 0600 whatever the umask, as upstream's save_formatted_config_to_file sets it (common/config/src/lib.rs).
  writeFileSync(configFile, CONFIG_TOML.replace(/burrow-p1-0a1b2c3d/g, id), { mode: 0o600 });
  chmodSync(configFile, 0o600);
  writeFileSync(join(root, 'data', 'gateway'), gateway);
  const summary = JSON.parse(INIT_JSON) as Record<string, unknown>;
  process.stdout.write(`${JSON.stringify({ ...summary, id, gateway_id: gateway, gateway_listener: `ws://127.0.0.1:9/${gateway.slice(0, 4)}` })}\n`);
  process.exit(0);
}

// run
const reading = readAveragePacketDelay(readFileSync(configFile, 'utf8'));
if (!reading.ok) {
  process.stderr.write(`${stamp()} ERROR clients/socks5/src/main.rs:24: ${reading.error}\n`);
  process.stdout.write(`An error occurred: ${reading.error}\n`);
  process.exit(1);
}
const gateway = readFileSync(join(root, 'data', 'gateway'), 'utf8');
state.runs.push({ id, delayMs: reading.fromDefault ? undefined : reading.delayMs, gateway, uid: process.getuid?.() ?? -1 });
save();
if (state.dead.includes(gateway)) {
  process.stderr.write(`${RUN_LINES.gatewayUnreachable}\n`);
  process.stdout.write(`${RUN_LINES.gatewayUnreachableStdout}\n`);
  process.exit(1);
}
const port = Number(cli.flags.port ?? 1080);
process.stderr.write(`${RUN_LINES.listening.replace('1080', String(port))}\n`);
createServer((socket) => socket.once('data', () => socket.write(Buffer.from([5, 0])))).listen(port, '127.0.0.1', () => {
  process.stderr.write(`${RUN_LINES.startup}\n`);
});
process.on('SIGINT', () => process.exit(0));
