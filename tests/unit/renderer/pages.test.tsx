// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BurrowError } from '../../../app/domain/index.js';
import { FakeHost, makeSnapshot } from './fake-host.js';
import { renderApp } from './render-app.js';

const profile = {
  id: 'home-vpn',
  name: 'Home VPN',
  network: 'wireguard',
  details: { endpoint: '203.0.113.5:51820' },
  createdAt: '2026-11-25T10:00:00.000Z',
} as const;
const target = { profileId: 'home-vpn', profileName: 'Home VPN', network: 'tor' } as const;

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

describe('Connect page', () => {
  it('shows the state the host pushes, with progress, details and an error cause', async () => {
    const host = new FakeHost();
    renderApp(host);
    const status = await screen.findByTestId('tunnel-state');
    expect(status.textContent).toBe('Disconnected');
    expect(screen.getByTestId('state-chip').textContent).toBe('Disconnected');

    act(() => host.emit('state', { state: 'connecting', target, attempt: 1, since: '2026-11-25T10:00:00.000Z', progress: { percent: 45, phase: 'Building circuits' } }));
    expect(status.textContent).toBe('Connecting');
    expect(screen.getByTestId('connect-progress').textContent).toBe('Building circuits (45%)');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();

    act(() =>
      host.emit('state', { state: 'connected', target, since: new Date().toISOString(), details: { exitIp: '198.51.100.7', extra: { Circuit: 'guard → middle → exit' } } }),
    );
    expect(status.textContent).toBe('Connected');
    const details = screen.getByLabelText('Connection details');
    expect(within(details).getByText('198.51.100.7')).toBeTruthy();
    // The circuit is a small table of hops, not a key and an arrow string.
    const hops = screen.getByRole('table', { name: 'Circuit hops' });
    expect(within(hops).getAllByRole('row').slice(1).map((row) => row.textContent)).toEqual(['Guard (entry)guardunknown', 'Middlemiddleunknown', 'Exitexitunknown']);

    act(() => host.emit('state', { state: 'error', blocking: true, target, cause: { code: 'handshake_timeout', message: 'No handshake from 203.0.113.5 within 10 s.' } }));
    expect(status.textContent).toBe('Blocked');
    expect(screen.getByTestId('error-cause').textContent).toContain('No handshake from 203.0.113.5 within 10 s.');
    expect(screen.getByTestId('blocking-indicator')).toBeTruthy();
  });

  it('sends connect and shows the host’s error, while the state stays what the host says', async () => {
    const host = new FakeHost().on('connect', () => {
      throw new BurrowError('no_profile', 'There is no profile to connect to. Import one first.');
    });
    renderApp(host);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('There is no profile to connect to. Import one first.')).toBeTruthy();
    expect(host.callsOf('connect')).toEqual([{ wait: false }]);
    expect(screen.getByTestId('tunnel-state').textContent).toBe('Disconnected');
  });

  it('connects the profile chosen in the picker', async () => {
    const host = new FakeHost(makeSnapshot({ profiles: [profile] })).on('connect', () => ({ state: 'disconnected', lockedDown: false }));
    renderApp(host);
    fireEvent.click(await screen.findByRole('button', { name: 'Connect' }));
    await waitFor(() => expect(host.callsOf('connect')).toEqual([{ profile: 'home-vpn', wait: false }]));
  });
});

describe('Settings page', () => {
  it('moves a switch only when the host pushes the new settings', async () => {
    const host = new FakeHost().on('updateSettings', () => makeSnapshot().settings);
    renderApp(host, 'settings');
    const killSwitch = await screen.findByRole<HTMLInputElement>('switch', { name: 'Kill switch' });
    expect(killSwitch.checked).toBe(true);
    fireEvent.click(killSwitch);
    await waitFor(() => expect(host.callsOf('updateSettings')).toEqual([{ killSwitch: false }]));
    expect(killSwitch.checked).toBe(true);
    act(() => host.emit('settings', { ...makeSnapshot().settings, killSwitch: false }));
    expect(screen.getByRole<HTMLInputElement>('switch', { name: 'Kill switch' }).checked).toBe(false);
  });

  it('shows why DNS servers were refused', async () => {
    const host = new FakeHost().on('updateSettings', () => makeSnapshot().settings);
    renderApp(host, 'settings');
    fireEvent.change(await screen.findByLabelText('DNS servers'), { target: { value: 'not-an-ip' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save dns servers' }));
    expect(await screen.findByText(/Invalid request for updateSettings: dns\.servers\.0/)).toBeTruthy();
    expect(host.callsOf('updateSettings')).toEqual([]);
  });
});

describe('Leak tests page', () => {
  it('says plainly that leak tests are not built, with no verdict', async () => {
    renderApp(new FakeHost(), 'leaks');
    fireEvent.click(await screen.findByRole('button', { name: 'Run all' }));
    const notice = await screen.findByTestId('leaks-not-built');
    expect(notice.textContent).toContain('Leak tests are not built yet');
    for (const chip of screen.getAllByTestId('leak-verdict')) expect(chip.textContent).toBe('No result yet');
  });

  it('shows the verdicts the host answers and pushes', async () => {
    const ranAt = '2026-11-25T10:00:00.000Z';
    const host = new FakeHost().on('runLeakTest', () => ({
      verdicts: [{ test: 'dns', verdict: 'leaked', summary: 'Your ISP resolver 192.0.2.53 saw the lookups.', evidence: { resolvers: ['192.0.2.53'] }, network: 'wireguard', ranAt, durationMs: 900 }],
    }));
    renderApp(host, 'leaks');
    fireEvent.click(await screen.findByRole('button', { name: 'Run all' }));
    const dns = await screen.findByTestId('leak-card-dns');
    await waitFor(() => expect(within(dns).getByTestId('leak-verdict').textContent).toBe('Leaked'));
    expect(within(dns).getByText('Your ISP resolver 192.0.2.53 saw the lookups.')).toBeTruthy();
    act(() => host.emit('leakResult', { test: 'ipv6', verdict: 'passed', summary: 'IPv6 is blocked.', evidence: {}, network: 'wireguard', ranAt, durationMs: 5 }));
    expect(within(screen.getByTestId('leak-card-ipv6')).getByTestId('leak-verdict').textContent).toBe('Passed');
  });
});

describe('Compare page', () => {
  it('says plainly that the comparison is not built', async () => {
    renderApp(new FakeHost(), 'compare');
    expect((await screen.findByTestId('compare-not-built')).textContent).toContain('The comparison is not built yet');
  });

  it('shows facts and says "not measured" rather than a number', async () => {
    const measured = { connectTimeMs: null, rttMedianMs: null, rttP95Ms: null, throughputBps: null, bootstrapTimeMs: null, measuredAt: null };
    const host = new FakeHost().on('getComparison', () => ({
      rows: [
        { network: 'wireguard', label: 'WireGuard VPN', facts: { whoSeesYourIp: { text: 'The VPN provider', source: 'https://example.org/vpn' } }, measured },
        { network: 'tor', label: 'Tor', facts: { whoSeesYourIp: { text: 'Only the entry relay' } }, measured },
      ],
    }));
    renderApp(host, 'compare');
    // The sentences are one click away.
    fireEvent.click(await screen.findByText('Every fact and number, in sentences, with sources'));
    const table = await screen.findByRole('table', { name: 'Networks compared' });
    expect(within(table).getByText('Only the entry relay')).toBeTruthy();
    expect(within(table).getAllByText('not measured').length).toBeGreaterThan(0);
    expect(screen.getByTestId('compare-nothing-measured')).toBeTruthy();
  });
});

describe('Profiles page', () => {
  it('shows the host’s import error verbatim and lists pushed profiles', async () => {
    const message = 'line 3: PostUp scripts are refused: they would run as root.';
    const host = new FakeHost().on('importProfile', () => {
      throw new BurrowError('invalid_profile', message);
    });
    renderApp(host, 'profiles');
    fireEvent.change(await screen.findByLabelText('Profile text'), { target: { value: '[Interface]\nPostUp = rm -rf /\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect((await screen.findByTestId('import-error')).textContent).toContain(message);
    act(() => host.emit('profiles', [profile]));
    expect(screen.getByRole('button', { name: 'Remove Home VPN' })).toBeTruthy();
  });
});

describe('Unreachable host', () => {
  it('replaces the app with the reason and a way to reconnect', async () => {
    const host = new FakeHost();
    renderApp(host);
    await screen.findByTestId('tunnel-state');
    act(() => host.drop('The connection to the Burrow host at 127.0.0.1:1 was lost.'));
    expect(screen.getByRole('heading', { name: 'Cannot reach the Burrow host' })).toBeTruthy();
    expect(screen.getByText('The connection to the Burrow host at 127.0.0.1:1 was lost.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    expect(await screen.findByTestId('tunnel-state')).toBeTruthy();
  });
});

describe('Theme', () => {
  it('toggles between light and dark and remembers the choice', async () => {
    renderApp(new FakeHost());
    const toggle = await screen.findByRole('button', { name: /Switch to (dark|light) theme/ });
    const before = document.documentElement.dataset['theme'];
    fireEvent.click(toggle);
    const after = document.documentElement.dataset['theme'];
    expect(after).not.toBe(before);
    expect(window.localStorage.getItem('burrow.theme')).toBe(after);
  });
});
