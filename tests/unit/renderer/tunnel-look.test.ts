// What the state chip and the Connect page say about blocking comes only from the host's own fields.
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../app/domain/index.js';
import { describeTunnel } from '../../../renderer/src/lib/tunnel-look.js';

const target: Target = { profileId: 'home', profileName: 'Home', network: 'wireguard' };

describe('describeTunnel', () => {
  it('shows the kill switch holding while connecting and switching when the host says so', () => {
    expect(describeTunnel({ state: 'connecting', target, attempt: 1, since: '2026-11-25T10:00:00.000Z', blocking: true }).blocking).toBe(true);
    expect(describeTunnel({ state: 'disconnecting', target, then: 'reconnect', next: target, blocking: true })).toMatchObject({ label: 'Switching', blocking: true });
  });
  it('does not claim blocking when the host does not', () => {
    expect(describeTunnel({ state: 'connecting', target, attempt: 1, since: '2026-11-25T10:00:00.000Z', blocking: false }).blocking).toBe(false);
    expect(describeTunnel({ state: 'connecting', target, attempt: 1, since: '2026-11-25T10:00:00.000Z' }).blocking).toBe(false);
    expect(describeTunnel({ state: 'disconnected', lockedDown: false }).blocking).toBe(false);
  });
});
