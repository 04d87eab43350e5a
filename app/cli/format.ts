// Readable text for people (the --json output is the contract's own data).
import { NETWORK_LABELS, type ProfileSummary, type Settings, type TunnelState } from '../domain/index.js';

export function statusSummary(state: TunnelState, settings: Settings) {
  const target = 'target' in state ? state.target : undefined;
  return {
    state: state.state,
    network: target?.network ?? null,
    profile: target?.profileName ?? null,
    profileId: target?.profileId ?? null,
    killSwitch: settings.killSwitch,
    lockdown: settings.lockdown,
    blocking: state.state === 'error' ? state.blocking : state.state === 'disconnected' ? state.lockedDown : undefined,
    exitIp: state.state === 'connected' ? (state.details.exitIp ?? null) : null,
    error: state.state === 'error' ? state.cause : null,
    tunnel: state,
  };
}

export function formatState(state: TunnelState): string {
  switch (state.state) {
    case 'disconnected':
      return state.lockedDown ? 'Disconnected — locked down: all traffic is blocked' : 'Disconnected';
    case 'connecting': {
      const progress = state.progress ? ` — ${state.progress.percent !== undefined ? `${state.progress.percent}% ` : ''}${state.progress.phase}` : '';
      return `Connecting to ${state.target.profileName} (${NETWORK_LABELS[state.target.network]}), attempt ${state.attempt}${progress}`;
    }
    case 'connected': {
      const exit = state.details.exitIp ? `, exit ${state.details.exitIp}` : '';
      return `Connected to ${state.target.profileName} (${NETWORK_LABELS[state.target.network]}) since ${state.since}${exit}`;
    }
    case 'disconnecting':
      return `Disconnecting from ${state.target.profileName}${state.next ? `, switching to ${state.next.profileName}` : ''}`;
    case 'error':
      return `Error: ${state.cause.message}${state.blocking ? '\nThe kill switch holds: traffic is blocked.' : ''}`;
  }
}

export function formatSettings(settings: Settings): string {
  const onOff = (value: boolean): string => (value ? 'on' : 'off');
  return [
    `killSwitch  ${onOff(settings.killSwitch)}`,
    `lockdown    ${onOff(settings.lockdown)}`,
    `allowLan    ${onOff(settings.allowLan)}`,
    `dns         ${settings.dns.servers.join(', ') || "the tunnel's own"}`,
    `leakServer  ${settings.leakServer.url || '(none set)'}${settings.leakServer.urlV6 ? `, IPv6 ${settings.leakServer.urlV6}` : ''}`,
  ].join('\n');
}

export function formatProfiles(profiles: ProfileSummary[]): string {
  if (profiles.length === 0) return 'No profiles yet. Import one with: burrow profile import FILE';
  return profiles.map((profile) => `${profile.id.padEnd(24)} ${NETWORK_LABELS[profile.network].padEnd(18)} ${profile.name}`).join('\n');
}
