// Every legal transition of the tunnel state machine, and every illegal one refused.
import { describe, expect, it } from 'vitest';
import type { ErrorInfo, Target, TunnelState } from '../../../app/domain/index.js';
import { IllegalTransitionError, isBlocking, transition, type StatePolicy, type SupervisorEvent } from '../../../app/supervisor/state-machine.js';

const NOW = '2026-11-25T10:00:00.000Z';
const home: Target = { profileId: 'home', profileName: 'Home', network: 'wireguard' };
const tor: Target = { profileId: 'tor', profileName: 'Tor', network: 'tor' };
const cause: ErrorInfo = { code: 'handshake_timeout', message: 'No handshake.' };
const open: StatePolicy = { killSwitch: false, lockdown: false };
const killSwitch: StatePolicy = { killSwitch: true, lockdown: false };
const lockdown: StatePolicy = { killSwitch: true, lockdown: true };

const disconnected: TunnelState = { state: 'disconnected', lockedDown: false };
const connecting: TunnelState = { state: 'connecting', target: home, attempt: 1, since: NOW };
const connected: TunnelState = { state: 'connected', target: home, since: NOW, details: { interface: 'wg0' } };
const disconnectingNothing: TunnelState = { state: 'disconnecting', target: home, then: 'nothing' };
const disconnectingReconnect: TunnelState = { state: 'disconnecting', target: home, then: 'reconnect', next: tor };
const disconnectingBlock: TunnelState = { state: 'disconnecting', target: home, then: 'block', cause };
const error: TunnelState = { state: 'error', cause, blocking: true, target: home };

const connectHome: SupervisorEvent = { type: 'connect', target: home, now: NOW };
const connectTor: SupervisorEvent = { type: 'connect', target: tor, now: NOW };
const disconnect: SupervisorEvent = { type: 'disconnect' };
const progress: SupervisorEvent = { type: 'driverProgress', progress: { percent: 50, phase: 'Loading relay descriptors' } };
const up: SupervisorEvent = { type: 'driverConnected', details: { interface: 'wg1' }, now: NOW };
const failRetry: SupervisorEvent = { type: 'driverFailed', cause, retry: true, now: NOW };
const failFinal: SupervisorEvent = { type: 'driverFailed', cause, retry: false, now: NOW };
const stopped: SupervisorEvent = { type: 'driverStopped', now: NOW };
const lockdownOn: SupervisorEvent = { type: 'lockdownChanged', lockdown: true };

type Row = [name: string, from: TunnelState, event: SupervisorEvent, policy: StatePolicy, expected: TunnelState];

const legal: Row[] = [
  ['disconnected + connect → connecting', disconnected, connectHome, open, connecting],
  ['disconnected + disconnect stays disconnected', disconnected, disconnect, open, disconnected],
  ['disconnected + disconnect under lockdown is locked down', disconnected, disconnect, lockdown, { state: 'disconnected', lockedDown: true }],
  ['disconnected + lockdown on → locked down', disconnected, lockdownOn, lockdown, { state: 'disconnected', lockedDown: true }],
  ['connecting + same connect is a no-op', connecting, connectHome, open, connecting],
  ['connecting + other connect → disconnecting{reconnect}', connecting, connectTor, open, disconnectingReconnect],
  ['connecting + disconnect → disconnecting{nothing}', connecting, disconnect, open, disconnectingNothing],
  ['connecting + progress keeps connecting with progress', connecting, progress, open, { ...connecting, progress: { percent: 50, phase: 'Loading relay descriptors' } }],
  ['connecting + driver up → connected', connecting, up, open, { state: 'connected', target: home, since: NOW, details: { interface: 'wg1' } }],
  ['connecting + retriable failure → next attempt', connecting, failRetry, killSwitch, { ...connecting, attempt: 2 }],
  ['connecting + final failure → disconnecting{block}', connecting, failFinal, killSwitch, disconnectingBlock],
  ['connecting + lockdown change stays', connecting, lockdownOn, lockdown, connecting],
  ['connected + same connect is a no-op', connected, connectHome, open, connected],
  ['connected + other connect → disconnecting{reconnect} (switch)', connected, connectTor, open, disconnectingReconnect],
  ['connected + disconnect → disconnecting{nothing}', connected, disconnect, open, disconnectingNothing],
  ['connected + driver update refreshes details', connected, up, open, { ...connected, details: { interface: 'wg1' } }],
  ['connected + lost (retry) → connecting attempt 1', connected, failRetry, killSwitch, connecting],
  ['connected + lost (final) → disconnecting{block}', connected, failFinal, killSwitch, disconnectingBlock],
  ['connected + lockdown change stays', connected, lockdownOn, lockdown, connected],
  ['disconnecting + connect → then reconnect to it', disconnectingNothing, connectTor, open, disconnectingReconnect],
  ['disconnecting{reconnect} + disconnect → then nothing', disconnectingReconnect, disconnect, open, disconnectingNothing],
  ['disconnecting + failure during teardown changes nothing', disconnectingNothing, failFinal, open, disconnectingNothing],
  ['disconnecting{nothing} + stopped → disconnected', disconnectingNothing, stopped, open, disconnected],
  ['disconnecting{nothing} + stopped under lockdown → locked down', disconnectingNothing, stopped, lockdown, { state: 'disconnected', lockedDown: true }],
  ['disconnecting{reconnect} + stopped → connecting the next target', disconnectingReconnect, stopped, open, { state: 'connecting', target: tor, attempt: 1, since: NOW }],
  ['disconnecting{block} + stopped → error, blocking with kill switch', disconnectingBlock, stopped, killSwitch, error],
  ['disconnecting{block} + stopped → error, not blocking without kill switch', disconnectingBlock, stopped, open, { ...error, blocking: false }],
  ['disconnecting + lockdown change stays', disconnectingNothing, lockdownOn, lockdown, disconnectingNothing],
  ['error + connect → connecting', error, connectTor, killSwitch, { state: 'connecting', target: tor, attempt: 1, since: NOW }],
  ['error + disconnect → disconnected', error, disconnect, killSwitch, disconnected],
  ['error + disconnect under lockdown → locked down', error, disconnect, lockdown, { state: 'disconnected', lockedDown: true }],
  ['error + lockdown on → blocking', { ...error, blocking: false }, lockdownOn, lockdown, error],
];

const illegal: Array<[from: TunnelState, event: SupervisorEvent]> = [
  [disconnected, progress],
  [disconnected, up],
  [disconnected, failRetry],
  [disconnected, stopped],
  [connecting, stopped],
  [connected, progress],
  [connected, stopped],
  [disconnectingNothing, progress],
  [disconnectingNothing, up],
  [error, progress],
  [error, up],
  [error, failFinal],
  [error, stopped],
];

describe('tunnel state machine', () => {
  it.each(legal)('%s', (_name, from, event, policy, expected) => {
    const withBlocking =
      expected.state === 'connecting' || expected.state === 'disconnecting'
        ? { ...expected, blocking: policy.killSwitch || policy.lockdown }
        : expected;
    expect(transition(from, event, policy)).toEqual(withBlocking);
  });

  it('marks connecting and disconnecting as blocking exactly when the kill switch or lockdown is on', () => {
    expect(transition(disconnected, connectHome, killSwitch)).toMatchObject({ state: 'connecting', blocking: true });
    expect(transition(disconnected, connectHome, open)).toMatchObject({ state: 'connecting', blocking: false });
    expect(transition(connected, connectTor, lockdown)).toMatchObject({ state: 'disconnecting', blocking: true });
    expect(transition(connected, disconnect, open)).toMatchObject({ state: 'disconnecting', blocking: false });
  });

  it.each(illegal)('refuses %o + %o', (from, event) => {
    expect(() => transition(from, event, killSwitch)).toThrow(IllegalTransitionError);
  });

  it('covers every state × event pair as either legal or illegal', () => {
    const states = [disconnected, connecting, connected, disconnectingNothing, error];
    const events = [connectHome, disconnect, progress, up, failRetry, stopped, lockdownOn];
    for (const from of states) {
      for (const event of events) {
        const listed =
          legal.some(([, f, e]) => f.state === from.state && e.type === event.type) ||
          illegal.some(([f, e]) => f.state === from.state && e.type === event.type);
        expect(listed, `${from.state} + ${event.type} is not in a table`).toBe(true);
      }
    }
  });

  it('switching network always passes through disconnecting{reconnect}', () => {
    let state = transition(connected, connectTor, killSwitch);
    expect(state).toMatchObject({ state: 'disconnecting', then: 'reconnect', next: tor });
    state = transition(state, stopped, killSwitch);
    expect(state).toMatchObject({ state: 'connecting', target: tor });
  });
});

describe('kill switch blocking per state', () => {
  it('blocks while connecting and disconnecting only with the kill switch on', () => {
    expect(isBlocking(connecting, killSwitch)).toBe(true);
    expect(isBlocking(connecting, open)).toBe(false);
    expect(isBlocking(disconnectingReconnect, killSwitch)).toBe(true);
  });
  it('never blocks a connected tunnel, and blocks disconnected only under lockdown', () => {
    expect(isBlocking(connected, lockdown)).toBe(false);
    expect(isBlocking({ state: 'disconnected', lockedDown: true }, lockdown)).toBe(true);
    expect(isBlocking(disconnected, killSwitch)).toBe(false);
  });
  it('follows the error state own blocking flag', () => {
    expect(isBlocking(error, open)).toBe(true);
    expect(isBlocking({ ...error, blocking: false }, killSwitch)).toBe(false);
  });
});
