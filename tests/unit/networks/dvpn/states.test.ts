// myst's connection states in Burrow's terms, and the parts of `/events/state` Burrow reads.
import { describe, expect, it } from 'vitest';
import { balanceMyst, burrowPhase, describeFailure, statusOfEvent } from '../../../../app/networks/dvpn/states.js';

describe('burrowPhase', () => {
  it.each([
    ['Connecting', 'connecting'],
    ['Reconnecting', 'connecting'],
    ['Connected', 'connected'],
    ['ConnectionFailed', 'error'],
    ['OnHold', 'error'],
    ['Canceled', 'error'],
    ['IPNotChanged', 'error'],
    ['NotConnected', 'disconnected'],
    ['Disconnecting', 'disconnecting'],
    ['Unknown', 'unknown'],
    ['SomethingNew', 'unknown'],
  ])('%s → %s', (status, phase) => {
    expect(burrowPhase(status)).toBe(phase);
  });

  it('failures come with a sentence', () => {
    expect(describeFailure('OnHold')).toMatch(/on hold .*balance/);
    expect(describeFailure('IPNotChanged')).toMatch(/public address did not change/);
    expect(describeFailure('Weird')).toBe('Mysterium reports "Weird"');
  });
});

describe('statusOfEvent', () => {
  it('reads the connection status and identities of a state-change event (snake_case, as myst sends it)', () => {
    const data = JSON.stringify({
      payload: {
        nat_status: { status: 'not_finished' },
        service_info: [],
        sessions: [],
        consumer: { connection: { status: 'Connected', session_id: 'abc', statistics: { bytes_sent: 1 } } },
        identities: [{ id: '0xab', registration_status: 'Registered', balance: 1.5e18, balance_tokens: { wei: '1500000000000000000', ether: '1.5', human: '1.500' } }],
        channels: [],
      },
      type: 'state-change',
    });
    const parsed = statusOfEvent(data);
    expect(parsed?.status).toBe('Connected');
    expect(parsed?.identities[0]?.registration_status).toBe('Registered');
    expect(balanceMyst(parsed?.identities[0] ?? { id: '' })).toBe(1.5);
  });

  it('ignores other events and garbage', () => {
    expect(statusOfEvent('{"type":"nat","payload":{}}')).toBeUndefined();
    expect(statusOfEvent('not json')).toBeUndefined();
    expect(statusOfEvent('{"type":"state-change","payload":{}}')).toEqual({ status: undefined, identities: [] });
  });

  it('balance from wei when the token strings are missing', () => {
    expect(balanceMyst({ id: 'x', balance: 2e18 })).toBe(2);
    expect(balanceMyst({ id: 'x' })).toBeUndefined();
  });
});
