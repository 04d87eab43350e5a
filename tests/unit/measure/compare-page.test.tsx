// @vitest-environment jsdom
// The Compare page against a fake host: the table and the charts' numbers are the host's, "Measure all"
// shows pushed progress and can be cancelled, and an error from the host is shown word for word.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BurrowError, type Measurement } from '../../../app/domain/index.js';
import { buildComparison } from '../../../app/measure/build-comparison.js';
import { privacyFacts } from '../../../app/measure/facts.js';
import { scatterPoints, timeSeries } from '../../../renderer/src/pages/compare/chart-data.js';
import { FakeHost } from '../renderer/fake-host.js';
import { renderApp } from '../renderer/render-app.js';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const measurements: Measurement[] = [
  { id: 1, network: 'wireguard', profileId: 'vpn', kind: 'rtt', value: 1.25, unit: 'ms', conditions: { p95Ms: 2.5 }, measuredAt: '2026-01-01T10:00:00.000Z' },
  { id: 2, network: 'wireguard', profileId: 'vpn', kind: 'throughput', value: 231_400_000, unit: 'bit/s', conditions: { method: 'http' }, measuredAt: '2026-01-01T10:00:05.000Z' },
  { id: 3, network: 'tor', profileId: 'tor', kind: 'rtt', value: 30.5, unit: 'ms', conditions: { p95Ms: 44 }, measuredAt: '2026-01-01T10:01:00.000Z' },
  { id: 4, network: 'tor', profileId: 'tor', kind: 'throughput', value: 18_000_000, unit: 'bit/s', conditions: { method: 'http' }, measuredAt: '2026-01-01T10:01:05.000Z' },
  { id: 5, network: 'tor', profileId: 'tor', kind: 'bootstrapTime', value: 2750, unit: 'ms', conditions: {}, measuredAt: '2026-01-01T10:00:58.000Z' },
];

function hostWith(list: Measurement[]): FakeHost {
  return new FakeHost()
    .on('getComparison', () => buildComparison(privacyFacts(), list))
    .on('getHistory', () => ({ connections: [], leaks: [], measurements: [...list].reverse() }));
}

describe('chart data', () => {
  it('one series per network on a shared time axis, throughput in Mbit/s, nothing invented', () => {
    const comparison = buildComparison(privacyFacts(), measurements);
    const rtt = timeSeries(measurements, 'rtt', comparison.rows);
    expect(rtt.times.map((t) => t.toISOString())).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T10:01:00.000Z']);
    expect(rtt.series).toEqual([
      { id: 'wireguard', label: 'WireGuard VPN', data: [1.25, null] },
      { id: 'tor', label: 'Tor', data: [null, 30.5] },
    ]);
    expect(timeSeries(measurements, 'throughput', comparison.rows).points.map((p) => p.value)).toEqual([231.4, 18]);
    expect(scatterPoints(comparison.rows)).toEqual([
      { id: 'wireguard', label: 'WireGuard VPN', x: 231.4, y: 1 },
      { id: 'tor', label: 'Tor', x: 18, y: 2 },
    ]);
  });
});

describe('Compare page', () => {
  it('shows the measured numbers in the table and lists each chart’s numbers', async () => {
    renderApp(hostWith(measurements), 'compare');
    // Picture first: the overview with one card per network, before any sentence.
    const overview = await screen.findByTestId('compare-overview');
    expect(within(within(overview).getByTestId('glance-wireguard')).getByTestId('glance-download').textContent).toBe('231 Mbit/s');
    fireEvent.click(screen.getByText('Every fact and number, in sentences, with sources'));
    const table = await screen.findByRole('table', { name: 'Networks compared' });
    const throughputRow = within(table).getByTestId('measured-throughput');
    expect(within(throughputRow).getByText('231 Mbit/s (http)')).toBeTruthy();
    expect(within(throughputRow).getByText('18.0 Mbit/s (http)')).toBeTruthy();
    expect(within(table).getByText('Who sees your IP address')).toBeTruthy();
    expect(within(table).getByTestId('privacy-tor').textContent).toMatch(/^2 — /);
    expect((await screen.findByTestId('compare-findings')).textContent).toContain('WireGuard VPN was fastest (231 Mbit/s), 13× faster than Tor');
    const rtt = screen.getByTestId('chart-rtt');
    expect(within(rtt).getAllByTestId('chart-value').map((row) => row.textContent)).toEqual([
      expect.stringMatching(/^WireGuard VPN.*1\.25 ms$/) as string,
      expect.stringMatching(/^Tor.*30\.5 ms$/) as string,
    ]);
    expect(within(screen.getByTestId('chart-throughput')).getAllByTestId('chart-value')).toHaveLength(2);
    expect(within(screen.getByTestId('chart-privacy-speed')).getAllByTestId('chart-value').map((r) => r.textContent)).toEqual([
      'WireGuard VPN231.4 Mbit/sprivacy 1',
      'Tor18 Mbit/sprivacy 2',
    ]);
  });

  it('Measure all: progress from the host’s events, Cancel asks the host, and the page reloads after', async () => {
    let finish: (() => void) | undefined;
    const list: Measurement[] = [];
    const host = hostWith(list);
    host.on('measureAll', () => new Promise((resolve) => {
      finish = () => {
        list.push(...measurements);
        resolve({ runId: 'r1', measurements, skipped: [], problems: [], cancelled: true, returnedTo: { state: 'disconnected', lockedDown: false }, startedAt: '2026-01-01T10:00:00.000Z', finishedAt: '2026-01-01T10:02:00.000Z' });
      };
    }));
    host.on('cancelMeasurement', () => {
      finish?.();
      return { cancelled: true };
    });
    renderApp(host, 'compare');
    await screen.findByTestId('compare-nothing-measured');
    fireEvent.click(screen.getByRole('button', { name: 'Measure all' }));
    await screen.findByTestId('measure-progress');
    act(() => host.emit('measureProgress', { runId: 'r1', step: 2, of: 3, profileId: 'tor', profileName: 'Lab Tor', network: 'tor', phase: 'rtt', percent: 40, message: 'Round trip 8 of 20' }));
    expect(screen.getByTestId('measure-progress').textContent).toContain('Step 2 of 3 — Lab Tor: round trips (40%)');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect((await screen.findByTestId('measure-result')).textContent).toContain('Cancelled: 5 measurements stored.');
    expect(host.callsOf('cancelMeasurement')).toHaveLength(1);
    await waitFor(() => expect(within(screen.getByTestId('chart-rtt')).getAllByTestId('chart-value')).toHaveLength(2));
  });

  it('a refusal from the host is shown as it was said', async () => {
    const host = hostWith([]).on('measureAll', () => {
      throw new BurrowError('invalid_request', 'Measurements need a server to measure against: set the leak server first.');
    });
    renderApp(host, 'compare');
    fireEvent.click(await screen.findByRole('button', { name: 'Measure all' }));
    expect((await screen.findByTestId('measure-error')).textContent).toBe('Measurements need a server to measure against: set the leak server first.');
  });
});
