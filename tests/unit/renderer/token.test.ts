// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { takeAccessToken } from '../../../renderer/src/host/token.js';
import { apiUrlFor } from '../../../renderer/src/host/websocket-link.js';

afterEach(() => window.sessionStorage.clear());

describe('access token', () => {
  it('takes the token from the URL, hides it, and keeps it for a reload of this tab', () => {
    window.history.replaceState(null, '', '/?token=abc_DEF-123#/settings');
    expect(takeAccessToken()).toBe('abc_DEF-123');
    expect(window.location.search).toBe('');
    expect(window.location.hash).toBe('#/settings');
    expect(takeAccessToken()).toBe('abc_DEF-123');
  });

  it('refuses a token with characters a host never prints', () => {
    window.history.replaceState(null, '', '/?token=%3Cscript%3E');
    expect(takeAccessToken()).toBeUndefined();
    expect(window.location.search).toBe('');
  });

  it('has none when the page was opened without one', () => {
    window.history.replaceState(null, '', '/');
    expect(takeAccessToken()).toBeUndefined();
  });

  it('talks to /api on the page’s own origin', () => {
    expect(apiUrlFor({ protocol: 'http:', host: '127.0.0.1:4567' } as Location)).toBe('ws://127.0.0.1:4567/api');
    expect(apiUrlFor({ protocol: 'https:', host: 'x:1' } as Location)).toBe('wss://x:1/api');
  });
});
