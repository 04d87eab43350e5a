// Inside Electron the preload defines `window.burrow` (BridgeApi): one function per command, one event feed.
import { createContractClient, type BridgeApi, type ContractTransport } from '../../../app/contract/index.js';
import type { HostLink } from './host-link.js';

export function createBridgeLink(bridge: BridgeApi): HostLink {
  return {
    description: 'the Burrow app',
    canReconnect: false,
    connect(callbacks) {
      const transport: ContractTransport = {
        call: (method, params) => bridge.commands[method](params),
        subscribe: (listener) => bridge.onEvent(listener),
      };
      let readySent = false;
      callbacks.open(createContractClient(transport), () => {
        if (readySent) return;
        readySent = true;
        bridge.ready();
      });
      return () => undefined;
    },
  };
}
