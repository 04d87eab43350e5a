// Shared pieces for netd's unit tests: a valid wgUp request (keys made for these tests only) and a logger
// that keeps its lines, so a test can search them for a key.
import type { WgUpRequest } from '../../../app/contract/index.js';
import { createLogger, type Logger } from '../../../native/netd/log.js';

export const KEYS = {
  client: '2LLcz2HMkgTZZ3lXrqzpuPlnRHocpwc9rJOAjsicY08=',
  server: '27CrCvoMBbnaToSM0s3L3GeL+WX6qdeSUS40ThSwwh8=',
  psk: 'wpC0oaTE1ngjXenBEjZPnVza6ASXyND3VDDUtNtz1uA=',
};

export const hex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');

export function wgUp(overrides: Partial<WgUpRequest> = {}): WgUpRequest {
  return {
    ifname: 'burrow0',
    privateKey: KEYS.client,
    fwmark: 51820,
    mtu: 1420,
    addresses: ['10.64.0.2/32', 'fc00::2/128'],
    peers: [{ publicKey: KEYS.server, presharedKey: KEYS.psk, endpoint: { ip: '198.51.100.7', port: 51820 }, allowedIps: ['0.0.0.0/0', '::/0'], persistentKeepalive: 25 }],
    ...overrides,
  };
}

export function capturingLogger(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  return { logger: createLogger('debug', (line) => lines.push(line)), lines, text: () => lines.join('') };
}
