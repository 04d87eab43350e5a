// What the kill switch lets through for a Tor profile: nothing to hold back in proxy mode (tor runs as the
// person's own uid), the Tails-style `tor-system` policy in system-wide mode, and block when tor's user is
// missing.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../app/domain/settings.js';
import { validateFirewallPolicy } from '../../../../app/firewall/index.js';
import { torPolicy, torPolicySource } from '../../../../app/networks/tor/firewall-source.js';
import { parseTorProfile } from '../../../../app/networks/tor/profile.js';
import { parsePasswd } from '../../../../app/networks/tor/system-user.js';
import type { StoredProfile } from '../../../../app/supervisor/driver.js';

const FACTS = { torUid: 102, transPort: 9040, dnsPort: 9053 };

describe('torPolicy', () => {
  it('proxy mode is open: no rule could tell tor from the person’s other programs', () => {
    expect(torPolicy('proxy', FACTS, DEFAULT_SETTINGS)).toEqual({ kind: 'open' });
  });

  it('system mode is tor-system with tor’s uid and ports, and passes the firewall’s own validation', () => {
    const policy = torPolicy('system', FACTS, { ...DEFAULT_SETTINGS, allowLan: true });
    expect(policy).toEqual({ kind: 'tor-system', torUid: 102, transPort: 9040, dnsPort: 9053, allowLan: true });
    expect(validateFirewallPolicy(policy)).toEqual(policy);
  });

  it('system mode without a tor user: no policy, so the enforcer blocks', () => {
    expect(torPolicy('system', { ...FACTS, torUid: undefined }, DEFAULT_SETTINGS)).toBeUndefined();
  });

  it('the source reads the stored profile’s mode', async () => {
    const parsed = parseTorProfile('[tor]\nMode system\n');
    const profile: StoredProfile = { id: 'sys', name: 'sys', network: 'tor', config: parsed.config, secrets: {} };
    const source = torPolicySource({ findProfile: (id) => (id === 'sys' ? profile : undefined), settings: () => DEFAULT_SETTINGS, system: () => FACTS });
    expect(await source({ profileId: 'sys', profileName: 'sys', network: 'tor' }, 'connecting')).toMatchObject({ kind: 'tor-system' });
    expect(await source({ profileId: 'gone', profileName: 'gone', network: 'tor' }, 'connecting')).toBeUndefined();
  });
});

describe('parsePasswd', () => {
  it('finds debian-tor, then tor, then _tor; never root', () => {
    expect(parsePasswd('root:x:0:0::/root:/bin/sh\ndebian-tor:x:102:105::/var/lib/tor:/bin/false\n')).toEqual({ name: 'debian-tor', uid: 102, gid: 105 });
    expect(parsePasswd('tor:x:990:990::/var/lib/tor:/sbin/nologin\n')).toEqual({ name: 'tor', uid: 990, gid: 990 });
    expect(parsePasswd('debian-tor:x:0:0::/:/bin/sh\n')).toBeUndefined();
    expect(parsePasswd('nobody:x:65534:65534::/:/bin/false\n')).toBeUndefined();
  });
});
