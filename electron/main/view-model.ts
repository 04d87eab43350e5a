// What the main process itself shows (tray, notifications): the host's snapshot kept current by events.
// The host stays the only source of truth; this is a read-only mirror, never asked to decide anything.
import type { EventName, NetworkAvailability, Snapshot } from '../../app/contract/index.js';
import type { LeakVerdict, ProfileSummary, Settings, TunnelState } from '../../app/domain/index.js';

export interface DesktopView {
  readonly state: TunnelState;
  readonly settings: Settings;
  readonly profiles: readonly ProfileSummary[];
  readonly networks: readonly NetworkAvailability[];
}

export function viewFromSnapshot(snapshot: Snapshot): DesktopView {
  return { state: snapshot.state, settings: snapshot.settings, profiles: snapshot.profiles, networks: snapshot.networks };
}

export type ViewChange =
  | { kind: 'state'; previous: TunnelState; view: DesktopView }
  | { kind: 'settings' | 'profiles'; view: DesktopView }
  | { kind: 'leak'; verdict: LeakVerdict; view: DesktopView }
  | { kind: 'none'; view: DesktopView };

/** Fold one host event into the view. Payloads come from the in-process host, already contract-shaped. */
export function applyEvent(view: DesktopView, event: EventName, payload: unknown): ViewChange {
  switch (event) {
    case 'state':
      return { kind: 'state', previous: view.state, view: { ...view, state: payload as TunnelState } };
    case 'settings':
      return { kind: 'settings', view: { ...view, settings: payload as Settings } };
    case 'profiles':
      return { kind: 'profiles', view: { ...view, profiles: payload as ProfileSummary[] } };
    case 'leakResult':
      return { kind: 'leak', verdict: payload as LeakVerdict, view };
    case 'log':
    case 'measureProgress':
    case 'dvpnRegistration':
      return { kind: 'none', view };
  }
}
