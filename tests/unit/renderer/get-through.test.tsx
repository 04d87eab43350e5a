// @vitest-environment jsdom
// The Get through page against a FakeHost: the probe's verdicts in words, and Smart connect's ladder.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyProvider } from '../../../renderer/src/notify/NotifyProvider.js';
import { GetThroughPage } from '../../../renderer/src/pages/get-through/GetThroughPage.js';
import { BurrowStore } from '../../../renderer/src/store/burrow-store.js';
import { StoreProvider } from '../../../renderer/src/store/store-context.js';
import { ThemeModeProvider } from '../../../renderer/src/theme/ThemeModeProvider.js';
import { FakeHost } from './fake-host.js';

afterEach(() => cleanup());

async function renderPage(host: FakeHost): Promise<void> {
  const store = new BurrowStore(host.link());
  store.start();
  // The page lives below the ready shell: the snapshot is there before it renders.
  await waitFor(() => expect(store.getView().snapshot).not.toBeNull());
  render(
    <StoreProvider store={store}>
      <ThemeModeProvider>
        <NotifyProvider>
          <GetThroughPage />
        </NotifyProvider>
      </ThemeModeProvider>
    </StoreProvider>,
  );
}

describe('Get through page', () => {
  it('shows each probe verdict with its sentence', async () => {
    const host = new FakeHost().on('probe', () => ({
      verdicts: [{ profile: 'lab-vpn', transport: 'wireguard', target: '10.9.3.2:51820', outcome: 'blocked', sentence: 'WireGuard handshakes to 10.9.3.2:51820 go unanswered after 3 initiations of 148 bytes: probably DPI or an address block.', evidence: { tries: 3 } }],
    }));
    await renderPage(host);
    fireEvent.click(await screen.findByRole('button', { name: 'Probe' }));
    const list = await screen.findByRole('list', { name: 'Probe verdicts' });
    expect(within(list).getByText('blocked')).toBeTruthy();
    expect(within(list).getByText(/go unanswered after 3 initiations of 148 bytes/)).toBeTruthy();
  });

  it('sends the chosen goal to Smart connect and shows the ladder it walked', async () => {
    const goals: unknown[] = [];
    const host = new FakeHost().on('smartConnect', (request) => {
      goals.push(request);
      return {
        goal: 'anonymous', rung: 'tor-obfs4', profile: 'lab-obfs4', startedAt: 'tor', missing: ['nym'],
        steps: [
          { rung: 'tor', index: 0, of: 2, status: 'trying', sentence: 'Trying Tor (1 of 2)…' },
          { rung: 'tor', index: 0, of: 2, status: 'blocked', sentence: 'Tor does not get through here.', ms: 60_000 },
          { rung: 'tor-obfs4', index: 1, of: 2, status: 'trying', sentence: 'Trying Tor over obfs4 (2 of 2)…' },
          { rung: 'tor-obfs4', index: 1, of: 2, status: 'through', sentence: 'Connected with Tor over obfs4.', ms: 3_200 },
        ],
        sentence: 'Connected with Tor over obfs4.',
      };
    });
    await renderPage(host);
    fireEvent.click(await screen.findByRole('button', { name: 'Most anonymous' }));
    fireEvent.click(screen.getByRole('button', { name: 'Get me out' }));
    expect(await screen.findByText('Tor does not get through here.')).toBeTruthy();
    expect(screen.getByText('60.0 s')).toBeTruthy();
    expect(screen.getAllByText('Connected with Tor over obfs4.')).toHaveLength(2);
    expect(goals).toEqual([{ goal: 'anonymous' }]);
  });

  it('while probing it says why it takes long; after Smart connect it names the proxy-mode rungs it did not try', async () => {
    let answer: (value: { verdicts: [] }) => void = () => undefined;
    const host = new FakeHost()
      .on('probe', () => new Promise((resolve) => (answer = resolve)))
      .on('smartConnect', () => ({
        goal: 'fastest', rung: 'wireguard', profile: 'lab-vpn', startedAt: 'wireguard', missing: [], proxyOnly: ['tor'],
        steps: [{ rung: 'wireguard', index: 0, of: 1, status: 'through', sentence: 'Connected with WireGuard.', ms: 900 }],
        sentence: 'Connected with WireGuard.',
      }));
    await renderPage(host);
    fireEvent.click(await screen.findByRole('button', { name: 'Probe' }));
    expect(await screen.findByRole('progressbar', { name: 'Probing' })).toBeTruthy();
    expect(screen.getByText(/bootstrapped afresh/)).toBeTruthy();
    answer({ verdicts: [] });
    await waitFor(() => expect(screen.queryByRole('progressbar', { name: 'Probing' })).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Get me out' }));
    expect(await screen.findByText(/Not tried: tor\. Those profiles are in proxy mode/)).toBeTruthy();
  });
});
