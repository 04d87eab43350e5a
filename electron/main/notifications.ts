// Which desktop notification (libnotify through Electron's Notification) a state change or a leak verdict
// deserves. Pure: index.ts shows what these return. Linux notification servers ignore actions, so a
// notification has none; clicking it opens the window. Anything that means "you are not protected" or
// "you are offline because of us" is critical and never times out: it must not vanish unseen.
import { NETWORK_LABELS, type LeakVerdict, type TunnelState } from '../../app/domain/index.js';

export interface NotificationSpec {
  readonly title: string;
  readonly body: string;
  readonly urgency: 'normal' | 'critical';
  readonly timeoutType: 'default' | 'never';
}

function critical(title: string, body: string): NotificationSpec {
  return { title, body, urgency: 'critical', timeoutType: 'never' };
}

function sameError(a: TunnelState, b: TunnelState): boolean {
  return (
    a.state === 'error' &&
    b.state === 'error' &&
    a.cause.code === b.cause.code &&
    a.blocking === b.blocking &&
    a.target?.profileId === b.target?.profileId
  );
}

/** The notification for going from `previous` to `next`, or null when the change is not worth one. */
export function notificationFor(previous: TunnelState | undefined, next: TunnelState): NotificationSpec | null {
  if (next.state === 'connected') {
    const already = previous?.state === 'connected' && previous.target.profileId === next.target.profileId;
    if (already) return null;
    const network = NETWORK_LABELS[next.target.network];
    const exit = next.details.exitIp === undefined ? '' : ` Exit IP ${next.details.exitIp}.`;
    return { title: `Connected to ${network}`, body: `Profile ${next.target.profileName}.${exit}`, urgency: 'normal', timeoutType: 'default' };
  }
  if (next.state === 'error') {
    if (previous !== undefined && sameError(previous, next)) return null;
    const network = next.target === undefined ? 'the network' : NETWORK_LABELS[next.target.network];
    if (next.cause.code === 'blocked_by_censor' && next.target?.network === 'tor') {
      return critical(
        'Tor seems blocked here',
        `${next.cause.message} Try a bridge (obfs4 or Snowflake) in Settings → Bridges.` +
          (next.blocking ? ' Traffic stays blocked until then.' : ''),
      );
    }
    if (next.blocking) {
      return critical(
        'Traffic blocked',
        `Burrow could not keep ${network} up: ${next.cause.message} The kill switch blocks all traffic until you reconnect or disconnect.`,
      );
    }
    return critical('Not protected', `Burrow could not connect to ${network}: ${next.cause.message} Your traffic is not going through a tunnel.`);
  }
  return null;
}

/** A leak verdict that found a leak is always worth a critical notification; passes are shown in the UI. */
export function notificationForLeak(verdict: LeakVerdict): NotificationSpec | null {
  if (verdict.verdict !== 'leaked') return null;
  const where = verdict.network === null ? '' : ` on ${NETWORK_LABELS[verdict.network]}`;
  return critical(`Leak found: ${LEAK_LABELS[verdict.test]}${where}`, verdict.summary);
}

const LEAK_LABELS: Readonly<Record<LeakVerdict['test'], string>> = {
  exitIp: 'exit IP',
  dns: 'DNS',
  ipv6: 'IPv6',
  webrtc: 'WebRTC',
  outOfTunnel: 'traffic outside the tunnel',
  killSwitch: 'kill switch',
};
