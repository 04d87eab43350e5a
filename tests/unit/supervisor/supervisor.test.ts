// The supervisor running drivers: the order of firewall and driver work, switching, retries, loss.
// The driver here is a scripted test double: the supervisor's logic is under test, not a network.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BurrowError, type ConnectionDetails, type TunnelState } from '../../../app/domain/index.js';
import type { DriverSession, NetworkDriver, StoredProfile } from '../../../app/supervisor/driver.js';
import { Supervisor } from '../../../app/supervisor/supervisor.js';
import { NETD_AWAY } from '../../../app/contract/index.js';
import { createNetdClient } from '../../../app/netd/client.js';

type Script = (session: DriverSession, attempt: number) => Promise<ConnectionDetails>;

class ScriptedDriver implements NetworkDriver {
  readonly calls: string[] = [];
  sessions: DriverSession[] = [];
  private attempts = 0;
  constructor(
    readonly network: 'wireguard' | 'tor',
    private readonly script: Script,
  ) {}
  availability() {
    return Promise.resolve({ available: true });
  }
  prepare(profile: StoredProfile) {
    this.calls.push(`prepare:${profile.id}`);
    return Promise.resolve();
  }
  connect(profile: StoredProfile, session: DriverSession) {
    this.calls.push(`connect:${profile.id}`);
    this.sessions.push(session);
    return this.script(session, ++this.attempts);
  }
  disconnect() {
    this.calls.push('disconnect');
    return Promise.resolve();
  }
  status() {
    return Promise.resolve('down' as const);
  }
  stats() {
    return Promise.resolve({ bytesIn: 0, bytesOut: 0 });
  }
}

const wgProfile: StoredProfile = { id: 'home', name: 'Home', network: 'wireguard', config: {}, secrets: {} };
const torProfile: StoredProfile = { id: 'tor', name: 'Tor', network: 'tor', config: {}, secrets: {} };

function setup(drivers: NetworkDriver[], policy = { killSwitch: true, lockdown: false }) {
  const states: TunnelState[] = [];
  const journal: string[] = [];
  const supervisor = new Supervisor({
    drivers: new Map(drivers.map((driver) => [driver.network, driver])),
    policy: () => policy,
    onState: (state) => states.push(state),
    log: () => undefined,
    firewall: {
      enforce: (state) => {
        journal.push(`firewall:${state.state}`);
        return Promise.resolve();
      },
    },
  });
  return { supervisor, states, journal };
}

const up = (): Promise<ConnectionDetails> => Promise.resolve({ interface: 'wg0' });

describe('Supervisor', () => {
  it('enforces the firewall for connecting before the driver connects, then settles connected', async () => {
    const driver = new ScriptedDriver('wireguard', up);
    const { supervisor, states, journal } = setup([driver]);
    const origConnect = driver.connect.bind(driver);
    driver.connect = (profile, session) => {
      journal.push('driver:connect');
      return origConnect(profile, session);
    };
    supervisor.connect(wgProfile);
    const settled = await supervisor.settled();
    expect(settled.state).toBe('connected');
    expect(states.map((state) => state.state)).toEqual(['connecting', 'connected']);
    expect(journal.indexOf('firewall:connecting')).toBeLessThan(journal.indexOf('driver:connect'));
  });

  it('switches network through disconnecting{reconnect}, tearing the first tunnel down first', async () => {
    const wg = new ScriptedDriver('wireguard', up);
    const torDriver = new ScriptedDriver('tor', () => Promise.resolve({ exitIp: '10.0.4.16' }));
    const { supervisor, states } = setup([wg, torDriver]);
    supervisor.connect(wgProfile);
    await supervisor.settled();
    supervisor.connect(torProfile);
    // Settled fires at once while connected→disconnecting is under way; wait for Tor.
    await expect.poll(() => supervisor.current.state === 'connected' && 'target' in supervisor.current && supervisor.current.target.network).toBe('tor');
    expect(states.map((state) => state.state)).toEqual(['connecting', 'connected', 'disconnecting', 'connecting', 'connected']);
    expect(states[2]).toMatchObject({ then: 'reconnect', next: { profileId: 'tor' } });
    expect(wg.calls).toContain('disconnect');
    expect(torDriver.calls).toEqual(['prepare:tor', 'connect:tor']);
  });

  it('retries a retriable failure and connects on the next attempt', async () => {
    const driver = new ScriptedDriver('wireguard', (_session, attempt) =>
      attempt === 1 ? Promise.reject(new BurrowError('handshake_timeout', 'No handshake within 10 s.')) : up(),
    );
    const { supervisor, states } = setup([driver]);
    supervisor.connect(wgProfile);
    await expect.poll(() => supervisor.current.state, { timeout: 5000 }).toBe('connected');
    expect(states.filter((state) => state.state === 'connecting').map((state) => state.state === 'connecting' && state.attempt)).toEqual([1, 2]);
  });

  it('ends in a blocking error when a failure cannot be fixed by retrying', async () => {
    const driver = new ScriptedDriver('wireguard', () => Promise.reject(new BurrowError('invalid_profile', 'The key is bad.')));
    const { supervisor } = setup([driver]);
    supervisor.connect(wgProfile);
    await expect.poll(() => supervisor.current.state).toBe('error');
    expect(supervisor.current).toMatchObject({ state: 'error', blocking: true, cause: { code: 'invalid_profile', message: 'The key is bad.' } });
    expect(driver.calls.at(-1)).toBe('disconnect');
  });

  it('does not block after an error when the kill switch is off', async () => {
    const driver = new ScriptedDriver('wireguard', () => Promise.reject(new BurrowError('invalid_profile', 'bad')));
    const { supervisor } = setup([driver], { killSwitch: false, lockdown: false });
    supervisor.connect(wgProfile);
    await expect.poll(() => supervisor.current.state).toBe('error');
    expect(supervisor.current).toMatchObject({ blocking: false });
  });

  it('reconnects by itself when an established tunnel is lost', async () => {
    const driver = new ScriptedDriver('wireguard', up);
    const { supervisor, states } = setup([driver]);
    supervisor.connect(wgProfile);
    await supervisor.settled();
    driver.sessions[0]?.lost({ code: 'helper_failed', message: 'wireguard-go exited.' });
    await expect.poll(() => states.length).toBe(4);
    expect(states.map((state) => state.state)).toEqual(['connecting', 'connected', 'connecting', 'connected']);
  });

  it('a tunnel lost because netd went away (systemd restarting it) is reconnected once netd is back, not left in error', async () => {
    const awayNetd = createNetdClient(join(tmpdir(), `no-netd-${process.pid}.sock`));
    const driver = new ScriptedDriver('wireguard', async (_session, attempt) => {
      // The first reconnect finds no socket yet (the real client's error); the next one finds netd back.
      if (attempt === 2) await awayNetd.call('firewallStatus', {});
      return up();
    });
    const { supervisor, states } = setup([driver]);
    supervisor.connect(wgProfile);
    await supervisor.settled();
    driver.sessions[0]?.lost({ code: 'netd_unavailable', message: 'Burrow lost contact with netd.', evidence: { ...NETD_AWAY } });
    await expect.poll(() => states.map((state) => state.state), { timeout: 5000 }).toEqual(['connecting', 'connected', 'connecting', 'connecting', 'connected']);
  });

  it('a host that runs without netd is told so once, not retried', async () => {
    const driver = new ScriptedDriver('wireguard', () => Promise.reject(new BurrowError('netd_unavailable', 'System-wide Tor needs netd, and this host runs without it.')));
    const { supervisor } = setup([driver]);
    supervisor.connect(wgProfile);
    await expect.poll(() => supervisor.current.state).toBe('error');
    expect(driver.calls.filter((call) => call.startsWith('connect:'))).toHaveLength(1);
  });

  it('ignores reports from an attempt the user cancelled', async () => {
    let release: (details: ConnectionDetails) => void = () => undefined;
    const driver = new ScriptedDriver('wireguard', (session) => {
      session.progress({ percent: 10, phase: 'starting' });
      return new Promise((resolve) => (release = resolve));
    });
    const { supervisor } = setup([driver]);
    supervisor.connect(wgProfile);
    await expect.poll(() => driver.sessions.length).toBe(1);
    supervisor.disconnect();
    await expect.poll(() => supervisor.current.state).toBe('disconnected');
    expect(driver.sessions[0]?.signal.aborted).toBe(true);
    release({ interface: 'late' });
    driver.sessions[0]?.progress({ percent: 90, phase: 'late' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(supervisor.current).toEqual({ state: 'disconnected', lockedDown: false });
  });

  it('answers not_implemented for a network without a driver, as an error state', async () => {
    const { supervisor } = setup([]);
    supervisor.connect(torProfile);
    await expect.poll(() => supervisor.current.state).toBe('error');
    expect(supervisor.current).toMatchObject({ cause: { code: 'not_implemented' } });
  });
});
