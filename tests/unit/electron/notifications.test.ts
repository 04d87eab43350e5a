import { describe, expect, it } from 'vitest';
import { NETWORK_KINDS, type LeakVerdict, type TunnelState } from '../../../app/domain/index.js';
import { notificationFor, notificationForLeak } from '../../../electron/main/notifications.js';
import { NOW, statesFor, targetFor } from './fixtures.js';

describe('notificationFor', () => {
  it.each(NETWORK_KINDS)('%s: connected is a normal notification with the exit IP', (network) => {
    const s = statesFor(network);
    const spec = notificationFor(s.connecting, s.connected!);
    expect(spec).toMatchObject({ urgency: 'normal', timeoutType: 'default' });
    expect(spec?.title).toMatch(/^Connected to /);
    expect(spec?.body).toContain('198.51.100.7');
    expect(notificationFor(s.connected, s['connected-no-ip']!)).toBeNull(); // same profile: no repeat
  });

  it.each(NETWORK_KINDS)('%s: blocked and open errors are critical and never time out', (network) => {
    const s = statesFor(network);
    const blocked = notificationFor(s.connected, s['error-blocking']!);
    expect(blocked).toMatchObject({ title: 'Traffic blocked', urgency: 'critical', timeoutType: 'never' });
    const open = notificationFor(s.connecting, s['error-open']!);
    expect(open).toMatchObject({ title: 'Not protected', urgency: 'critical', timeoutType: 'never' });
    expect(open?.body).toContain('not going through a tunnel');
    // The same error again is not repeated.
    expect(notificationFor(s['error-blocking'], s['error-blocking']!)).toBeNull();
  });

  it('Tor blocked by a censor suggests a bridge', () => {
    const state: TunnelState = {
      state: 'error',
      cause: { code: 'blocked_by_censor', message: 'Tor could not reach any relay.' },
      blocking: true,
      target: targetFor('tor'),
    };
    const spec = notificationFor(statesFor('tor').connecting, state);
    expect(spec).toMatchObject({ title: 'Tor seems blocked here', urgency: 'critical', timeoutType: 'never' });
    expect(spec?.body).toMatch(/bridge/);
  });

  it('switching profile announces the new connection', () => {
    const from = statesFor('tor').connected!;
    const to = statesFor('wireguard').connected!;
    expect(notificationFor(from, to)?.title).toBe('Connected to WireGuard VPN');
  });

  it('says nothing about states the person caused or that pass by', () => {
    const s = statesFor('nym');
    expect(notificationFor(s.connected, s['disconnecting-nothing']!)).toBeNull();
    expect(notificationFor(s['disconnecting-nothing'], s.disconnected!)).toBeNull();
    expect(notificationFor(s.disconnected, s.connecting!)).toBeNull();
    expect(notificationFor(undefined, s['disconnected-locked']!)).toBeNull();
  });
});

describe('notificationForLeak', () => {
  const verdict = (v: LeakVerdict['verdict']): LeakVerdict => ({
    test: 'dns',
    verdict: v,
    summary: 'Your DNS queries reached 192.0.2.53 outside the tunnel.',
    evidence: {},
    network: 'wireguard',
    ranAt: NOW,
    durationMs: 1200,
  });

  it('a leak is critical and never times out', () => {
    expect(notificationForLeak(verdict('leaked'))).toEqual({
      title: 'Leak found: DNS on WireGuard VPN',
      body: 'Your DNS queries reached 192.0.2.53 outside the tunnel.',
      urgency: 'critical',
      timeoutType: 'never',
    });
  });

  it('passes and untested results are shown in the UI only', () => {
    expect(notificationForLeak(verdict('passed'))).toBeNull();
    expect(notificationForLeak(verdict('not_tested'))).toBeNull();
  });
});
