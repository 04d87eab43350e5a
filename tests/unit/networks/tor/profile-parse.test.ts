// The Tor profile format: what it accepts, what it refuses (with the line number and a sentence that names
// the problem), and that nothing outside the allowlist can reach tor.
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../../app/domain/errors.js';
import { ProfileSummarySchema } from '../../../../app/domain/profile.js';
import { parseImportedProfile } from '../../../../app/host/profile-import.js';
import { torConfigFromRecord } from '../../../../app/networks/tor/config.js';
import { detectTorProfile, parseTorProfile, parseTorProfileText } from '../../../../app/networks/tor/profile.js';
import { parseWireGuardProfile } from '../../../../app/networks/wireguard/config/index.js';
import { AUTHORITY, CERT, FP, LAB_PROFILE, OBFS4, SNOWFLAKE, VANILLA, WEBTUNNEL } from './profile-fixtures.js';

function failure(text: string): BurrowError {
  try {
    parseTorProfileText(text, 'bridges.txt');
  } catch (error) {
    if (error instanceof BurrowError) return error;
    throw error;
  }
  throw new Error('expected the profile to be refused');
}

describe('parseTorProfile', () => {
  it('reads a private-network profile: mode, authorities (grouped fingerprints joined), options, bridge', () => {
    const profile = parseTorProfile(LAB_PROFILE, 'lab.conf');
    expect(profile.network).toBe('tor');
    expect(profile.suggestedName).toBe('Lab network');
    expect(profile.secrets).toEqual({});
    expect(profile.config).toMatchObject({
      version: 1,
      mode: 'system',
      useBridges: true,
      bridges: [OBFS4],
      options: { TestingTorNetwork: '1', PathsNeededToBuildCircuits: '0.67' },
    });
    expect(profile.config.dirAuthorities).toEqual([
      AUTHORITY,
      'auth2 orport=9001 no-v2 v3ident=1123456789ABCDEF0123456789ABCDEF01234567 10.20.4.12:9030 99ABCDEF0123456789ABCDEF0123456789ABCDEF',
    ]);
    expect(profile.details).toEqual({ mode: 'system', bridges: 1, transports: ['obfs4'], network: 'private (2 directory authorities)', options: ['TestingTorNetwork', 'PathsNeededToBuildCircuits'] });
    // Bridge lines are for tor, not for the UI: the summary never shows them.
    expect(JSON.stringify(profile.details)).not.toContain(CERT);
    const summary = { id: 'lab', name: profile.suggestedName, network: 'tor', details: profile.details, createdAt: new Date().toISOString() };
    expect(ProfileSummarySchema.safeParse(summary).success).toBe(true);
  });

  it('takes bare bridge lines as bridges.torproject.org hands them out, of every known transport', () => {
    const text = `${OBFS4}\n${SNOWFLAKE}\n${WEBTUNNEL}\n${VANILLA}\n`;
    expect(detectTorProfile(text)).toBe(true);
    const profile = parseTorProfile(text, 'bridges.txt');
    expect(profile.suggestedName).toBe('bridges');
    expect(profile.config).toMatchObject({ mode: 'proxy', useBridges: true, dirAuthorities: [], options: {} });
    expect(profile.details.transports).toEqual(['obfs4', 'snowflake', 'webtunnel', 'vanilla']);
    expect(profile.config.bridges).toEqual([OBFS4, SNOWFLAKE, WEBTUNNEL, VANILLA]);
  });

  it('normalizes a bridge line: Bridge keyword, spacing, lower-case fingerprint', () => {
    const { config } = parseTorProfileText(`[tor]\nBridge   obfs4  192.95.36.142:443   ${FP.toLowerCase()} cert=${CERT}   iat-mode=1  # mine\n`);
    expect(config.bridges).toEqual([OBFS4]);
  });

  it('keys are case-insensitive, "=" or a space separates, comments and CRLF are fine', () => {
    const { config } = parseTorProfileText('\uFEFF[TOR]\r\n# comment\r\nmode = proxy\r\nsocksport 9250\r\nexitnodes {de},{nl}\r\n');
    expect(config).toMatchObject({ mode: 'proxy', socksPort: 9250, useBridges: false, options: { ExitNodes: '{de},{nl}' } });
  });

  it('the stored config reads back, and a tampered one is refused', () => {
    const { config } = parseTorProfileText(LAB_PROFILE);
    const checked = torConfigFromRecord({ ...config });
    expect(checked.parsedBridges[0]?.transport).toBe('obfs4');
    expect(() => torConfigFromRecord({ ...config, options: { Log: 'notice file /etc/passwd' } })).toThrow(/damaged/);
    expect(() => torConfigFromRecord({ ...config, bridges: ['obfs4 1.2.3.4:443\nExitRelay 1'] })).toThrow(/damaged/);
    expect(() => torConfigFromRecord({ ...config, extra: 1 })).toThrow(/damaged/);
  });

  it('detection: a WireGuard file is not a Tor profile, and the importer picks the right parser', () => {
    expect(detectTorProfile('[Interface]\nPrivateKey = x\n')).toBe(false);
    expect(detectTorProfile('# just a comment\n[tor]\n')).toBe(true);
    expect(detectTorProfile('Bridge obfs4 1.2.3.4:443\n')).toBe(true);
    const parsers = [
      { network: 'wireguard' as const, detect: (t: string) => /^\s*\[\s*interface\s*\]/im.test(t), parse: (t: string) => parseWireGuardProfile(t) },
      { network: 'tor' as const, detect: detectTorProfile, parse: parseTorProfile },
    ];
    expect(parseImportedProfile(parsers, { content: `${OBFS4}\n` }).network).toBe('tor');
  });
});

describe('refused profiles say which line and why', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown transport', '[tor]\nBridge meek_lite 192.0.2.2:2 97700DFE9F483596DDA6264C4D7DF7641E1E39CE url=https://x/', /^Line 2: .*"meek_lite" is not a transport Burrow can use: it knows obfs4, snowflake, webtunnel/],
    ['a host name instead of an IP', `obfs4 bridge.example.org:443 ${FP} cert=${CERT} iat-mode=0`, /^Line 1: .*"bridge\.example\.org" is a host name; bridges are given by IP address/],
    ['a bad IPv4', `obfs4 192.0.2.300:443 ${FP} cert=${CERT} iat-mode=0`, /Line 1: .*"192\.0\.2\.300" is not an IPv4 address/],
    ['a missing port', `obfs4 192.0.2.3 ${FP} cert=${CERT} iat-mode=0`, /Line 1: .*is not an address: a bridge is given as IP:port/],
    ['port 0', `obfs4 192.0.2.3:0 ${FP} cert=${CERT} iat-mode=0`, /Line 1: .*port 0 is out of range/],
    ['a short fingerprint', `obfs4 192.0.2.3:443 ${FP.slice(1)} cert=${CERT} iat-mode=0`, /Line 1: .*fingerprint must be 40 hexadecimal digits, not 39/],
    ['a non-hex fingerprint', `obfs4 192.0.2.3:443 ${FP.slice(1)}Z cert=${CERT} iat-mode=0`, /Line 1: .*fingerprint must be 40 hexadecimal digits; ".*" is not/],
    ['obfs4 without fingerprint', `obfs4 192.0.2.3:443 cert=${CERT} iat-mode=0`, /Line 1: .*needs the bridge's fingerprint/],
    ['obfs4 without cert', `obfs4 192.0.2.3:443 ${FP} iat-mode=0`, /Line 1: .*an obfs4 bridge line needs cert=/],
    ['obfs4 without iat-mode', `obfs4 192.0.2.3:443 ${FP} cert=${CERT}`, /Line 1: .*needs iat-mode=/],
    ['a truncated cert', `obfs4 192.0.2.3:443 ${FP} cert=${CERT.slice(0, 60)} iat-mode=0`, /Line 1: .*cert= must be the bridge's 70-character obfs4 certificate/],
    ['iat-mode 3', `obfs4 192.0.2.3:443 ${FP} cert=${CERT} iat-mode=3`, /Line 1: .*iat-mode= must be 0, 1 or 2/],
    ['an argument obfs4 does not take', `obfs4 192.0.2.3:443 ${FP} cert=${CERT} iat-mode=0 url=https://x/`, /Line 1: .*obfs4 does not take url=/],
    ['a repeated argument', `obfs4 192.0.2.3:443 ${FP} cert=${CERT} iat-mode=0 iat-mode=1`, /Line 1: .*iat-mode= is given twice/],
    ['snowflake with http url', `snowflake 192.0.2.3:80 ${FP} url=http://broker/`, /Line 1: .*url= must be an https:\/\/ address for snowflake/],
    ['snowflake without url', `snowflake 192.0.2.3:80 ${FP}`, /Line 1: .*needs url=/],
    ['a vanilla bridge with arguments', `192.0.2.3:9001 ${FP} cert=${CERT}`, /Line 1: .*a plain bridge takes no arguments/],
    ['a quote in a value', `webtunnel [2001:db8::1]:443 ${FP} url=https://x/"a`, /Line 1: .*url= needs a value without spaces, quotes/],
    ['an arbitrary torrc option', '[tor]\nMode proxy\nLog notice file /tmp/x', /^Line 3: "Log" is not an option a Tor profile may set\. Burrow never passes arbitrary torrc lines/],
    ['ClientTransportPlugin (runs programs)', '[tor]\nClientTransportPlugin obfs4 exec /bin/sh', /^Line 2: "ClientTransportPlugin" is not an option/],
    ['a bad Mode', '[tor]\nMode vpn', /^Line 2: Mode is proxy .* or system/],
    ['a privileged SocksPort', '[tor]\nSocksPort 80', /^Line 2: SocksPort takes a port number from 1024/],
    ['a repeated key', '[tor]\nMode proxy\nMode system', /^Line 3: Mode is already set on line 2/],
    ['a bad allowlisted value', '[tor]\nNumEntryGuards 99', /^Line 2: NumEntryGuards takes a whole number from 1 to 10/],
    ['a node list with junk', '[tor]\nExitNodes {de};rm', /^Line 2: ExitNodes takes fingerprints/],
    ['TestingTorNetwork on the public network', '[tor]\nTestingTorNetwork 1', /^Line 2: TestingTorNetwork 1 is only for a private Tor network/],
    ['UseBridges without bridges', '[tor]\nUseBridges 1', /^Line 2: UseBridges is 1 but the profile has no bridge lines/],
    ['a DirAuthority without fingerprint', '[tor]\nDirAuthority auth1 orport=9001 v3ident=0123456789ABCDEF0123456789ABCDEF01234567 10.0.0.1:9030', /^Line 2: DirAuthority needs the authority's fingerprint/],
    ['a DirAuthority without v3ident', '[tor]\nDirAuthority auth1 orport=9001 10.0.0.1:9030 89ABCDEF0123456789ABCDEF0123456789ABCDEF', /^Line 2: DirAuthority needs v3ident=/],
    ['a DirAuthority with an unknown flag', `[tor]\nDirAuthority auth1 evil=1 ${AUTHORITY.split(' ').slice(1).join(' ')}`, /^Line 2: DirAuthority "evil=1" is not a nickname or a flag/],
    ['another section', '[Interface]\nPrivateKey = x', /^Line 1: \[Interface\] is not a section of a Tor profile/],
    ['[tor] later on', `${OBFS4}\n[tor]`, /^Line 2: \[tor\] must be the first line/],
    ['a duplicate bridge', `${OBFS4}\n\n${OBFS4}`, /^Line 3: this bridge \(192\.95\.36\.142:443\) is already on line 1/],
    ['a control character', '[tor]\nMode proxy\u0007', /^Line 2: the line contains a control character/],
    ['an empty file', '# nothing\n\n', /^This Tor profile is empty/],
  ];
  for (const [what, text, message] of cases) {
    it(what, () => {
      const error = failure(text);
      expect(error.code).toBe('invalid_profile');
      expect(error.message).toMatch(message);
      if (error.message.startsWith('Line ')) expect(error.evidence).toMatchObject({ line: Number(/^Line (\d+)/.exec(error.message)?.[1]), file: 'bridges.txt' });
    });
  }

  it('never echoes a whole bridge line (a private bridge is not for the logs)', () => {
    const error = failure(`obfs4 192.0.2.3:443 ${FP} cert=${CERT.slice(0, 60)} iat-mode=0`);
    expect(error.message).not.toContain(CERT.slice(0, 60));
    expect(error.message).not.toContain(FP);
  });
});
