// In a browser: the contract over a WebSocket to `burrow host --web` at `/api?token=…` on the same origin.
import { createContractClient, createMessageConnection } from '../../../app/contract/index.js';
import { BurrowError } from '../../../app/domain/index.js';
import type { HostLink } from './host-link.js';

export interface WebSocketLinkOptions {
  /** `ws://127.0.0.1:1234/api` style address, without the token. */
  url: string;
  token: string | undefined;
  /** For tests: a WebSocket constructor other than the global one. */
  WebSocketImpl?: typeof WebSocket;
}

export function apiUrlFor(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api`;
}

export function createWebSocketLink(options: WebSocketLinkOptions): HostLink {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const host = new URL(options.url).host;
  return {
    description: `the Burrow host at ${host}`,
    canReconnect: true,
    connect(callbacks) {
      const address = options.token === undefined ? options.url : `${options.url}?token=${encodeURIComponent(options.token)}`;
      let socket: WebSocket;
      try {
        socket = new Impl(address);
      } catch (error) {
        callbacks.close(`The address ${options.url} is not usable: ${String(error)}`);
        return () => undefined;
      }
      let opened = false;
      let ended = false;
      const connection = createMessageConnection((text) => socket.send(text));

      socket.addEventListener('open', () => {
        opened = true;
        const client = createContractClient(connection.transport);
        callbacks.open(client, () => undefined);
      });
      socket.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data === 'string') connection.receive(event.data);
      });
      socket.addEventListener('close', (event: CloseEvent) => {
        if (ended) return;
        ended = true;
        const reason = explainClose(opened, options.token !== undefined, host, event);
        connection.fail(new BurrowError('host_unreachable', reason));
        callbacks.close(reason);
      });

      return () => {
        ended = true;
        connection.fail(new BurrowError('host_unreachable', 'The connection to the host was closed.'));
        socket.close();
      };
    },
  };
}

function explainClose(opened: boolean, hadToken: boolean, host: string, event: CloseEvent): string {
  if (opened) {
    const why = event.reason ? ` (${event.reason})` : '';
    return `The connection to the Burrow host at ${host} was lost${why}. It may have stopped or restarted.`;
  }
  if (!hadToken) {
    return `This page was opened without its access token, so the Burrow host at ${host} refuses it. Open the full address that \`burrow host --web\` printed.`;
  }
  return `Could not reach the Burrow host at ${host}, or it refused this page's access token. If the host was restarted, open the new address it printed.`;
}
