// The dVPN profile format: settings with Burrow's defaults, secrets kept apart and never in the details,
// refusals with line numbers.
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../../app/domain/errors.js';
import { dvpnConfigFromRecord, dvpnSecrets } from '../../../../app/networks/dvpn/config.js';
import { detectDvpnProfile, parseDvpnProfile, parseDvpnProfileText } from '../../../../app/networks/dvpn/profile.js';

function failure(text: string): BurrowError {
  try {
    parseDvpnProfileText(text, 'node.dvpn');
  } catch (error) {
    if (error instanceof BurrowError) return error;
    throw error;
  }
  throw new Error('expected the profile to be refused');
}

describe('parseDvpnProfile', () => {
  it('reads every setting; the password and passphrase go to the secrets only', () => {
    const text = ['[dvpn]', 'Name = Cheap NL', 'Provider = Mysterium', 'Mode = system', 'TequilapiPort = 4050', 'ProxyPort = 10001', 'Country = nl', 'Node = 0x1111111111111111111111111111111111111111', 'MaxPricePerGiB = 0.1', 'MaxPricePerHour = 0.002', 'DnsServer = 1.1.1.1', 'TequilapiPassword = s3cret', 'IdentityPassphrase = pass phrase'].join('\n');
    const profile = parseDvpnProfile(text);
    expect(profile).toMatchObject({ network: 'dvpn', suggestedName: 'Cheap NL', secrets: { tequilapiPassword: 's3cret', identityPassphrase: 'pass phrase' } });
    expect(profile.config).toEqual({ version: 1, provider: 'mysterium', mode: 'system', tequilapiPort: 4050, proxyPort: 10001, country: 'NL', node: '0x1111111111111111111111111111111111111111', maxPricePerGib: 0.1, maxPricePerHour: 0.002, dnsServer: '1.1.1.1' });
    expect(dvpnConfigFromRecord(profile.config)).toEqual(profile.config);
    expect(JSON.stringify(profile.details)).not.toMatch(/s3cret|pass phrase/);
    expect(JSON.stringify(profile.config)).not.toMatch(/s3cret|pass phrase/);
    expect(profile.details).toMatchObject({ provider: 'Mysterium', node: '0x1111111111111111111111111111111111111111', customPassword: true, maxPricePerGiB: '0.1 MYST' });
  });

  it('defaults: proxy mode, myst\'s default login, an empty passphrase, the best node anywhere', () => {
    const profile = parseDvpnProfile('[mysterium]\n', 'home.dvpn');
    expect(profile.suggestedName).toBe('home');
    expect(profile.config).toEqual({ version: 1, provider: 'mysterium', mode: 'proxy', tequilapiPort: 44050, proxyPort: 10000 });
    expect(dvpnSecrets(profile.secrets)).toEqual({ tequilapiPassword: 'mystberry', identityPassphrase: '' });
    expect(profile.details.node).toBe('best quality');
  });

  it('Identity names the person\'s own identity (kept lower case, shown in the details); a bad address is refused by line', () => {
    const profile = parseDvpnProfile('[dvpn]\nIdentity = 0xABCDEF0123456789ABCDEF0123456789ABCDEF01\n', 'own.dvpn');
    expect(profile.config.identity).toBe('0xabcdef0123456789abcdef0123456789abcdef01');
    expect(profile.details.identity).toBe('0xabcdef0123456789abcdef0123456789abcdef01');
    expect(dvpnConfigFromRecord(profile.config)).toEqual(profile.config);
    expect(parseDvpnProfile('[dvpn]\n', 'x.dvpn').details.identity).toBe('myst\'s default (created on first use)');
    expect(failure('[dvpn]\nIdentity = me\n').message).toMatch(/^Line 2: Identity is a Mysterium identity address: 0x and 40 hex digits\./);
  });

  it.each([
    ['[dvpn]\nProvider = sentinel\n', /^Line 2: Burrow drives Mysterium only/],
    ['[dvpn]\nCountry = Netherlands\n', /^Line 2: Country is a two-letter country code/],
    ['[dvpn]\nNode = 0x12\n', /^Line 2: Node is a provider identity/],
    ['[dvpn]\nMaxPricePerGiB = cheap\n', /^Line 2: MaxPricePerGiB is an amount of MYST/],
    ['[dvpn]\nProxyPort = 44050\n', /TequilapiPort and ProxyPort must differ/],
    ['[dvpn]\nMode = tun\n', /^Line 2: Mode is proxy/],
    ['[dvpn]\nKillSwitch = off\n', /^Line 2: "KillSwitch" is not a setting of this profile/],
  ])('refuses %j', (text, message) => {
    const error = failure(text);
    expect(error.code).toBe('invalid_profile');
    expect(error.message).toMatch(message);
  });

  it('is detected by its header only', () => {
    expect(detectDvpnProfile('[dvpn]')).toBe(true);
    expect(detectDvpnProfile('# x\n[Mysterium]\n')).toBe(true);
    expect(detectDvpnProfile('Country = NL')).toBe(false);
  });
});
