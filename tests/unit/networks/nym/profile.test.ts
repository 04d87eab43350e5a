// The Nym profile format: what it accepts (with Burrow's defaults), what it refuses (line number and a
// sentence), how it is told apart from other profiles, and what mixing costs.
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../../app/domain/errors.js';
import { ProfileSummarySchema } from '../../../../app/domain/profile.js';
import { parseImportedProfile } from '../../../../app/host/profile-import.js';
import { createNetworks } from '../../../../app/networks/registry.js';
import { mixingCost, nymConfigFromRecord } from '../../../../app/networks/nym/config.js';
import { detectNymProfile, parseNymProfile, parseNymProfileText } from '../../../../app/networks/nym/profile.js';

const ID = '4QsA5Epmf1fhrnKPNPs545QiLmwpLGRk4oZ7z136PD6L';
const ENC = 'Cvhn9rBJw5Ay9wgHcbgCnVg89MPSV5s2muPV2YF1BXYu';
const GW = 'Fo4f4SQLdoyoGkFae5TpVhRVoXCF8UiypLVGtGjujVPf';
const PROVIDER = `${ID}.${ENC}@${GW}`;

function failure(text: string): BurrowError {
  try {
    parseNymProfileText(text, 'exit.nym');
  } catch (error) {
    if (error instanceof BurrowError) return error;
    throw error;
  }
  throw new Error('expected the profile to be refused');
}

describe('parseNymProfile', () => {
  it('reads every setting; keys are case-insensitive and comments are ignored', () => {
    const text = ['# my exit', '[nym]', 'Name = Home exit', `provider = ${PROVIDER}`, `Gateway = ${GW}`, 'Mode = system', 'SocksPort 1090', 'AveragePacketDelay = 0.02s', 'CoverTraffic = off', 'NymApi = https://validator.nymtech.net/api/', 'NymApi = http://10.1.2.3:8080', 'DnsServer = 9.9.9.9'].join('\n');
    const profile = parseNymProfile(text, 'x.nym');
    expect(profile).toMatchObject({ network: 'nym', suggestedName: 'Home exit', secrets: {} });
    expect(profile.config).toEqual({
      version: 1,
      mode: 'system',
      provider: PROVIDER,
      gateway: GW,
      socksPort: 1090,
      averagePacketDelayMs: 20,
      coverTraffic: false,
      nymApis: ['https://validator.nymtech.net/api/', 'http://10.1.2.3:8080/'],
      dnsServer: '9.9.9.9',
    });
    expect(nymConfigFromRecord(profile.config)).toEqual(profile.config);
    expect(ProfileSummarySchema.shape.details.safeParse(profile.details).success).toBe(true);
    expect(profile.details).toMatchObject({ mode: 'system', exit: '4QsA5E…PD6L', entryGateway: 'Fo4f4S…jVPf', socksPort: 1090 });
  });

  it('defaults: proxy mode, port 1080, 15 ms per hop, cover traffic on; the name comes from the file', () => {
    const profile = parseNymProfile(`Provider = ${PROVIDER}\n`, 'quickstart.nym');
    expect(profile.suggestedName).toBe('quickstart');
    expect(profile.config).toMatchObject({ mode: 'proxy', socksPort: 1080, averagePacketDelayMs: 15, coverTraffic: true, nymApis: [] });
    expect(profile.details.entryGateway).toBe('chosen by the client');
  });

  it.each([
    [`[nym]\nName = x\n`, /needs a Provider line/],
    [`[nym]\nProvider = ${ID}@${GW}\n`, /^Line 2: Provider is the exit's Nym address/],
    [`[nym]\nProvider = ${PROVIDER}\nGateway = 0OIl\n`, /^Line 3: Gateway is a gateway's identity key/],
    [`[nym]\nProvider = ${PROVIDER}\nSocksPort = 80\n`, /^Line 3: SocksPort takes a port number from 1024/],
    [`[nym]\nProvider = ${PROVIDER}\nAveragePacketDelay = fast\n`, /^Line 3: AveragePacketDelay is a delay such as 15ms/],
    [`[nym]\nProvider = ${PROVIDER}\nAveragePacketDelay = 2s\n`, /^Line 3: AveragePacketDelay must be between 0 and 1000 ms/],
    [`[nym]\nProvider = ${PROVIDER}\nCoverTraffic = maybe\n`, /^Line 3: CoverTraffic is on or off/],
    [`[nym]\nProvider = ${PROVIDER}\nMode = vpn\n`, /^Line 3: Mode is proxy .* or system/],
    [`[nym]\nProvider = ${PROVIDER}\nNymApi = ftp://x\n`, /^Line 3: NymApi is an http/],
    [`[nym]\nProvider = ${PROVIDER}\nDnsServer = dns.google\n`, /^Line 3: DnsServer is an IP address/],
    [`[nym]\nProvider = ${PROVIDER}\nProvider = ${PROVIDER}\n`, /^Line 3: Provider is already set on line 2/],
    [`[nym]\nProvider = ${PROVIDER}\nBinary = /tmp/evil\n`, /^Line 3: "Binary" is not a setting of this profile/],
    [`Provider = ${PROVIDER}\n[nym]\n`, /^Line 2: \[nym\] must be the first line/],
    [`[tor]\nProvider = ${PROVIDER}\n`, /^Line 1: \[tor\] is not a section of this profile/],
    [`[nym]\nProvider = ${PROVIDER}\u0007\n`, /control character/],
    ['', /the file is empty/],
  ])('refuses %j', (text, message) => {
    const error = failure(text);
    expect(error.code).toBe('invalid_profile');
    expect(error.message).toMatch(message);
    expect(error.evidence?.file).toBe('exit.nym');
  });

  it('is detected by its header or a first Provider line, and not taken for another network', () => {
    expect(detectNymProfile(`[nym]\nProvider = ${PROVIDER}`)).toBe(true);
    expect(detectNymProfile(`  [ NYM ]`)).toBe(true);
    expect(detectNymProfile(`Provider = ${PROVIDER}`)).toBe(true);
    expect(detectNymProfile('[Interface]\nPrivateKey = x')).toBe(false);
    expect(detectNymProfile('[dvpn]\nProvider = mysterium')).toBe(false);
    const parsers = createNetworks({ log: () => undefined }).parsers;
    expect(parseImportedProfile(parsers, { content: `[nym]\nProvider = ${PROVIDER}\n` }).network).toBe('nym');
    expect(parseImportedProfile(parsers, { content: '[dvpn]\nCountry = NL\n' }).network).toBe('dvpn');
  });

  it('a damaged stored config is refused with a sentence', () => {
    expect(() => nymConfigFromRecord({ version: 1, mode: 'proxy', provider: 'x' })).toThrow(/The stored Nym profile is damaged \(provider, socksPort/);
  });
});

describe('mixingCost', () => {
  it('three hops each way at the mean delay, and the cover traffic\'s bandwidth', () => {
    expect(mixingCost({ averagePacketDelayMs: 15, coverTraffic: true })).toEqual({
      oneWayMs: 45,
      roundTripMs: 90,
      coverBytesPerSecond: 112_640,
      summary: '15 ms mean per mix hop × 3 hops: about +90 ms per round trip, cover traffic about 55 packets/s, about 110 KiB/s each way (about 0.8 GiB an hour, idle or not)',
    });
    expect(mixingCost({ averagePacketDelayMs: 0, coverTraffic: false }).summary).toBe('0 ms mean per mix hop × 3 hops: about +0 ms per round trip, no cover traffic (the client sends only when you do: easier to observe)');
  });
});
