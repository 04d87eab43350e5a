// Changing a profile's own settings through the contract (updateProfile) and reading the Nym settings'
// cost (nymSettings), on a real in-process host with its store: what a person chose is what the host keeps,
// shows and gives the driver next time; anything else is refused with a sentence and changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../../app/contract/dispatch.js';
import { openStore } from '../../../app/store/index.js';
import { startTestHost, type TestHost } from './host-test-kit.js';

const KEY = '9vGDaW4wJ3ThjoNCmtFWhrMKxNaMkG7qNsxxf2CWNJQo';
const PROVIDER = `${KEY}.${KEY}@${KEY}`;
const NODE = '0xAbCdEf0123456789aBcDeF0123456789abcdef01';

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => t.close());

/** The error a front door would get (undefined: it was accepted). */
async function call(method: string, params: unknown): Promise<{ error?: { code: string; message: string } | undefined }> {
  const answer = await dispatchCall(t.host.handlers, 1, method, params);
  return { error: answer.ok ? undefined : answer.error };
}

describe('updateProfile and nymSettings', () => {
  it('Nym: the delay and cover traffic change in the stored profile, its facts and the stated cost', async () => {
    await t.host.handlers.importProfile({ content: `[nym]\nName = Mix\nProvider = ${PROVIDER}\n` });
    const before = await t.host.handlers.nymSettings({ profile: 'mix' });
    expect(before).toMatchObject({ averagePacketDelayMs: 15, coverTraffic: true, stated: { addedRoundTripMs: 90, coverPacketsPerSecond: 55, coverKibPerSecond: 110 }, measured: null });
    const pushed: unknown[] = [];
    t.host.onEvent((event, payload) => event === 'profiles' && pushed.push(payload));
    const summary = await t.host.handlers.updateProfile({ profile: 'Mix', nym: { averagePacketDelayMs: 50, coverTraffic: false } });
    expect(summary.details.mixing).toBe('50 ms mean per mix hop × 3 hops: about +300 ms per round trip, no cover traffic (the client sends only when you do: easier to observe)');
    expect(await t.host.handlers.nymSettings({ profile: 'mix' })).toMatchObject({ averagePacketDelayMs: 50, coverTraffic: false, stated: { addedRoundTripMs: 300, coverPacketsPerSecond: 0, coverKibPerSecond: 0 } });
    expect(pushed).toHaveLength(1);
    // Only the delay: the cover flag stays as it was.
    await t.host.handlers.updateProfile({ profile: 'mix', nym: { averagePacketDelayMs: 5 } });
    expect(await t.host.handlers.nymSettings({ profile: 'mix' })).toMatchObject({ averagePacketDelayMs: 5, coverTraffic: false });
  });

  it('dVPN: the chosen node is kept (lower case) and shown; null goes back to the best quality', async () => {
    await t.host.handlers.importProfile({ content: '[dvpn]\nName = My dVPN\nCountry = NL\n' });
    expect((await t.host.handlers.updateProfile({ profile: 'my-dvpn', dvpn: { node: NODE } })).details.node).toBe(NODE.toLowerCase());
    expect((await t.host.handlers.listProfiles({})).find((p) => p.id === 'my-dvpn')?.details.node).toBe(NODE.toLowerCase());
    expect((await t.host.handlers.updateProfile({ profile: 'my-dvpn', dvpn: { node: null, country: 'DE' } })).details.node).toBe('best quality in DE');
  });

  it('refuses the wrong network, a bad value, an unknown profile, and changes nothing', async () => {
    await t.host.handlers.importProfile({ content: `[nym]\nName = Mix\nProvider = ${PROVIDER}\n` });
    expect((await call('updateProfile', { profile: 'mix', dvpn: { node: NODE } })).error).toMatchObject({ code: 'invalid_request', message: '"Mix" is not a dVPN profile: it has no node to choose.' });
    expect((await call('updateProfile', { profile: 'mix', nym: { averagePacketDelayMs: 5000 } })).error?.message).toMatch(/at most 1000 ms per hop/);
    expect((await call('updateProfile', { profile: 'mix', nym: { coverTraffic: 'off' } })).error?.code).toBe('invalid_request');
    expect((await call('updateProfile', { profile: 'nope', nym: { coverTraffic: false } })).error?.code).toBe('not_found');
    expect((await call('updateProfile', { profile: 'mix', nym: {}, dvpn: {} })).error?.message).toMatch(/one network/);
    expect(await t.host.handlers.nymSettings({ profile: 'mix' })).toMatchObject({ averagePacketDelayMs: 15, coverTraffic: true });
  });

  it('nymSettings shows what Burrow measured through the profile, with the no-tunnel baseline', async () => {
    await t.host.handlers.importProfile({ content: `[nym]\nName = Mix\nProvider = ${PROVIDER}\n` });
    const at = '2026-12-01T10:00:00.000Z';
    // As Measure all stores them (a second handle on the host's database, as the CLI's tests do).
    const db = openStore(t.host.dataDir, () => new Date(at));
    db.results.addMeasurement({ network: null, profileId: null, kind: 'rtt', value: 12, unit: 'ms', conditions: {}, measuredAt: at });
    db.results.addMeasurement({ network: 'nym', profileId: 'mix', kind: 'rtt', value: 240, unit: 'ms', conditions: {}, measuredAt: at });
    db.results.addMeasurement({ network: 'nym', profileId: 'mix', kind: 'throughput', value: 2_500_000, unit: 'bit/s', conditions: {}, measuredAt: at });
    db.close();
    expect((await t.host.handlers.nymSettings({ profile: 'mix' })).measured).toEqual({ rttMs: 240, baselineRttMs: 12, throughputMbps: 2.5, measuredAt: at });
  });
});
