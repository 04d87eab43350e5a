// @vitest-environment jsdom
// The autostart switch on the Settings page (issue 18, item 7): it asks the host, and moves only when the
// host's `settings` event says so (the desktop shell then writes or removes the autostart entry).
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeHost, makeSnapshot } from './fake-host.js';
import { renderApp } from './render-app.js';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

describe('Settings page: start when I log in', () => {
  it('is off by default, sends { autostart: true }, and follows the host', async () => {
    const host = new FakeHost().on('updateSettings', () => makeSnapshot().settings);
    renderApp(host, 'settings');
    const toggle = await screen.findByRole<HTMLInputElement>('switch', { name: 'Start when I log in' });
    expect(toggle.checked).toBe(false);
    fireEvent.click(toggle);
    await waitFor(() => expect(host.callsOf('updateSettings')).toEqual([{ autostart: true }]));
    act(() => host.emit('settings', { ...makeSnapshot().settings, autostart: true }));
    expect(screen.getByRole<HTMLInputElement>('switch', { name: 'Start when I log in' }).checked).toBe(true);
  });
});
