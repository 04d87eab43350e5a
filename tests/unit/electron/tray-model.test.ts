// The tray menu as a pure model, for every state of every network (issue 9 acceptance).
import { describe, expect, it } from 'vitest';
import { NETWORK_KINDS, type TunnelState } from '../../../app/domain/index.js';
import { buildTrayMenu, escapeMenuLabel, statusLine, trayTooltip, type TrayMenuItem } from '../../../electron/main/tray-model.js';
import { NETWORKS, PROFILE_IDS, PROFILES, SETTINGS, statesFor } from './fixtures.js';

type Item = Exclude<TrayMenuItem, { type: 'separator' }>;

function item(menu: TrayMenuItem[], id: string): Item {
  const found = menu.find((i): i is Item => i.type !== 'separator' && i.id === id);
  if (found === undefined) throw new Error(`no item ${id}`);
  return found;
}

const cases = NETWORK_KINDS.flatMap((network) => Object.entries(statesFor(network)).map(([name, state]) => [network, name, state] as const));

describe('buildTrayMenu for every state × network', () => {
  it.each(cases)('%s / %s: well-formed and consistent', (_network, _name, state) => {
    const menu = buildTrayMenu(state, SETTINGS, PROFILES, NETWORKS);
    // Serialisable (no closures), unique ids, no separators at the ends or doubled.
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
    const ids = menu.flatMap((i) => (i.type === 'separator' ? [] : [i.id]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(menu[0]?.type).not.toBe('separator');
    expect(menu.at(-1)?.type).not.toBe('separator');
    menu.forEach((entry, i) => {
      if (entry.type === 'separator') expect(menu[i + 1]?.type).not.toBe('separator');
    });
    // Status lines are disabled and carry no action.
    for (const entry of menu) if (entry.type !== 'separator' && entry.id.startsWith('status')) {
      expect(entry.enabled).toBe(false);
      expect(entry.action).toBeUndefined();
    }
    // An enabled item always does something (except the radio of the profile already chosen).
    for (const entry of menu) if (entry.type !== 'separator' && entry.enabled && !(entry.type === 'radio' && entry.checked)) {
      expect(entry.action).toBeDefined();
    }
    // At most one profile chosen, and it is the state's target.
    const chosen = menu.filter((i): i is Item => i.type === 'radio' && i.checked === true);
    expect(chosen.length).toBeLessThanOrEqual(1);
    expect(item(menu, 'open').enabled).toBe(true);
    expect(item(menu, 'quit').action).toEqual({ type: 'quit' });
    expect(item(menu, 'kill-switch')).toMatchObject({ type: 'checkbox', checked: true, action: { type: 'updateSettings', patch: { killSwitch: false } } });
    expect(item(menu, 'lockdown')).toMatchObject({ type: 'checkbox', checked: false, action: { type: 'updateSettings', patch: { lockdown: true } } });
  });

  it.each(NETWORK_KINDS)('%s: Connect / Disconnect / Reconnect follow the state', (network) => {
    const states = statesFor(network);
    const enabled = (state: TunnelState) => {
      const menu = buildTrayMenu(state, SETTINGS, PROFILES, NETWORKS);
      return ['connect', 'disconnect', 'reconnect', 'disconnect-and-quit', 'leak-test'].map((id) => item(menu, id).enabled);
    };
    //                                             connect disconnect reconnect dis&quit leaks
    expect(enabled(states.disconnected!)).toEqual([true, false, false, false, true]);
    expect(enabled(states['disconnected-locked']!)).toEqual([true, false, false, false, true]);
    expect(enabled(states.connecting!)).toEqual([false, true, false, true, false]);
    expect(enabled(states.connected!)).toEqual([false, true, true, true, true]);
    expect(enabled(states['disconnecting-nothing']!)).toEqual([false, false, false, true, false]);
    expect(enabled(states['disconnecting-reconnect']!)).toEqual([false, false, false, true, false]);
    expect(enabled(states['error-blocking']!)).toEqual([true, true, true, true, true]);
    expect(enabled(states['error-no-target']!)).toEqual([true, true, false, true, true]);
  });

  it.each(NETWORK_KINDS)('%s: the connected profile is the chosen radio; others switch through connect', (network) => {
    const menu = buildTrayMenu(statesFor(network).connected!, SETTINGS, PROFILES, NETWORKS);
    const current = item(menu, `profile-${PROFILE_IDS[network]}`);
    expect(current).toMatchObject({ type: 'radio', checked: true });
    expect(current.action).toBeUndefined();
    for (const profile of PROFILES.filter((p) => p.id !== PROFILE_IDS[network])) {
      expect(item(menu, `profile-${profile.id}`)).toMatchObject({ type: 'radio', checked: false, enabled: true, action: { type: 'connect', profile: profile.id } });
    }
    expect(item(menu, 'reconnect').action).toEqual({ type: 'reconnect', profile: PROFILE_IDS[network] });
    expect(item(menu, 'status-exit-ip').label).toBe('Exit IP: 198.51.100.7');
  });

  it('reads as reviewed when connected (one snapshot to eyeball the whole menu)', () => {
    expect(buildTrayMenu(statesFor('wireguard').connected!, SETTINGS, PROFILES, NETWORKS)).toMatchSnapshot();
  });

  it('a switch in progress shows the destination as chosen and freezes the radios', () => {
    const menu = buildTrayMenu(statesFor('nym')['disconnecting-reconnect']!, SETTINGS, PROFILES, NETWORKS);
    expect(item(menu, `profile-${PROFILE_IDS.nym}`).checked).toBe(true);
    expect(menu.filter((i) => i.type === 'radio').every((i) => i.type === 'radio' && !i.enabled)).toBe(true);
    expect(item(menu, 'status').label).toBe('Switching…');
  });

  it('after an error, Connect retries the profile that failed', () => {
    const menu = buildTrayMenu(statesFor('tor')['error-blocking']!, SETTINGS, PROFILES, NETWORKS);
    expect(item(menu, 'connect').action).toEqual({ type: 'connect', profile: PROFILE_IDS.tor });
    expect(item(menu, 'status').label).toBe('Blocked — No handshake in 20 s.');
  });

  it('lists unavailable networks and networks without profiles as disabled lines with the reason', () => {
    const networks = NETWORKS.map((n) => (n.network === 'nym' ? { ...n, available: false, reason: 'nym-client not found' } : n));
    const menu = buildTrayMenu({ state: 'disconnected', lockedDown: false }, SETTINGS, PROFILES.filter((p) => p.network !== 'dvpn'), networks);
    expect(item(menu, 'network-nym')).toMatchObject({ enabled: false, label: 'Nym mixnet — nym-client not found' });
    expect(item(menu, 'network-dvpn')).toMatchObject({ enabled: false, label: 'dVPN (Mysterium) — no profile imported' });
    expect(menu.some((i) => i.type !== 'separator' && i.id === `profile-${PROFILE_IDS.nym}`)).toBe(false);
  });

  it('with no profile at all, Connect is disabled', () => {
    const menu = buildTrayMenu({ state: 'disconnected', lockedDown: false }, SETTINGS, [], NETWORKS);
    expect(item(menu, 'connect').enabled).toBe(false);
  });

  it('escapes "&" in names (menus read it as a mnemonic) and labels "Disconnect && quit"', () => {
    expect(escapeMenuLabel('Home & Office')).toBe('Home && Office');
    const menu = buildTrayMenu(statesFor('wireguard').connected!, SETTINGS, PROFILES, NETWORKS);
    expect(item(menu, `profile-${PROFILE_IDS.wireguard}`).label).toBe('WireGuard VPN: Home && Office');
    expect(item(menu, 'status-profile').label).toBe('Profile: Home && Office');
    expect(item(menu, 'disconnect-and-quit').label).toBe('Disconnect && quit');
  });

  it('reflects the settings in the checkboxes', () => {
    const menu = buildTrayMenu({ state: 'disconnected', lockedDown: true }, { ...SETTINGS, killSwitch: false, lockdown: true }, PROFILES, NETWORKS);
    expect(item(menu, 'kill-switch')).toMatchObject({ checked: false, action: { type: 'updateSettings', patch: { killSwitch: true } } });
    expect(item(menu, 'lockdown')).toMatchObject({ checked: true, action: { type: 'updateSettings', patch: { lockdown: false } } });
  });

  it('says plainly when traffic is not protected', () => {
    expect(statusLine({ state: 'disconnected', lockedDown: false })).toBe('Disconnected — not protected');
    expect(statusLine(statesFor('wireguard')['error-open']!)).toBe('Error — not protected: wireguard-go exited.');
    expect(statusLine(statesFor('tor')['connecting-progress']!)).toBe('Connecting… 45%');
    expect(trayTooltip(statesFor('tor').connected!)).toBe('Burrow — Connected (Tor: Tor profile)');
  });
});
