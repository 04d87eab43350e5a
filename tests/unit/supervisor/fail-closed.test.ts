// Issue 12 item 1: a firewall that cannot be applied never ends in a log line only. The supervisor is run
// with a firewall that refuses chosen states (as netd does when busy, restarting, or when a policy fails
// its schema) and a driver that records whether it was ever asked to work.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BurrowError, type TunnelState } from '../../../app/domain/index.js';
import type { NetworkDriver, StoredProfile } from '../../../app/supervisor/driver.js';
import { Supervisor } from '../../../app/supervisor/supervisor.js';

const profile: StoredProfile = { id: 'home', name: 'Home', network: 'wireguard', config: {}, secrets: {} };

function driver(): NetworkDriver & { connects: number } {
  return {
    network: 'wireguard',
    connects: 0,
    availability: () => Promise.resolve({ available: true }),
    prepare: () => Promise.resolve(),
    connect() {
      this.connects++;
      return Promise.resolve({ interface: 'burrow0' });
    },
    disconnect: () => Promise.resolve(),
    status: () => Promise.resolve('down' as const),
    stats: () => Promise.resolve({ bytesIn: 0, bytesOut: 0 }),
  };
}

/** refuse(state) true → the rules for that state "could not be verified". */
function setup(refuse: (state: TunnelState, call: number) => boolean, policy = { killSwitch: true, lockdown: false }) {
  const states: TunnelState[] = [];
  const applied: string[] = [];
  const logs: string[] = [];
  const wg = driver();
  let calls = 0;
  const supervisor = new Supervisor({
    drivers: new Map([['wireguard', wg]]),
    policy: () => policy,
    onState: (state) => states.push(state),
    log: (level, message) => logs.push(`${level}: ${message}`),
    firewall: {
      enforce: (state) => {
        calls++;
        if (refuse(state, calls)) return Promise.reject(new BurrowError('invalid_request', 'Refused firewall policy (tunnel): tunnelAddresses: too many.'));
        applied.push(state.state);
        return Promise.resolve();
      },
    },
  });
  return { supervisor, states, applied, logs, wg };
}

describe('Supervisor: fail closed when the rules cannot be applied', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never connects while the connecting rules are refused, and ends in error{blocking} with the reason', async () => {
    const { supervisor, states, wg } = setup((state) => state.state === 'connecting');
    supervisor.connect(profile);
    const answer = supervisor.settledWithRules();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(wg.connects).toBe(0);
    expect(states.some((state) => state.state === 'connected')).toBe(false);
    const final = await answer;
    expect(final).toMatchObject({ state: 'error', blocking: true, cause: { code: 'firewall_failed' } });
    expect(final.state === 'error' && final.cause.message).toMatch(/could not put the kill switch's rules for "connecting" in place \(Refused firewall policy/);
  });

  it('blocks after the failure even with the kill switch off (the strictest rules netd can still apply)', async () => {
    const { supervisor } = setup((state) => state.state === 'connecting', { killSwitch: false, lockdown: false });
    supervisor.connect(profile);
    const answer = supervisor.settledWithRules();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await answer).toMatchObject({ state: 'error', blocking: true, cause: { code: 'firewall_failed' } });
  });

  it('does not announce "connected" when the connected rules are refused', async () => {
    const { supervisor, states } = setup((state) => state.state === 'connected');
    supervisor.connect(profile);
    const answer = supervisor.settledWithRules();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(states.map((state) => state.state)).not.toContain('connected');
    expect(await answer).toMatchObject({ state: 'error', blocking: true, cause: { code: 'firewall_failed' } });
  });

  it('retries a refusal that goes away (netd restarting) and then connects', async () => {
    const { supervisor, wg } = setup((state, call) => state.state === 'connecting' && call === 1);
    supervisor.connect(profile);
    const answer = supervisor.settledWithRules();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await answer).toMatchObject({ state: 'connected' });
    expect(wg.connects).toBe(1);
  });

  it('leaves connected when a refresh of its rules fails, and the refresh rejects', async () => {
    let refuseNow = false;
    const { supervisor, states, logs } = setup((state) => refuseNow && state.state === 'connected');
    supervisor.connect(profile);
    const first = supervisor.settledWithRules();
    await vi.advanceTimersByTimeAsync(10);
    expect(await first).toMatchObject({ state: 'connected' });
    refuseNow = true;
    const refresh = supervisor.refreshFirewall();
    const refused = expect(refresh).rejects.toMatchObject({ code: 'firewall_failed' });
    await vi.advanceTimersByTimeAsync(10);
    await refused;
    expect(states.at(-1)?.state).not.toBe('connected');
    expect(logs.some((line) => line.startsWith('error: Burrow could not put the kill switch\'s rules for "connected"'))).toBe(true);
  });

  it('rejects a disconnect whose open rules could not be applied, rather than answering success', async () => {
    const { supervisor } = setup((state) => state.state === 'disconnected', { killSwitch: false, lockdown: false });
    supervisor.connect(profile);
    await vi.advanceTimersByTimeAsync(10);
    supervisor.disconnect();
    const answer = expect(supervisor.settledWithRules()).rejects.toMatchObject({ code: 'firewall_failed' });
    await vi.advanceTimersByTimeAsync(10);
    await answer;
  });
});
