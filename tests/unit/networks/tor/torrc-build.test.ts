// The torrc builder: what each mode writes, that transports are found and named, and that no value can
// add a line. The last test has Debian's real tor check a built torrc (--verify-config: no network).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { torConfigFromRecord, type CheckedTorConfig } from '../../../../app/networks/tor/config.js';
import { findTorHelpers } from '../../../../app/networks/tor/helpers.js';
import { parseTorProfileText } from '../../../../app/networks/tor/profile.js';
import { buildTorrc, torArgv, torrcValue, type TorrcInput } from '../../../../app/networks/tor/torrc.js';
import { LAB_PROFILE, OBFS4, SNOWFLAKE, WEBTUNNEL } from './profile-fixtures.js';

function config(text: string): CheckedTorConfig {
  return torConfigFromRecord({ ...parseTorProfileText(text).config });
}

const base = (cfg: CheckedTorConfig): TorrcInput => ({
  config: cfg,
  dataDirectory: '/home/ann/.local/share/burrow/tor/profiles/p1',
  controlSocket: '/home/ann/.local/share/burrow/tor/run/control',
  auth: { kind: 'cookie', cookieFile: '/home/ann/.local/share/burrow/tor/run/control_auth_cookie' },
  socksPort: 9150,
  transports: { obfs4: '/usr/bin/obfs4proxy', snowflake: '/usr/bin/snowflake-client', webtunnel: '/usr/bin/lyrebird' },
  owningPid: 4242,
});

const lines = (text: string): string[] => text.trimEnd().split('\n');

describe('buildTorrc', () => {
  it('proxy mode: data dir, control socket with cookie, SOCKS on loopback, owner pid, log to stdout; no system ports', () => {
    const text = buildTorrc(base(config('[tor]\n')));
    expect(lines(text)).toEqual([
      '# Written by Burrow for one run; edits are overwritten.',
      'DataDirectory /home/ann/.local/share/burrow/tor/profiles/p1',
      'ControlPort unix:/home/ann/.local/share/burrow/tor/run/control',
      'CookieAuthentication 1',
      'CookieAuthFile /home/ann/.local/share/burrow/tor/run/control_auth_cookie',
      'SocksPort 127.0.0.1:9150',
      '__OwningControllerProcess 4242',
      'Log notice stdout',
      'RunAsDaemon 0',
      'ClientOnly 1',
    ]);
  });

  it('system mode: TransPort, DNSPort, automapping, the User, a hashed password and a world-writable socket in a private dir', () => {
    const text = buildTorrc({
      ...base(config(LAB_PROFILE)),
      auth: { kind: 'password', hashed: `16:${'A'.repeat(58)}` },
      controlSocketFlags: ['WorldWritable'],
      system: { transPort: 9040, dnsPort: 5353, user: 'debian-tor' },
    });
    expect(text).toContain('ControlPort unix:/home/ann/.local/share/burrow/tor/run/control WorldWritable\n');
    expect(text).toContain(`CookieAuthentication 0\nHashedControlPassword 16:${'A'.repeat(58)}\n`);
    expect(text).toContain('TransPort 127.0.0.1:9040\nDNSPort 127.0.0.1:5353\nAutomapHostsOnResolve 1\nVirtualAddrNetworkIPv4 10.192.0.0/10\nUser debian-tor\n');
    expect(text).toContain('TestingTorNetwork 1\nPathsNeededToBuildCircuits 0.67\n');
    expect(text).toMatch(/^DirAuthority auth1 orport=9001 no-v2 v3ident=\S+ 10\.20\.4\.11:9030 [0-9A-F]{40}$/m);
    expect(text).toContain(`UseBridges 1\nClientTransportPlugin obfs4 exec /usr/bin/obfs4proxy\nBridge ${OBFS4}\n`);
  });

  it('one ClientTransportPlugin line per program, naming each transport it serves', () => {
    const text = buildTorrc({ ...base(config(`${OBFS4}\n${SNOWFLAKE}\n${WEBTUNNEL}\n`)), transports: { obfs4: '/usr/bin/lyrebird', webtunnel: '/usr/bin/lyrebird', snowflake: '/usr/bin/snowflake-client' } });
    expect(text).toContain('ClientTransportPlugin obfs4,webtunnel exec /usr/bin/lyrebird\n');
    expect(text).toContain('ClientTransportPlugin snowflake exec /usr/bin/snowflake-client\n');
    expect(text.match(/^Bridge /gm)).toHaveLength(3);
  });

  it('a transport without a program is a clear network_unavailable error', () => {
    expect(() => buildTorrc({ ...base(config(`${SNOWFLAKE}\n`)), transports: { obfs4: '/usr/bin/obfs4proxy' } })).toThrow(
      /bridges use snowflake, and no program for it was found\. Install snowflake-client/,
    );
  });

  it('UseBridges 0 keeps the lines out of the torrc', () => {
    const text = buildTorrc(base(config(`[tor]\nUseBridges 0\nBridge ${OBFS4}\n`)));
    expect(text).not.toContain('Bridge');
    expect(text).not.toContain('ClientTransportPlugin');
  });

  it('quotes paths with spaces the way tor reads them', () => {
    expect(torrcValue('/home/ann/My Data/tor', 'path')).toBe('"/home/ann/My Data/tor"');
    expect(torrcValue('/a/"b"\\c', 'path')).toBe('"/a/\\"b\\"\\\\c"');
    const text = buildTorrc({ ...base(config('[tor]\n')), dataDirectory: '/home/ann/My Data/tor' });
    expect(text).toContain('DataDirectory "/home/ann/My Data/tor"\n');
  });

  it('refuses a newline or control character in any value, so nothing can add a line', () => {
    const cfg = config('[tor]\n');
    expect(() => buildTorrc({ ...base(cfg), dataDirectory: '/tmp/x\nExitRelay 1' })).toThrow(/newline or control character/);
    expect(() => buildTorrc({ ...base(cfg), controlSocket: '/tmp/c\r' })).toThrow(/newline or control character/);
    expect(() => buildTorrc({ ...base(cfg), auth: { kind: 'cookie', cookieFile: '/tmp/\u0000' } })).toThrow(/newline or control character/);
    const tampered = { ...config(`${OBFS4}\n`), parsedBridges: [{ ...config(`${OBFS4}\n`).parsedBridges[0]!, text: `${OBFS4}\nExitRelay 1` }] };
    expect(() => buildTorrc(base(tampered))).toThrow(/bridge line for tor is empty or contains a newline/);
    const badOption = { ...cfg, options: { ExitNodes: '{de}\nLog notice file /etc/x' } };
    expect(() => buildTorrc(base(badOption))).toThrow(/value of ExitNodes for tor is empty or contains a newline/);
    expect(() => buildTorrc({ ...base(cfg), transports: {}, config: config(`${OBFS4}\n`) })).toThrow(/no program for it/);
    expect(() => buildTorrc({ ...base(config(`${OBFS4}\n`)), transports: { obfs4: '/usr/bin/obfs4 proxy' } })).toThrow(/absolute and without spaces/);
    expect(() => buildTorrc({ ...base(cfg), auth: { kind: 'password', hashed: '16:abc\nx' } })).toThrow(/16:… form/);
    expect(() => buildTorrc({ ...base(cfg), system: { transPort: 9040, dnsPort: 5353, user: 'root\nx' } })).toThrow(/not a valid user name/);
    expect(() => buildTorrc({ ...base(cfg), socksPort: 70000 })).toThrow(/not a port number/);
  });

  it('argv: an empty defaults file and the torrc, nothing secret', () => {
    expect(torArgv('/run/x/torrc-defaults', '/run/x/torrc')).toEqual(['--defaults-torrc', '/run/x/torrc-defaults', '-f', '/run/x/torrc']);
  });

  it('finds the transport programs on this machine (Debian: obfs4proxy, snowflake-client)', () => {
    const helpers = findTorHelpers();
    expect(helpers.tor).toMatch(/\/tor$/);
    expect(helpers.transports.obfs4).toMatch(/\/(obfs4proxy|lyrebird)$/);
    expect(helpers.transports.snowflake).toMatch(/\/(snowflake-client|lyrebird)$/);
    const only = findTorHelpers([], (name) => (name === 'lyrebird' ? '/opt/lyrebird' : undefined));
    expect(only).toEqual({ tor: undefined, transports: { obfs4: '/opt/lyrebird', webtunnel: '/opt/lyrebird', snowflake: '/opt/lyrebird' } });
  });
});

describe.skipIf(!existsSync('/usr/bin/tor'))('real tor accepts what Burrow writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-torrc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tor --verify-config passes for a bridged private-network profile in both modes', () => {
    for (const system of [false, true]) {
      const torrc = join(dir, `torrc-${system}`);
      const defaults = join(dir, 'defaults');
      writeFileSync(defaults, '');
      const input: TorrcInput = {
        ...base(config(`${LAB_PROFILE}Bridge ${SNOWFLAKE}\n`)),
        dataDirectory: join(dir, 'data'),
        controlSocket: join(dir, 'control'),
        auth: { kind: 'cookie', cookieFile: join(dir, 'cookie') },
        transports: findTorHelpers().transports,
        disableNetwork: true,
        ...(system ? { system: { transPort: 9040, dnsPort: 5353 } } : {}),
      };
      writeFileSync(torrc, buildTorrc(input));
      const out = execFileSync('/usr/bin/tor', ['--verify-config', ...torArgv(defaults, torrc)], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
      expect(out).toContain('Configuration was valid');
    }
  });
});
