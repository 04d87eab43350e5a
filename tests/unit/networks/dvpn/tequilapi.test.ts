// The TequilAPI client against a small fake node on loopback: what Burrow sends (the connect body, with
// myst's kill switch turned off), how errors come back, how the node picker chooses.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BurrowError } from '../../../../app/domain/errors.js';
import { connectError, registrationError } from '../../../../app/networks/dvpn/errors.js';
import { parseConnectAnswer } from '../../../../app/networks/dvpn/http-connect.js';
import { Tequilapi, TequilapiError, parseApiError, pickNode, toOffer, type NodeOffer } from '../../../../app/networks/dvpn/tequilapi.js';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}

let server: Server | undefined;
afterEach(() => server?.close());

function fakeNode(routes: Record<string, (body: unknown) => [number, unknown]>): Promise<{ api: Tequilapi; seen: Seen[] }> {
  const seen: Seen[] = [];
  return new Promise((resolve) => {
    server = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const body: unknown = text === '' ? undefined : JSON.parse(text);
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
        const route = routes[`${req.method ?? ''} ${(req.url ?? '').split('?')[0] ?? ''}`];
        const [status, answer] = route === undefined ? [404, { error: { code: 'not_found', message: 'no' }, status: 404, path: req.url }] : route(body);
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(answer === undefined ? '' : JSON.stringify(answer));
      });
    }).listen(0, '127.0.0.1', () => resolve({ api: new Tequilapi(`http://127.0.0.1:${(server?.address() as AddressInfo).port}`), seen }));
  });
}

const PROPOSAL = {
  provider_id: '0x1111111111111111111111111111111111111111',
  service_type: 'wireguard',
  location: { country: 'NL', city: 'Amsterdam', ip_type: 'hosting' },
  price: { currency: 'MYST', per_gib: 8e16, per_hour: 5e14, per_gib_tokens: { ether: '0.08' }, per_hour_tokens: { ether: '0.0005' } },
  quality: { quality: 2.4, latency: 35, bandwidth: 180 },
};

describe('Tequilapi', () => {
  it('logs in, then sends the token; connect asks for proxy mode\'s port and turns myst\'s kill switch off', async () => {
    const { api, seen } = await fakeNode({
      'POST /auth/authenticate': () => [200, { token: 'tok', expires_at: '2030-01-01T00:00:00Z' }],
      'PUT /identities/current': () => [200, { id: '0xab' }],
      'PUT /identities/0xab/unlock': () => [202, undefined],
      'GET /proposals': () => [200, { proposals: [PROPOSAL] }],
      'PUT /connection': () => [201, { status: 'Connected', consumer_id: '0xab', proposal: PROPOSAL }],
      'DELETE /connection': () => [422, { error: { code: 'err_no_connection_exists', message: 'No connection exists' }, status: 422, path: '/connection' }],
    });
    await api.authenticate('myst', 'mystberry');
    expect(await api.currentIdentity('pw')).toBe('0xab');
    await api.unlock('0xab', 'pw');
    expect((await api.proposals('NL')).map(toOffer)).toEqual([
      { providerId: PROPOSAL.provider_id, country: 'NL', city: 'Amsterdam', ipType: 'hosting', pricePerGib: 0.08, pricePerHour: 0.0005, quality: 2.4, latencyMs: 35, bandwidthMbps: 180 },
    ]);
    expect((await api.connect({ consumerId: '0xab', providerId: PROPOSAL.provider_id, proxyPort: 10000 }, new AbortController().signal)).status).toBe('Connected');
    await api.disconnect(10000);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/auth/authenticate', auth: undefined, body: { username: 'myst', password: 'mystberry' } });
    expect(seen.slice(1).every((request) => request.auth === 'Bearer tok')).toBe(true);
    expect(seen.find((r) => r.url.startsWith('/proposals'))?.url).toBe('/proposals?service_type=wireguard&location_country=NL');
    expect(seen.find((r) => r.method === 'PUT' && r.url === '/connection')?.body).toEqual({
      consumer_id: '0xab',
      provider_id: PROPOSAL.provider_id,
      service_type: 'wireguard',
      connect_options: { kill_switch: true, proxy_port: 10000 },
    });
  });

  it('errors carry the node\'s code, message and field errors', async () => {
    const { api } = await fakeNode({
      'PUT /connection': () => [400, { error: { code: 'err_id_not_registered', message: 'Identity is not registered (status Unregistered). Please register the identity first' }, status: 400, path: '/connection' }],
      'GET /proposals': () => [422, { error: { code: 'validation_failed', message: 'Request validation failed', fields: { service_type: { error: 'invalid', message: 'Invalid value' } } }, status: 422, path: '/proposals' }],
    });
    const failed = await api.connect({ consumerId: '0xab', providerId: '0x1', proxyPort: 1 }, new AbortController().signal).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TequilapiError);
    expect(failed).toMatchObject({ status: 400, code: 'err_id_not_registered' });
    await expect(api.proposals()).rejects.toMatchObject({ status: 422, code: 'validation_failed', fields: { service_type: 'Invalid value' } });
  });
});

describe('parseApiError', () => {
  it('the error JSON, an older node\'s bare message, or plain text', () => {
    expect(parseApiError(500, '{"error":{"code":"err_connect","message":"Failed to connect","detail":"provider offline"},"status":500,"path":"/connection"}')).toMatchObject({ code: 'err_connect', message: 'provider offline' });
    expect(parseApiError(417, '{"message":"identity is not registered"}')).toMatchObject({ status: 417, code: 'unknown', message: 'identity is not registered' });
    expect(parseApiError(502, 'Bad gateway')).toMatchObject({ code: 'unknown', message: 'Bad gateway' });
  });
});

describe('connectError', () => {
  const api = (status: number, code: string, message: string): TequilapiError => new TequilapiError(status, code, message);
  it.each([
    [api(400, 'err_id_not_registered', 'Identity 0xab is not registered (status Unregistered)'), 'unauthorized', /is not registered \(status: Unregistered\)/],
    [api(403, 'err_id_unlock', 'Failed to unlock identity'), 'unauthorized', /IdentityPassphrase/],
    [api(499, 'err_connection_cancelled', 'Connection was cancelled'), 'cancelled', /cancelled/],
    [api(409, 'err_connection_already_exists', 'Connection already exists'), 'conflict', /already has a connection/],
    [api(500, 'err_connect', 'Failed to connect: not enough balance to pay the provider'), 'unauthorized', /Top up/],
    [api(500, 'err_connect', 'Failed to connect: the provider did not answer'), 'host_unreachable', /could not connect to the node: Failed to connect: the provider did not answer/],
    [api(401, 'unauthorized', 'Unauthorized'), 'unauthorized', /TequilapiPassword/],
  ])('%s → %s', (error, code, message) => {
    const mapped = connectError(error, '0xab');
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(message);
  });

  it('a timeout, a BurrowError passing through, anything else', () => {
    expect(connectError(Object.assign(new Error('x'), { name: 'TimeoutError' }), '0xab').code).toBe('timeout');
    const own = registrationError('0xab', 'InProgress');
    expect(connectError(own, '0xab')).toBe(own);
    expect(own.message).toMatch(/status: InProgress/);
    expect(connectError(new Error('ECONNRESET'), '0xab')).toBeInstanceOf(BurrowError);
  });
});

describe('pickNode', () => {
  const offer = (id: string, quality: number, perGib: number): NodeOffer => ({ providerId: id, country: 'NL', city: '', ipType: '', pricePerGib: perGib, pricePerHour: 0.001, quality, latencyMs: 10, bandwidthMbps: 10 });
  const offers = [offer('0xa', 1, 0.01), offer('0xb', 3, 0.5), offer('0xc', 2, 0.05)];
  it('the named node, else the best quality within the price limits', () => {
    expect(pickNode(offers, {})?.providerId).toBe('0xb');
    expect(pickNode(offers, { maxPricePerGib: 0.1 })?.providerId).toBe('0xc');
    expect(pickNode(offers, { node: '0xA' })?.providerId).toBe('0xa');
    expect(pickNode(offers, { node: '0xd' })).toBeUndefined();
    expect(pickNode(offers, { maxPricePerHour: 0.0001 })).toBeUndefined();
  });
});

describe('parseConnectAnswer', () => {
  it('reads the status once the head is complete', () => {
    expect(parseConnectAnswer(Buffer.from('HTTP/1.1 200 Connection established\r\n'))).toBeUndefined();
    expect(parseConnectAnswer(Buffer.from('HTTP/1.1 200 Connection established\r\n\r\nabc'))).toEqual({ status: 200, consumed: 39 });
    expect(parseConnectAnswer(Buffer.from('HTTP/1.1 502 Bad Gateway\r\n\r\n'))).toMatchObject({ status: 502 });
    expect(() => parseConnectAnswer(Buffer.from('SSH-2.0-x\r\n\r\n'))).toThrow(/not an HTTP answer/);
  });
});
