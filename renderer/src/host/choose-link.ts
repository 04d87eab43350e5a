// One bundle, two front doors: the Electron preload bridge when it is there, else the host's WebSocket.
import type { HostLink } from './host-link.js';
import { createBridgeLink } from './bridge-link.js';
import { takeAccessToken } from './token.js';
import { apiUrlFor, createWebSocketLink } from './websocket-link.js';

export function chooseLink(): HostLink {
  if (window.burrow) return createBridgeLink(window.burrow);
  if (window.location.protocol !== 'http:' && window.location.protocol !== 'https:') {
    // Loaded by Electron (app://, file://) without the preload: nothing to talk to. Say so, never guess a host.
    return {
      description: 'the Burrow app',
      canReconnect: false,
      connect(callbacks) {
        callbacks.close('This window was opened without the Burrow bridge; start it through the Burrow app.');
        return () => undefined;
      },
    };
  }
  return createWebSocketLink({ url: apiUrlFor(window.location), token: takeAccessToken() });
}
