// How a tunnel state reads to a person: a short label, a colour, whether traffic is blocked, a sentence.
import type { TunnelState } from '../../../app/domain/index.js';
import { NETWORK_LABELS } from '../../../app/domain/index.js';

export type Tone = 'success' | 'error' | 'warning' | 'info' | 'default';

export interface TunnelLook {
  label: string;
  tone: Tone;
  /** The host says the firewall holds all traffic (lockdown, or the kill switch after a failure). Only the
   *  host's own fields set it; the renderer never infers blocking from settings. */
  blocking: boolean;
  sentence: string;
}

export function describeTunnel(state: TunnelState): TunnelLook {
  switch (state.state) {
    case 'disconnected':
      return state.lockedDown
        ? { label: 'Disconnected', tone: 'warning', blocking: true, sentence: 'Lockdown is on: all traffic is blocked until you connect or turn lockdown off.' }
        : { label: 'Disconnected', tone: 'error', blocking: false, sentence: 'Your traffic leaves through your own connection, unprotected.' };
    case 'connecting':
      return {
        label: 'Connecting',
        tone: 'info',
        blocking: state.blocking === true,
        sentence: `Connecting to ${state.target.profileName} (${NETWORK_LABELS[state.target.network]})${state.attempt > 1 ? `, attempt ${state.attempt}` : ''}.`,
      };
    case 'connected':
      return {
        label: 'Connected',
        tone: 'success',
        blocking: false,
        sentence: `Your traffic leaves through ${NETWORK_LABELS[state.target.network]} (${state.target.profileName}).`,
      };
    case 'disconnecting':
      return {
        label: state.then === 'reconnect' ? 'Switching' : 'Disconnecting',
        tone: 'info',
        blocking: state.blocking === true,
        sentence:
          state.then === 'reconnect' && state.next
            ? `Leaving ${state.target.profileName} for ${state.next.profileName} (${NETWORK_LABELS[state.next.network]}).`
            : `Disconnecting from ${state.target.profileName}.`,
      };
    case 'error':
      return state.blocking
        ? { label: 'Blocked', tone: 'error', blocking: true, sentence: 'Connecting failed. The kill switch blocks all traffic until you connect again or disconnect.' }
        : { label: 'Error', tone: 'warning', blocking: false, sentence: 'Connecting failed. Traffic is not blocked.' };
  }
}
