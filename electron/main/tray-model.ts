// The tray menu as a pure function of what the host knows: state, settings, profiles, networks. Items
// carry an action descriptor instead of a closure, so a test compares whole menus and tray.ts maps every
// action onto the same contract handlers the UI and the CLI call.
import type { NetworkAvailability } from '../../app/contract/index.js';
import {
  NETWORK_KINDS,
  NETWORK_LABELS,
  type NetworkKind,
  type ProfileSummary,
  type Settings,
  type SettingsPatch,
  type Target,
  type TunnelState,
} from '../../app/domain/index.js';

export type TrayAction =
  | { readonly type: 'connect'; readonly profile?: string }
  | { readonly type: 'reconnect'; readonly profile: string }
  | { readonly type: 'disconnect' }
  | { readonly type: 'updateSettings'; readonly patch: SettingsPatch }
  | { readonly type: 'runLeakTest' }
  | { readonly type: 'open' }
  | { readonly type: 'quit' }
  | { readonly type: 'disconnectAndQuit' };

export type TrayMenuItem =
  | { readonly type: 'separator' }
  | {
      readonly type: 'normal' | 'radio' | 'checkbox';
      readonly id: string;
      readonly label: string;
      readonly enabled: boolean;
      readonly checked?: boolean;
      readonly action?: TrayAction;
    };

const SEPARATOR: TrayMenuItem = { type: 'separator' };

/** Menus treat '&' as a mnemonic marker: a profile called "Home & Office" must show its '&'. */
export function escapeMenuLabel(text: string): string {
  return text.replace(/&/g, '&&');
}

/** The target the state is about: where we are, are going, or failed to stay. */
export function targetOf(state: TunnelState): Target | undefined {
  switch (state.state) {
    case 'disconnected':
      return undefined;
    case 'disconnecting':
      return state.then === 'reconnect' && state.next !== undefined ? state.next : state.target;
    default:
      return state.target;
  }
}

export function statusLine(state: TunnelState): string {
  switch (state.state) {
    case 'disconnected':
      return state.lockedDown ? 'Disconnected — traffic blocked (lockdown)' : 'Disconnected — not protected';
    case 'connecting': {
      const percent = state.progress?.percent;
      return percent === undefined ? 'Connecting…' : `Connecting… ${Math.round(percent)}%`;
    }
    case 'connected':
      return 'Connected';
    case 'disconnecting':
      return state.then === 'reconnect' ? 'Switching…' : 'Disconnecting…';
    case 'error':
      return state.blocking ? `Blocked — ${state.cause.message}` : `Error — not protected: ${state.cause.message}`;
  }
}

function info(id: string, label: string): TrayMenuItem {
  return { type: 'normal', id, label: escapeMenuLabel(label), enabled: false };
}

function statusItems(state: TunnelState): TrayMenuItem[] {
  const target = targetOf(state);
  const items = [info('status', statusLine(state))];
  if (target !== undefined) {
    items.push(info('status-network', `Network: ${NETWORK_LABELS[target.network]}`));
    items.push(info('status-profile', `Profile: ${target.profileName}`));
  }
  if (state.state === 'connected' && state.details.exitIp !== undefined) {
    items.push(info('status-exit-ip', `Exit IP: ${state.details.exitIp}`));
  }
  return items;
}

/** The profile the radio group shows as chosen: the one we are on or heading to. */
function chosenProfileId(state: TunnelState): string | undefined {
  if (state.state === 'disconnected') return undefined;
  if (state.state === 'error' && !state.blocking) return undefined;
  return targetOf(state)?.profileId;
}

function networkItems(state: TunnelState, profiles: readonly ProfileSummary[], networks: readonly NetworkAvailability[]): TrayMenuItem[] {
  const chosen = chosenProfileId(state);
  const busy = state.state === 'disconnecting';
  const items: TrayMenuItem[] = [];
  for (const kind of orderedKinds(networks)) {
    const availability = networks.find((n) => n.network === kind);
    const label = availability?.label ?? NETWORK_LABELS[kind];
    const ofKind = profiles.filter((p) => p.network === kind);
    if (availability !== undefined && !availability.available) {
      items.push(info(`network-${kind}`, `${label} — ${availability.reason ?? 'not available'}`));
      continue;
    }
    if (ofKind.length === 0) {
      items.push(info(`network-${kind}`, `${label} — no profile imported`));
      continue;
    }
    for (const profile of ofKind) {
      const checked = profile.id === chosen;
      items.push({
        type: 'radio',
        id: `profile-${profile.id}`,
        label: escapeMenuLabel(`${label}: ${profile.name}`),
        enabled: !busy,
        checked,
        // Choosing the profile we are already on does nothing; any other goes through connect, which the
        // host runs as disconnecting{then: reconnect} with the firewall blocking in between.
        ...(checked ? {} : { action: { type: 'connect', profile: profile.id } as const }),
      });
    }
  }
  return items;
}

function orderedKinds(networks: readonly NetworkAvailability[]): NetworkKind[] {
  const listed = networks.map((n) => n.network);
  return [...listed, ...NETWORK_KINDS.filter((kind) => !listed.includes(kind))].filter((k, i, all) => all.indexOf(k) === i);
}

function commandItems(state: TunnelState, profiles: readonly ProfileSummary[]): TrayMenuItem[] {
  const target = targetOf(state);
  const canConnect = (state.state === 'disconnected' || state.state === 'error') && profiles.length > 0;
  const canDisconnect = state.state === 'connecting' || state.state === 'connected' || state.state === 'error';
  const reconnectTarget = state.state === 'connected' || state.state === 'error' ? target : undefined;
  return [
    {
      type: 'normal',
      id: 'connect',
      label: 'Connect',
      enabled: canConnect,
      // From an error, retry the profile that failed; otherwise the host's last-used profile.
      action: state.state === 'error' && target !== undefined ? { type: 'connect', profile: target.profileId } : { type: 'connect' },
    },
    { type: 'normal', id: 'disconnect', label: 'Disconnect', enabled: canDisconnect, action: { type: 'disconnect' } },
    reconnectTarget === undefined
      ? { type: 'normal', id: 'reconnect', label: 'Reconnect', enabled: false }
      : { type: 'normal', id: 'reconnect', label: 'Reconnect', enabled: true, action: { type: 'reconnect', profile: reconnectTarget.profileId } },
  ];
}

function settingItems(settings: Settings): TrayMenuItem[] {
  return [
    {
      type: 'checkbox',
      id: 'kill-switch',
      label: 'Kill switch',
      enabled: true,
      checked: settings.killSwitch,
      action: { type: 'updateSettings', patch: { killSwitch: !settings.killSwitch } },
    },
    {
      type: 'checkbox',
      id: 'lockdown',
      label: 'Lockdown (block when disconnected)',
      enabled: true,
      checked: settings.lockdown,
      action: { type: 'updateSettings', patch: { lockdown: !settings.lockdown } },
    },
    {
      type: 'checkbox',
      id: 'autostart',
      label: 'Start when I log in',
      enabled: true,
      checked: settings.autostart,
      action: { type: 'updateSettings', patch: { autostart: !settings.autostart } },
    },
  ];
}

export function buildTrayMenu(
  state: TunnelState,
  settings: Settings,
  profiles: readonly ProfileSummary[],
  networks: readonly NetworkAvailability[],
): TrayMenuItem[] {
  const settled = state.state !== 'connecting' && state.state !== 'disconnecting';
  return [
    ...statusItems(state),
    SEPARATOR,
    ...networkItems(state, profiles, networks),
    SEPARATOR,
    ...commandItems(state, profiles),
    SEPARATOR,
    ...settingItems(settings),
    SEPARATOR,
    { type: 'normal', id: 'leak-test', label: 'Run leak tests', enabled: settled, action: { type: 'runLeakTest' } },
    { type: 'normal', id: 'open', label: 'Open Burrow', enabled: true, action: { type: 'open' } },
    SEPARATOR,
    {
      type: 'normal',
      id: 'disconnect-and-quit',
      label: 'Disconnect && quit',
      enabled: state.state !== 'disconnected',
      action: { type: 'disconnectAndQuit' },
    },
    { type: 'normal', id: 'quit', label: 'Quit', enabled: true, action: { type: 'quit' } },
  ];
}

/** Tooltip for the tray icon: the status line plus where. */
export function trayTooltip(state: TunnelState): string {
  const target = targetOf(state);
  const where = target === undefined ? '' : ` (${NETWORK_LABELS[target.network]}: ${target.profileName})`;
  return `Burrow — ${statusLine(state)}${where}`;
}
