// What the kill switch lets through for a Tor profile: nothing to hold back in proxy mode (tor runs as the
// person's own uid), the Tails-style `tor-system` policy in system-wide mode, and block when tor's user is
// missing.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../app/domain/settings.js';
import { TOR_SYSTEM_PORTS } from '../../../../app/contract/index.js';
import { buildFirewallRuleset, validateFirewallPolicy } from '../../../../app/firewall/index.js';
import { torPolicy, torPolicySource } from '../../../../app/networks/tor/firewall-source.js';
import { parseTorProfile } from '../../../../app/networks/tor/profile.js';
import { parsePasswd } from '../../../../app/networks/tor/system-user.js';
import type { StoredProfile } from '../../../../app/supervisor/driver.js';

const FACTS = { torUid: 997, transPort: TOR_SYSTEM_PORTS.transPort, dnsPort: TOR_SYSTEM_PORTS.dnsPort };
/** A Debian machine with the tor package (debian-tor runs tor@default) and Burrow's package (burrow-tor). */
const PASSWD = 'root:x:0:0::/root:/bin/sh\ndebian-tor:x:102:105::/var/lib/tor:/bin/false\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\nburrow-tor:x:997:997:Burrow system-wide Tor:/var/lib/burrow/tor:/usr/sbin/nologin\n';

describe('torPolicy', () => {
  it('proxy mode is open: no rule could tell tor from the person’s other programs', () => {
    expect(torPolicy('proxy', FACTS, DEFAULT_SETTINGS)).toEqual({ kind: 'open' });
  });

  it('system mode is tor-system with tor’s uid and ports, and passes the firewall’s own validation', () => {
    const policy = torPolicy('system', FACTS, { ...DEFAULT_SETTINGS, allowLan: true });
    expect(policy).toEqual({ kind: 'tor-system', torUid: 997, transPort: 904, dnsPort: 905, allowLan: true });
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

describe('parsePasswd: the exempt uid is burrow-tor’s, never a uid the distribution’s services share', () => {
  it('finds burrow-tor beside debian-tor, and only burrow-tor; never root', () => {
    expect(parsePasswd(PASSWD)).toEqual({ name: 'burrow-tor', uid: 997, gid: 997 });
    // Before: debian-tor (then tor, _tor) was taken, the uid tor@default runs as.
    expect(parsePasswd('root:x:0:0::/root:/bin/sh\ndebian-tor:x:102:105::/var/lib/tor:/bin/false\n')).toBeUndefined();
    expect(parsePasswd('tor:x:990:990::/var/lib/tor:/sbin/nologin\n_tor:x:991:991::/:/sbin/nologin\n')).toBeUndefined();
    expect(parsePasswd('nobody:x:65534:65534::/:/bin/false\n')).toBeUndefined();
    expect(parsePasswd('burrow-tor:x:0:0::/:/bin/sh\n')).toBeUndefined();
  });

  it('the tor-system ruleset built from that passwd exempts burrow-tor’s uid and never debian-tor’s', () => {
    const user = parsePasswd(PASSWD);
    const policy = torPolicy('system', { ...FACTS, torUid: user?.uid }, DEFAULT_SETTINGS);
    const text = buildFirewallRuleset(validateFirewallPolicy(policy));
    expect(text).toContain('meta skuid 997 accept');
    expect(text).not.toMatch(/skuid (102|65534)\b/);
  });

  it('a machine with debian-tor but no burrow-tor gets no tor-system policy: the enforcer blocks', () => {
    const user = parsePasswd('debian-tor:x:102:105::/var/lib/tor:/bin/false\n');
    expect(torPolicy('system', { ...FACTS, torUid: user?.uid }, DEFAULT_SETTINGS)).toBeUndefined();
  });
});
