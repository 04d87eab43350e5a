// netd's side of system-wide Tor: the request schema refuses anything that could add a torrc line or an
// option outside the allowlist, netd writes every privileged line itself, and the host's request is built
// from a checked profile with only the password's hash in it.
import { describe, expect, it } from 'vitest';
import { TOR_PROFILE_OPTION_NAMES, TOR_SYSTEM_PORTS, TorSystemStartRequestSchema, type TorSystemStartRequest } from '../../../../app/contract/index.js';
import { ALLOWED_OPTIONS } from '../../../../app/networks/tor/profile-options.js';
import { stateKey } from '../../../../app/networks/tor/system-launcher.js';
import type { SystemUser } from '../../../../native/netd/helper-process.js';
import { bridgeTransports, systemTorrc } from '../../../../native/netd/tor-torrc.js';
import { torUser } from '../../../../native/netd/tor.js';
import { AUTHORITY, OBFS4, SNOWFLAKE } from './profile-fixtures.js';

const HASH = `16:${'0123456789ABCDEF'.repeat(3)}0123456789`;
const REQUEST: TorSystemStartRequest = {
  controllerUid: 1000,
  hashedControlPassword: HASH,
  stateKey: 'lab-0123456789ab',
  socksPort: 9150,
  useBridges: true,
  bridges: [OBFS4],
  dirAuthorities: [AUTHORITY],
  options: { TestingTorNetwork: '1' },
};
const FACTS = {
  dataDirectory: '/var/lib/burrow-netd/tor/data/lab-0123456789ab',
  controlSocket: '/var/lib/burrow-netd/tor/control/1000/control',
  user: 'burrow-tor',
  ...TOR_SYSTEM_PORTS,
  transports: { obfs4: '/usr/bin/obfs4proxy' },
};

describe('the torSystemStart request', () => {
  it('names exactly the options a profile may carry', () => {
    expect([...TOR_PROFILE_OPTION_NAMES].sort()).toEqual(Object.keys(ALLOWED_OPTIONS).sort());
  });

  it('accepts a checked profile’s data', () => {
    expect(TorSystemStartRequestSchema.safeParse(REQUEST).success).toBe(true);
  });

  it.each([
    ['a newline in a bridge', { bridges: [`${OBFS4}\nUser root`] }],
    ['a quote in an authority', { dirAuthorities: ['auth1 "x" 10.0.0.1:9030 AA'] }],
    ['an option outside the allowlist', { options: { ClientTransportPlugin: 'obfs4 exec /bin/sh' } }],
    ['a value with a #', { options: { ExitNodes: '{de} # x' } }],
    ['a clear-text password', { hashedControlPassword: 'hunter2' }],
    ['a state key that walks up', { stateKey: '../../etc' }],
    ['a privileged SOCKS port', { socksPort: 80 }],
    ['an extra field', { user: 'root' }],
  ])('refuses %s', (_what, change) => {
    expect(TorSystemStartRequestSchema.safeParse({ ...REQUEST, ...change }).success).toBe(false);
  });
});

describe("netd's system torrc", () => {
  it('writes the privileged lines itself: directories, socket, password hash, ports, User, transport program', () => {
    const text = systemTorrc(REQUEST, FACTS);
    expect(text).toContain('DataDirectory /var/lib/burrow-netd/tor/data/lab-0123456789ab\n');
    expect(text).toContain('ControlPort unix:/var/lib/burrow-netd/tor/control/1000/control WorldWritable\n');
    expect(text).toContain(`CookieAuthentication 0\nHashedControlPassword ${HASH}\n`);
    // Privileged ports (only root binds them: tor does, before it drops to burrow-tor).
    expect(text).toContain('SocksPort 127.0.0.1:9150\nTransPort 127.0.0.1:904\nDNSPort 127.0.0.1:905\nAutomapHostsOnResolve 1\nVirtualAddrNetworkIPv4 10.192.0.0/10\nUser burrow-tor\n');
    expect(text).toContain(`DirAuthority ${AUTHORITY}\nTestingTorNetwork 1\nUseBridges 1\nClientTransportPlugin obfs4 exec /usr/bin/obfs4proxy\nBridge ${OBFS4}\n`);
  });

  it('finds the transports the bridges need, and refuses a missing program or an odd path', () => {
    expect(bridgeTransports({ ...REQUEST, bridges: [OBFS4, SNOWFLAKE] })).toEqual(['obfs4', 'snowflake']);
    expect(bridgeTransports({ ...REQUEST, useBridges: false })).toEqual([]);
    expect(() => systemTorrc({ ...REQUEST, bridges: [SNOWFLAKE] }, FACTS)).toThrow(/no snowflake program/);
    expect(() => systemTorrc(REQUEST, { ...FACTS, dataDirectory: '/var/lib/x y' })).toThrow(/will not write the data directory/);
    expect(() => systemTorrc({ ...REQUEST, bridges: [] }, FACTS)).toThrow(/UseBridges without bridge lines/);
  });
});

describe('stateKey', () => {
  it('names the profile and the network: a changed set of authorities starts a new data directory', () => {
    expect(stateKey('home', [])).toBe('home-public');
    const a = stateKey('lab', [AUTHORITY]);
    expect(a).toMatch(/^lab-[0-9a-f]{12}$/);
    expect(stateKey('lab', [AUTHORITY.replace('10.20.4.11', '10.21.4.11')])).not.toBe(a);
    expect(TorSystemStartRequestSchema.shape.stateKey.safeParse(stateKey('x'.repeat(64), [AUTHORITY])).success).toBe(true);
  });
});

describe("netd's tor user", () => {
  const machine = (users: SystemUser[]) => (names: readonly string[]): SystemUser | undefined => users.find((user) => names.includes(user.name));
  const debianTor: SystemUser = { name: 'debian-tor', uid: 102, gid: 105, group: 'debian-tor' };
  const nobody: SystemUser = { name: 'nobody', uid: 65534, gid: 65534, group: 'nogroup' };
  const burrowTor: SystemUser = { name: 'burrow-tor', uid: 997, gid: 997, group: 'burrow-tor' };

  it('is burrow-tor, even where debian-tor exists', () => {
    expect(torUser(machine([debianTor, nobody, burrowTor]))).toEqual(burrowTor);
  });

  it('without burrow-tor: refuses, naming the command that creates it; never debian-tor or nobody instead', () => {
    // Before: debian-tor (then tor, _tor) was taken, the uid the distribution's tor@default runs as.
    expect(() => torUser(machine([debianTor, nobody]))).toThrow(/burrow-tor.*useradd --system --user-group --home-dir \/var\/lib\/burrow\/tor --no-create-home --shell \/usr\/sbin\/nologin --comment "Burrow system-wide Tor" burrow-tor/);
  });
});
