// `burrow settings set KEY=VALUE ...` → a settings patch, with errors that name the bad pair.
import type { SettingsPatch } from '../domain/index.js';
import { UsageError } from './output.js';

const BOOLEAN_KEYS = { killswitch: 'killSwitch', lockdown: 'lockdown', allowlan: 'allowLan', autostart: 'autostart' } as const;

function parseBoolean(key: string, value: string): boolean {
  if (/^(on|true|yes|1)$/i.test(value)) return true;
  if (/^(off|false|no|0)$/i.test(value)) return false;
  throw new UsageError(`${key} takes on or off, not "${value}".`);
}

export function parseSettingsAssignments(pairs: string[]): SettingsPatch {
  if (pairs.length === 0) throw new UsageError('settings set needs at least one KEY=VALUE.');
  const patch: SettingsPatch = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`"${pair}" is not KEY=VALUE.`);
    const rawKey = pair.slice(0, equals);
    const key = rawKey.toLowerCase().replace(/[-_]/g, '');
    const value = pair.slice(equals + 1).trim();
    if (key in BOOLEAN_KEYS) {
      patch[BOOLEAN_KEYS[key as keyof typeof BOOLEAN_KEYS]] = parseBoolean(rawKey, value);
    } else if (key === 'dns') {
      patch.dns = { servers: value ? value.split(',').map((server) => server.trim()) : [] };
    } else if (key === 'leakserver') {
      patch.leakServer = { ...patch.leakServer, url: value };
    } else if (key === 'leakserverv6') {
      patch.leakServer = { ...patch.leakServer, urlV6: value };
    } else {
      throw new UsageError(`Unknown setting "${rawKey}". Settings: killSwitch, lockdown, allowLan, autostart, dns, leakServer, leakServerV6.`);
    }
  }
  return patch;
}
