// Shared sample data for the Electron shell's tests: every tunnel state for every network, profiles,
// settings, network availability, and fake contract handlers that answer valid responses.
import { vi } from 'vitest';
import type { CommandHandlers, NetworkAvailability, Snapshot } from '../../../app/contract/index.js';
import {
  DEFAULT_SETTINGS,
  NETWORK_KINDS,
  NETWORK_LABELS,
  type NetworkKind,
  type ProfileSummary,
  type Settings,
  type Target,
  type TunnelState,
} from '../../../app/domain/index.js';

export const NOW = '2026-11-25T10:00:00.000Z';

export const PROFILE_IDS: Record<NetworkKind, string> = { wireguard: 'home-wg', tor: 'tor-default', nym: 'nym-main', dvpn: 'myst-1' };

export const PROFILES: ProfileSummary[] = [
  ...NETWORK_KINDS.map((network) => ({
    id: PROFILE_IDS[network],
    name: network === 'wireguard' ? 'Home & Office' : `${NETWORK_LABELS[network]} profile`,
    network,
    details: {},
    createdAt: NOW,
  })),
  { id: 'work-wg', name: 'Work', network: 'wireguard', details: {}, createdAt: NOW },
];

export const NETWORKS: NetworkAvailability[] = NETWORK_KINDS.map((network) => ({ network, label: NETWORK_LABELS[network], available: true }));

export const SETTINGS: Settings = DEFAULT_SETTINGS;

export function targetFor(network: NetworkKind): Target {
  const profile = PROFILES.find((p) => p.network === network);
  if (profile === undefined) throw new Error(`no profile for ${network}`);
  return { profileId: profile.id, profileName: profile.name, network };
}

/** Every state shape the contract allows, for one network. */
export function statesFor(network: NetworkKind): Record<string, TunnelState> {
  const target = targetFor(network);
  const other = targetFor(network === 'tor' ? 'wireguard' : 'tor');
  return {
    disconnected: { state: 'disconnected', lockedDown: false },
    'disconnected-locked': { state: 'disconnected', lockedDown: true },
    connecting: { state: 'connecting', target, attempt: 1, since: NOW },
    'connecting-progress': { state: 'connecting', target, attempt: 2, progress: { percent: 45, phase: 'bootstrap' }, since: NOW },
    connected: { state: 'connected', target, since: NOW, details: { exitIp: '198.51.100.7' } },
    'connected-no-ip': { state: 'connected', target, since: NOW, details: {} },
    'disconnecting-nothing': { state: 'disconnecting', target, then: 'nothing' },
    'disconnecting-block': { state: 'disconnecting', target, then: 'block' },
    'disconnecting-reconnect': { state: 'disconnecting', target: other, then: 'reconnect', next: target },
    'error-blocking': { state: 'error', cause: { code: 'handshake_timeout', message: 'No handshake in 20 s.' }, blocking: true, target },
    'error-open': { state: 'error', cause: { code: 'helper_failed', message: 'wireguard-go exited.' }, blocking: false, target },
    'error-no-target': { state: 'error', cause: { code: 'netd_unavailable', message: 'netd is not running.' }, blocking: true },
  };
}

export function snapshot(state: TunnelState = { state: 'disconnected', lockedDown: false }): Snapshot {
  return {
    state,
    settings: SETTINGS,
    profiles: PROFILES,
    networks: NETWORKS,
    versions: { burrow: '0.1.0', helpers: [] },
    notices: [],
  };
}

/** Contract handlers that record their calls and answer valid responses. */
export function fakeHandlers() {
  const connected: TunnelState = { state: 'connected', target: targetFor('wireguard'), since: NOW, details: {} };
  const handlers = {
    getSnapshot: vi.fn(() => Promise.resolve(snapshot())),
    listProfiles: vi.fn(() => Promise.resolve(PROFILES)),
    importProfile: vi.fn(() => Promise.resolve(PROFILES[0]!)),
    removeProfile: vi.fn((request: { id: string }) => Promise.resolve({ removed: request.id })),
    connect: vi.fn(() => Promise.resolve(connected)),
    disconnect: vi.fn(() => Promise.resolve({ state: 'disconnected', lockedDown: false } as TunnelState)),
    updateSettings: vi.fn((patch: Partial<Settings>) => Promise.resolve({ ...SETTINGS, ...patch })),
    runLeakTest: vi.fn(() => Promise.resolve({ verdicts: [] })),
    getHistory: vi.fn(() => Promise.resolve({ connections: [], leaks: [], measurements: [] })),
    getComparison: vi.fn(() => Promise.reject(new Error('not used'))),
    getLogs: vi.fn(() => Promise.resolve([])),
  };
  return handlers as typeof handlers & CommandHandlers;
}
