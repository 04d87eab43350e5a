// Keeps netd's lockdown flag (/var/lib/burrow/lockdown, read by burrow-early-boot-blocking.service) in step
// with the settings, so that lockdown holds from the next boot's first packet, before netd or the host run.
// The host calls this at start and whenever the settings change; netd writes only when something changed.
import type { Settings } from '../domain/index.js';
import type { NetdClient } from './client.js';

export async function syncLockdownFlag(
  netd: NetdClient,
  settings: Pick<Settings, 'lockdown' | 'allowLan'>,
): Promise<{ lockdown: boolean; changed: boolean }> {
  return netd.call('setLockdownFlag', { lockdown: settings.lockdown, allowLan: settings.allowLan });
}
