// netd's front door: every raw line is size-checked, parsed, matched against the protocol and validated
// before a handler runs; every refusal is a typed error; nothing secret reaches an answer or the log.
import { describe, expect, it, vi } from 'vitest';
import { BurrowError } from '../../../app/domain/index.js';
import { MAX_NETD_MESSAGE_BYTES, NETD_COMMAND_NAMES, type NetdResponseEnvelope } from '../../../app/contract/index.js';
import { dispatchLine, UNKNOWN_CALLER, type NetdHandlers } from '../../../native/netd/dispatch.js';
import { logFacts } from '../../../native/netd/handlers.js';
import { redact } from '../../../native/netd/log.js';
import { KEYS, capturingLogger, hex, wgUp } from './fixtures.js';

/** Every command refuses to run unless the test provides it (commands other networks add included). */
function fakeHandlers(overrides: Partial<NetdHandlers> = {}): NetdHandlers {
  const never = (): never => {
    throw new Error('not expected in this test');
  };
  const base = Object.fromEntries(NETD_COMMAND_NAMES.map((name) => [name, never])) as unknown as NetdHandlers;
  return {
    ...base,
    ping: () => Promise.resolve({ protocol: 1, version: 'test', pid: 1, uptimeMs: 0 }),
    wgUp: () => Promise.resolve({ ifname: 'burrow0', implementation: 'userspace' as const, ms: 1 }),
    ...overrides,
  };
}

async function send(line: string, handlers = fakeHandlers()): Promise<{ reply: NetdResponseEnvelope; log: string }> {
  const { logger, text } = capturingLogger();
  const reply = await dispatchLine(handlers, line, { logger, connection: 1, facts: logFacts });
  return { reply, log: text() };
}

const request = (method: string, params: unknown, id = 1): string => JSON.stringify({ id, method, params });

describe('dispatchLine', () => {
  it('answers a valid ping', async () => {
    const { reply } = await send(request('ping', {}));
    expect(reply).toEqual({ id: 1, ok: true, result: { protocol: 1, version: 'test', pid: 1, uptimeMs: 0 } });
  });

  it.each([
    ['not JSON', 'hello', 'invalid_request', /not valid JSON/],
    ['a JSON array', '[1,2]', 'invalid_request', /Not a netd request/],
    ['no id', '{"method":"ping"}', 'invalid_request', /id/],
    ['an extra envelope field', '{"id":1,"method":"ping","params":{},"sudo":true}', 'invalid_request', /sudo/],
    ['an unknown command', request('exec', { argv: ['sh'] }), 'unknown_command', /no command "exec"/],
    ['a prototype name as command', request('__proto__', {}), 'unknown_command', /no command/],
    ['an unexpected parameter', request('ping', { x: 1 }), 'invalid_request', /Invalid ping request/],
    ['an interface netd does not manage', request('wgDown', { ifname: 'eth0' }), 'invalid_request', /ifname/],
    ['an interface name with a slash', request('wgStatus', { ifname: 'burrow0/../x' }), 'invalid_request', /ifname/],
    ['a kernel routing table as fwmark', request('wgUp', wgUp({ fwmark: 254 })), 'invalid_request', /fwmark/],
    ['a bad CIDR', request('wgUp', wgUp({ addresses: ['10.0.0.300/32'] })), 'invalid_request', /addresses/],
    ['an endpoint host name (netd never resolves)', request('wgUp', wgUp({ peers: [{ ...wgUp().peers[0]!, endpoint: { ip: 'vpn.example.com', port: 1 } }] })), 'invalid_request', /endpoint/],
    ['a DNS server that is not an address', request('setDns', { servers: ['evil; rm'], search: [] }), 'invalid_request', /servers/],
  ])('refuses %s', async (_what, line, code, message) => {
    const { reply, log } = await send(line);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe(code);
    expect(reply.error.message).toMatch(message);
    expect(log).toMatch(/"msg":"request refused"/);
  });

  it('refuses a line over the size limit before parsing it', async () => {
    const { reply } = await send(`{"id":1,"method":"ping","params":{"p":"${'x'.repeat(MAX_NETD_MESSAGE_BYTES)}"}}`);
    expect(reply).toMatchObject({ ok: false, error: { code: 'message_too_large' } });
  });

  it('hands the validated request to the handler and logs facts, never the key', async () => {
    const handler = vi.fn(() => Promise.resolve({ ifname: 'burrow0', implementation: 'userspace' as const, ms: 3 }));
    const { reply, log } = await send(request('wgUp', wgUp()), fakeHandlers({ wgUp: handler }));
    expect(reply.ok).toBe(true);
    // No caller given: the handler gets one that says "unknown", so commands acting for a uid refuse.
    expect(handler).toHaveBeenCalledWith(wgUp(), UNKNOWN_CALLER);
    expect(log).toMatch(/"method":"wgUp".*"ifname":"burrow0","peers":1/);
    for (const secret of [KEYS.client, KEYS.psk, hex(KEYS.client)]) expect(log).not.toContain(secret);
  });

  it('refuses a wgUp that carries a key in a bad place without echoing it', async () => {
    const { reply, log } = await send(request('wgUp', { ...wgUp(), ifname: 'eth0', note: KEYS.client }));
    expect(reply.ok).toBe(false);
    expect(JSON.stringify(reply)).not.toContain(KEYS.client);
    expect(log).not.toContain(KEYS.client);
  });

  it('turns a handler failure into a typed error, scrubbed of anything shaped like a key', async () => {
    const failing = fakeHandlers({
      wgUp: () => Promise.reject(new BurrowError('helper_failed', `wg refused private_key=${hex(KEYS.client)} and ${KEYS.client}`)),
    });
    const { reply, log } = await send(request('wgUp', wgUp()), failing);
    expect(reply).toMatchObject({ ok: false, error: { code: 'helper_failed' } });
    expect(JSON.stringify(reply)).not.toContain(KEYS.client);
    expect(JSON.stringify(reply)).not.toContain(hex(KEYS.client));
    expect(log).not.toContain(KEYS.client);
    expect(log).not.toContain(hex(KEYS.client));
  });

  it('an unexpected exception becomes `internal` and does not crash the dispatcher', async () => {
    const { reply } = await send(request('ping', {}), fakeHandlers({ ping: () => Promise.reject(new TypeError('boom')) }));
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('an answer that breaks the protocol is not sent as a success', async () => {
    const liar = fakeHandlers({ ping: () => Promise.resolve({ protocol: 'one' } as never) });
    expect((await send(request('ping', {}), liar)).reply.ok).toBe(false);
  });
});

describe('redact', () => {
  it('hides base64 and hex keys and clips long text', () => {
    expect(redact(`a ${KEYS.client} b ${hex(KEYS.psk)} c`)).toBe('a [hidden] b [hidden] c');
    expect(redact('x'.repeat(2000)).length).toBeLessThan(600);
  });
});
