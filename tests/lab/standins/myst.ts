// STAND-IN for the Mysterium node (`myst`, mysteriumnetwork/node 1.38.3) in consumer proxy mode:
//   myst --proxymode --consumer --proxy.bind.address=127.0.0.1 --tequilapi.port=PORT --ui.enable=false daemon
// TequilAPI with token auth, identities, registration (eligibility, free register), proposals, a blocking
// PUT /connection, the connection state machine with the node's state names, GET /events/state (SSE) and the
// API's error JSON. As upstream's multi-connection manager (core/connection/multi.go): one connection per
// proxy port, and `?id=<proxy port>` names it on GET/DELETE /connection (no id is id 0: nothing, 202).
// Statuses as tequilapi/endpoints/connection.go: 422 for err_id_not_registered, err_connection_already_exists,
// err_connection_cancelled, err_no_connection_exists; registration InProgress is accepted. The web UI is on
// unless --ui.enable=false (it binds :4449 on every address, as upstream's binds the LAN address too).
// The "tunnel" is a TCP link to the stand-in provider in the lab's vpn namespace (myst-provider.ts), not
// WireGuard. MYST_STANDIN_NETWORK names the lab's market (proposals, registration of new identities, balance).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Keystore, tokens, type RegistrationStatus } from './myst-identities.js';
import { openKeyfile } from './myst-keyfile.js';
import { ConsumerConnection, type ConnState, type StandinProposal } from './myst-session.js';

interface MarketFile {
  version: 1;
  nodeVersion: string;
  proposals: StandinProposal[];
  newIdentity: { registration: RegistrationStatus; balanceMyst: number };
  /** Read again on every request: the lab changes a registration or balance while myst runs. */
  identityOverride?: { registration?: RegistrationStatus; balanceMyst?: number };
  connectDelayMs?: number;
  /** GET /identities/{id}/eligibility (free registration); default true. */
  freeRegistration?: boolean;
  /** How long a registration stays InProgress before it is Registered (ms); default 1500. */
  registrationDelayMs?: number;
  /** What the chain knows of identities made elsewhere (imported keystore files); others are Unregistered with 0 MYST. */
  chain?: Record<string, { registration: RegistrationStatus; balanceMyst: number }>;
}

const GLOBAL_FLAGS = new Set(['proxymode', 'consumer', 'proxy.bind.address', 'tequilapi.port', 'tequilapi.address', 'data-dir', 'log-level', 'keystore.lightweight', 'agreed-terms-and-conditions', 'ui.enable', 'ui.port', 'usermode']);
const CONTENT_TYPE_ERR = 'application/vnd.mysterium.error+json';

function log(level: 'INF' | 'WRN' | 'ERR' | 'DBG', message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
}

function parseArgv(argv: string[]): { flags: Record<string, string>; command: string | undefined } {
  const flags: Record<string, string> = {};
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--?([a-z.-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) {
      command = arg;
      continue;
    }
    const name = match[1] ?? '';
    if (!GLOBAL_FLAGS.has(name)) {
      process.stderr.write(`Incorrect Usage: flag provided but not defined: -${name}\n`);
      process.exit(1);
    }
    flags[name] = match[2] ?? 'true';
  }
  return { flags, command };
}

const { flags, command } = parseArgv(process.argv.slice(2));
const marketFile = process.env.MYST_STANDIN_NETWORK ?? '/nonexistent';
const market = JSON.parse(readFileSync(marketFile, 'utf8')) as MarketFile;
if (command === 'version') {
  process.stdout.write(`Application version: ${market.nodeVersion}\n`);
  process.exit(0);
}
if (command !== 'daemon') {
  process.stderr.write('the myst stand-in only knows the daemon command\n');
  process.exit(1);
}
if (flags.proxymode !== 'true') {
  process.stderr.write('the myst stand-in only runs with --proxymode (no tun device, no root)\n');
  process.exit(1);
}
const dataDir = flags['data-dir'] ?? join(homedir(), '.mysterium');
const keystore = new Keystore(join(dataDir, 'keystore'), market.newIdentity, () => (JSON.parse(readFileSync(marketFile, 'utf8')) as MarketFile).identityOverride);
const tokensValid = new Map<string, number>();
/** The default identity (set by an import with set_default); else the keystore's first. */
let defaultIdentity: string | undefined;
const sse = new Set<ServerResponse>();
/** One connection manager per proxy port, created on first connect (multi.go's map). */
const conns = new Map<number, ConsumerConnection>();
function managerFor(port: number): ConsumerConnection {
  let conn = conns.get(port);
  if (conn === undefined) {
    conn = new ConsumerConnection({
      bindAddress: flags['proxy.bind.address'] ?? '127.0.0.1',
      connectDelayMs: market.connectDelayMs ?? 400,
      onState: (state: ConnState) => {
        log('INF', `Connection state: ${state} (proxy port ${port})`);
        broadcast();
      },
      log: (message) => log('INF', message),
    });
    conns.set(port, conn);
  }
  return conn;
}

function proposalDto(p: StandinProposal): Record<string, unknown> {
  const perHour = tokens(p.price_per_hour);
  const perGib = tokens(p.price_per_gib);
  return {
    format: 'service-proposal/v3',
    compatibility: 2,
    provider_id: p.provider_id,
    service_type: 'wireguard',
    location: { continent: 'EU', country: p.country, city: p.city, asn: 64512, isp: 'Lab Hosting', ip_type: p.ip_type },
    price: { currency: 'MYST', per_hour: Number(perHour.wei), per_gib: Number(perGib.wei), per_hour_tokens: perHour, per_gib_tokens: perGib },
    quality: { quality: p.quality, latency: p.latency, bandwidth: p.bandwidth, uptime: 24 },
  };
}

function connectionDto(conn: ConsumerConnection | undefined): Record<string, unknown> {
  const s = conn?.session;
  if (conn === undefined || s === undefined) return { status: conn?.state ?? 'NotConnected' };
  return {
    status: conn.state,
    consumer_id: s.consumerId,
    hermes_id: '0x80ed28d84792d8b153bf2f25f0c4b7a1381de4ab',
    proposal: proposalDto(s.proposal),
    session_id: s.sessionId,
    statistics: { bytes_sent: conn.bytesSent, bytes_received: conn.bytesReceived, throughput_sent: 0, throughput_received: 0, duration: Math.round((Date.now() - s.startedAt) / 1000), tokens_spent: 0, spent_tokens: tokens(0) },
  };
}

function statePayload(): Record<string, unknown> {
  return {
    nat_status: { status: 'not_finished' },
    service_info: [],
    sessions: [],
    sessions_stats: { count: 0, count_consumers: 0, sum_bytes_received: 0, sum_bytes_sent: 0, sum_duration: 0, sum_tokens: 0 },
    // As upstream's sse_handler mapState: one connection of the map (here the first one not NotConnected).
    consumer: { connection: connectionDto([...conns.values()].find((c) => c.state !== 'NotConnected')) },
    identities: keystore.list().map((id) => keystore.dto(id)),
    channels: [],
  };
}

function broadcast(): void {
  const line = `data: ${JSON.stringify({ payload: statePayload(), type: 'state-change' })}\n\n`;
  for (const res of sse) res.write(line);
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) return void res.writeHead(status).end();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function apiError(res: ServerResponse, path: string, status: number, code: string, message: string, fields?: Record<string, { error: string; message: string }>): void {
  const error = fields === undefined ? { code, message } : { code, message, fields };
  res.writeHead(status, { 'Content-Type': CONTENT_TYPE_ERR }).end(JSON.stringify({ error, status, path }));
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  if (text.trim() === '') return {};
  return JSON.parse(text) as Record<string, unknown>;
}

function authorised(req: IncomingMessage): boolean {
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const cookie = /(?:^|;\s*)token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const token = bearer ?? cookie;
  return token !== undefined && (tokensValid.get(token) ?? 0) > Date.now();
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://tequilapi');
  const path = url.pathname;
  const route = `${req.method ?? 'GET'} ${path}`;
  if (route === 'GET /healthcheck') return send(res, 200, { uptime: `${Math.round(process.uptime())}s`, process: process.pid, version: market.nodeVersion, build_info: { commit: 'standin', branch: 'standin', build_number: '0' } });
  if (route === 'POST /auth/authenticate' || route === 'POST /auth/login') {
    const { username, password } = await body(req);
    const expected = readPassword();
    if (username !== 'myst' || password !== expected) return apiError(res, path, 401, 'unauthorized', 'Bad credentials');
    const token = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + 24 * 3600_000);
    tokensValid.set(token, expiresAt.getTime());
    res.setHeader('Set-Cookie', `token=${token}; Path=/; HttpOnly`);
    return send(res, 200, { token, expires_at: expiresAt.toISOString() });
  }
  if (!authorised(req)) return apiError(res, path, 401, 'unauthorized', 'Unauthorized');
  if (route === 'GET /events/state') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write(`data: ${JSON.stringify({ payload: statePayload(), type: 'state-change' })}\n\n`);
    sse.add(res);
    req.once('close', () => sse.delete(res));
    return;
  }
  if (route === 'GET /identities') return send(res, 200, { identities: keystore.list().map((id) => ({ id })) });
  if (route === 'PUT /identities/current') {
    const { id, passphrase } = await body(req);
    if (typeof passphrase !== 'string') return apiError(res, path, 400, 'validation_failed', 'Request validation failed', { passphrase: { error: 'required', message: 'Field is required' } });
    const wanted = typeof id === 'string' && id !== '' ? id.toLowerCase() : (defaultIdentity ?? keystore.list()[0]);
    if (wanted === undefined) {
      const created = keystore.create(passphrase);
      log('INF', `Created new identity: ${created}`);
      broadcast();
      return send(res, 200, { id: created });
    }
    if (!keystore.unlock(wanted, passphrase)) return apiError(res, path, 500, 'err_to_id_use_or_create', `Failed to use or create identity: could not unlock ${wanted}`);
    broadcast();
    return send(res, 200, { id: wanted });
  }
  if (route === 'POST /identities-import') return importRoute(req, res, path);
  const unlock = /^\/identities\/(0x[0-9a-fA-F]{40})\/unlock$/.exec(path);
  if (req.method === 'PUT' && unlock !== null) {
    const { passphrase } = await body(req);
    if (!keystore.unlock(unlock[1] ?? '', typeof passphrase === 'string' ? passphrase : '')) return apiError(res, path, 403, 'err_id_unlock', 'Failed to unlock identity');
    return send(res, 202);
  }
  const identity = /^\/identities\/(0x[0-9a-fA-F]{40})$/.exec(path);
  if (req.method === 'GET' && identity !== null) {
    const dto = keystore.dto(identity[1] ?? '');
    return dto === undefined ? apiError(res, path, 404, 'not_found', 'Identity not found') : send(res, 200, dto);
  }
  if (route === 'GET /proposals') {
    const type = url.searchParams.get('service_type');
    const country = url.searchParams.get('location_country') ?? '';
    const list = market.proposals.filter((p) => (type === null || type === '' || type === 'wireguard') && (country === '' || p.country === country));
    return send(res, 200, { proposals: list.map(proposalDto) });
  }
  const idParam = url.searchParams.get('id');
  const id = idParam === null || idParam === '' ? 0 : /^-?\d+$/.test(idParam) ? Number(idParam) : NaN;
  if (path === '/connection' && Number.isNaN(id)) return apiError(res, path, 400, 'parse_failed', 'Failed to parse request');
  if (route === 'GET /connection') return send(res, 200, connectionDto(conns.get(id)));
  if (route === 'GET /connection/statistics') return send(res, 200, connectionDto(conns.get(id)).statistics ?? {});
  if (route === 'DELETE /connection') {
    const manager = conns.get(id);
    if (manager !== undefined) return manager.disconnect() ? send(res, 202) : apiError(res, path, 422, 'err_no_connection_exists', 'No connection exists');
    // No manager for this id: a negative id means all of them; any other disconnects nothing, and says 202.
    if (id < 0) for (const each of conns.values()) each.disconnect();
    return send(res, 202);
  }
  const eligibility = /^\/identities\/(0x[0-9a-fA-F]{40})\/eligibility$/.exec(path);
  if (req.method === 'GET' && eligibility !== null) return send(res, 200, { eligible: market.freeRegistration !== false });
  const register = /^\/identities\/(0x[0-9a-fA-F]{40})\/register$/.exec(path);
  if (req.method === 'POST' && register !== null) return registerRoute(req, res, path, (register[1] ?? '').toLowerCase());
  if (route === 'PUT /connection') return connectRoute(req, res, path);
  return apiError(res, path, 404, 'not_found', `No route ${route}`);
}

async function connectRoute(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const request = await body(req);
  const consumer = typeof request.consumer_id === 'string' ? request.consumer_id.toLowerCase() : '';
  const options = (request.connect_options ?? {}) as { kill_switch?: boolean; proxy_port?: number; dns?: string };
  if (consumer === '') return apiError(res, path, 400, 'validation_failed', 'Request validation failed', { consumer_id: { error: 'required', message: 'Field is required' } });
  if (!(Number(options.proxy_port) > 0)) {
    return apiError(res, path, 400, 'validation_failed', 'Request validation failed', { proxy_port: { error: 'required', message: 'Proxy mode needs connect_options.proxy_port' } });
  }
  const key = keystore.dto(consumer);
  // The chain knows nothing of an address it never saw: Unregistered.
  const status = (key?.registration_status as string | undefined) ?? 'Unregistered';
  if (status === 'Unregistered' || status === 'RegistrationError' || status === 'Unknown') {
    log('ERR', `Identity "${consumer}" is not registered, aborting...`);
    return apiError(res, path, 422, 'err_id_not_registered', `Identity "${consumer}" is not registered. Please register the identity first`);
  }
  if (status === 'InProgress') log('INF', `identity "${consumer}" registration is in progress, continuing...`);
  else if (status === 'Registered') log('INF', `identity "${consumer}" is registered, continuing...`);
  else return apiError(res, path, 422, 'err_id_status_unknown', `Identity "${consumer}" has unknown status. Aborting`);
  if (key === undefined || !keystore.isUnlocked(consumer)) return apiError(res, path, 500, 'err_connect', 'Failed to connect: identity is locked');
  const conn = managerFor(Number(options.proxy_port));
  if (conn.state !== 'NotConnected') return apiError(res, path, 422, 'err_connection_already_exists', 'Connection already exists');
  const filter = (request.filter ?? {}) as { country_code?: string };
  const providerId = typeof request.provider_id === 'string' ? request.provider_id : '';
  const proposal = providerId !== ''
    ? market.proposals.find((p) => p.provider_id === providerId)
    : [...market.proposals].filter((p) => filter.country_code === undefined || p.country === filter.country_code).sort((a, b) => b.quality - a.quality)[0];
  if (proposal === undefined) return apiError(res, path, 400, 'err_connect', 'Provider has no service proposals');
  // kill_switch: true turns the node's own kill switch OFF (the field's Go name is DisableKillSwitch).
  log('INF', `Connecting to ${proposal.provider_id} with connect_options.kill_switch=${String(options.kill_switch === true)} (node kill switch ${options.kill_switch === true ? 'off' : 'on, which proxy mode cannot enforce'})`);
  if ((key.balance_tokens as { ether: string }).ether === '0' && proposal.price_per_gib > 0) {
    return apiError(res, path, 500, 'err_connect', 'Failed to connect: not enough balance to pay the provider; top up the identity');
  }
  try {
    await conn.connect({ consumerId: consumer, proposal, sessionId: randomBytes(16).toString('hex'), startedAt: Date.now(), killSwitchOff: options.kill_switch === true }, Number(options.proxy_port));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message === 'cancelled') return apiError(res, path, 422, 'err_connection_cancelled', 'Connection cancelled');
    return apiError(res, path, 500, 'err_connect', `Failed to connect: ${message}`);
  }
  return send(res, 201, connectionDto(conn));
}

/**
 * POST /identities-import (tequilapi/endpoints/identities.go Import, identity/mover.go): `data` is the keystore
 * file's bytes (base64, Go's []byte), `current_passphrase` is required; the key is kept under
 * `new_passphrase` and unlocked; `set_default` makes it the default. Failures are 422 err_id_import.
 */
async function importRoute(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  let request: Record<string, unknown>;
  try {
    request = await body(req);
  } catch {
    return apiError(res, path, 400, 'parse_failed', 'Failed to parse request');
  }
  const data = typeof request.data === 'string' ? Buffer.from(request.data, 'base64') : Buffer.alloc(0);
  const current = typeof request.current_passphrase === 'string' ? request.current_passphrase : '';
  const missing: Record<string, { error: string; message: string }> = {};
  if (current === '') missing.current_passphrase = { error: 'required', message: 'Field is required' };
  if (data.length === 0) missing.data = { error: 'required', message: 'Field is required' };
  if (Object.keys(missing).length > 0) return apiError(res, path, 400, 'validation_failed', 'Request validation failed', missing);
  const opened = openKeyfile(data, current);
  if ('error' in opened) return apiError(res, path, 422, 'err_id_import', `Failed to import identity: ${opened.error}`);
  if (keystore.list().includes(opened.address)) return apiError(res, path, 422, 'err_id_import', 'Failed to import identity: account already exists');
  const known = market.chain?.[opened.address] ?? { registration: 'Unregistered' as const, balanceMyst: 0 };
  keystore.create(typeof request.new_passphrase === 'string' ? request.new_passphrase : '', opened.address, known);
  if (request.set_default === true) defaultIdentity = opened.address;
  log('INF', `Imported identity: ${opened.address}${request.set_default === true ? ' (default)' : ''}`);
  broadcast();
  return send(res, 200, { id: opened.address });
}

/** POST /identities/{id}/register (tequilapi/endpoints/transactor.go RegisterIdentity). */
async function registerRoute(req: IncomingMessage, res: ServerResponse, path: string, address: string): Promise<void> {
  try {
    await body(req);
  } catch {
    return apiError(res, path, 400, 'parse_failed', 'Failed to parse request');
  }
  const status = (keystore.dto(address)?.registration_status as string | undefined) ?? 'Unregistered';
  if (status === 'InProgress') return apiError(res, path, 422, 'err_id_registration_in_progress', 'Identity registration in progress');
  if (status === 'Registered') return send(res, 200);
  if (market.freeRegistration === false) return apiError(res, path, 500, 'err_transactor_registration', 'Failed to register identity');
  const delay = market.registrationDelayMs ?? 1500;
  keystore.startRegistration(address, Date.now() + delay);
  log('INF', `Registration of ${address} sent to the transactor`);
  broadcast();
  setTimeout(broadcast, delay + 10).unref();
  return send(res, 202);
}

function readPassword(): string {
  try {
    return (JSON.parse(readFileSync(join(dataDir, 'standin-tequilapi.json'), 'utf8')) as { password: string }).password;
  } catch {
    return 'mystberry';
  }
}

const address = flags['tequilapi.address'] ?? '127.0.0.1';
const port = Number(flags['tequilapi.port'] ?? 4050);
const api = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => apiError(res, req.url ?? '/', 500, 'internal', error instanceof Error ? error.message : String(error)));
});
api.on('error', (error) => {
  log('ERR', `Failed to start tequilapi: ${error.message}`);
  process.exit(1);
});
api.listen(port, address, () => log('INF', `Api started on: ${address}:${port} [STAND-IN myst ${market.nodeVersion}, proxy mode]`));
if (flags['ui.enable'] !== 'false') {
  // Upstream's default (config/flags_ui.go: ui.enable true, port 4449, 127.0.0.1 and the LAN address).
  const ui = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>NodeUI (stand-in)</title>'));
  ui.on('error', (error) => log('WRN', `Web UI: ${error.message}`));
  ui.listen(Number(flags['ui.port'] ?? 4449), '0.0.0.0', () => log('INF', `Web UI listening on 0.0.0.0:${flags['ui.port'] ?? 4449}`));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log('INF', `Received ${signal}, stopping`);
    for (const conn of conns.values()) conn.disconnect();
    process.exit(0);
  });
}
