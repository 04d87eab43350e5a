// The contract on both ends: a garbage request never reaches a handler, a handler's mistake never reaches
// a caller as a fake answer, and the client refuses what the contract does not allow.
import { describe, expect, it } from 'vitest';
import { BurrowError, DEFAULT_SETTINGS } from '../../../app/domain/index.js';
import {
  COMMAND_NAMES,
  createContractClient,
  dispatchEnvelope,
  notImplemented,
  parseMessageText,
  MAX_MESSAGE_BYTES,
  type CommandHandlers,
  type ContractTransport,
} from '../../../app/contract/index.js';

function handlers(overrides: Partial<CommandHandlers> = {}): CommandHandlers {
  const base = Object.fromEntries(COMMAND_NAMES.map((name) => [name, () => Promise.reject(new Error(`${name} not expected`))]));
  return { ...base, ...overrides } as CommandHandlers;
}

describe('dispatchEnvelope', () => {
  it('refuses a message that is not a request envelope', async () => {
    const answer = await dispatchEnvelope(handlers(), ['not', 'an', 'object']);
    expect(answer).toMatchObject({ id: null, ok: false, error: { code: 'invalid_request' } });
  });

  it('names an unknown command', async () => {
    expect(await dispatchEnvelope(handlers(), { id: 1, method: 'rm -rf' })).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'unknown_command', message: 'There is no command "rm -rf".' },
    });
  });

  it('validates params before the handler runs', async () => {
    let called = false;
    const h = handlers({ updateSettings: () => ((called = true), Promise.resolve(DEFAULT_SETTINGS)) });
    const answer = await dispatchEnvelope(h, { id: 2, method: 'updateSettings', params: { killSwitch: 'yes' } });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(JSON.stringify(answer)).toContain('killSwitch');
    expect(called).toBe(false);
    const unknownKey = await dispatchEnvelope(h, { id: 3, method: 'updateSettings', params: { sudo: true } });
    expect(unknownKey).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('passes typed errors through and hides unexpected ones behind a sentence', async () => {
    const h = handlers({
      getComparison: () => notImplemented('the comparison of networks'),
      listProfiles: () => Promise.reject(new TypeError('x is undefined')),
    });
    expect(await dispatchEnvelope(h, { id: 4, method: 'getComparison', params: {} })).toMatchObject({
      ok: false,
      error: { code: 'not_implemented', message: 'Not built yet in this version of Burrow: the comparison of networks.' },
    });
    const internal = await dispatchEnvelope(h, { id: 5, method: 'listProfiles' });
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(internal)).not.toContain('at ');
  });

  it('refuses to send an answer that breaks the contract', async () => {
    const h = handlers({ listProfiles: () => Promise.resolve([{ id: 'Bad Id!' }] as never) });
    expect(await dispatchEnvelope(h, { id: 6, method: 'listProfiles' })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('refuses oversized and non-JSON text', () => {
    expect(parseMessageText('x'.repeat(MAX_MESSAGE_BYTES + 1))).toMatchObject({ ok: false, error: { code: 'message_too_large' } });
    expect(parseMessageText('{"id":')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });
});

describe('contract client', () => {
  const transport = (answer: unknown, sent: unknown[] = []): ContractTransport & { emit(raw: unknown): void } => {
    const listeners = new Set<(raw: unknown) => void>();
    return {
      call: (method, params) => (sent.push({ method, params }), Promise.resolve(answer)),
      subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
      emit: (raw) => listeners.forEach((listener) => listener(raw)),
    };
  };

  it('checks requests before sending them', async () => {
    const sent: unknown[] = [];
    const client = createContractClient(transport({ id: 1, ok: true, result: DEFAULT_SETTINGS }, sent));
    await expect(client.updateSettings({ lockdown: 'on' as never })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(sent).toEqual([]);
  });

  it('turns error answers into BurrowErrors and checks results', async () => {
    const failing = createContractClient(transport({ id: 1, ok: false, error: { code: 'no_profile', message: 'Import one first.' } }));
    await expect(failing.connect({})).rejects.toEqual(new BurrowError('no_profile', 'Import one first.'));
    const lying = createContractClient(transport({ id: 1, ok: true, result: { lockdown: 'maybe' } }));
    await expect(lying.updateSettings({ lockdown: true })).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers valid events and drops invalid ones', () => {
    const t = transport(undefined);
    const invalid: string[] = [];
    const client = createContractClient(t, { onInvalidEvent: (d) => invalid.push(d) });
    const seen: unknown[] = [];
    client.on('state', (state) => seen.push(state));
    t.emit({ event: 'state', data: { state: 'disconnected', lockedDown: true } });
    t.emit({ event: 'state', data: { state: 'flying' } });
    t.emit({ event: 'nope', data: 1 });
    expect(seen).toEqual([{ state: 'disconnected', lockedDown: true }]);
    expect(invalid).toHaveLength(2);
  });
});
