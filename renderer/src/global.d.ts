import type { BridgeApi } from '../../app/contract/index.js';

declare global {
  interface Window {
    /** Defined by the Electron preload; absent in a plain browser. */
    readonly burrow?: BridgeApi;
  }
}
