import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  answerSafeCookie,
  chooseAuthMethod,
  hashControlPassword,
  parseAuthChallenge,
  parseProtocolInfo,
  CONTROLLER_TO_SERVER_KEY,
  SERVER_TO_CONTROLLER_KEY,
} from '../../../../app/networks/tor/control/auth.js';
import type { ProtocolInfo } from '../../../../app/networks/tor/control/auth.js';
import { parseBootstrapProgress, parseCircuitPath, parseCircuitStatus, parseEvent } from '../../../../app/networks/tor/control/events.js';
import { assertSafeArgument, parseArguments, quoteString, unquoteIfQuoted } from '../../../../app/networks/tor/control/quote.js';
import type { ControlReply, ReplyLine } from '../../../../app/networks/tor/control/reply-parser.js';

function reply(code: number, ...texts: string[]): ControlReply {
  const lines: ReplyLine[] = texts.map((text, i) => ({ code, separator: i === texts.length - 1 ? ' ' : '-', text }));
  return { code, lines };
}

const FP1 = 'A'.repeat(40);
const FP2 = '0123456789abcdef0123456789ABCDEF01234567';

describe('quoting', () => {
  it('refuses CR, LF and NUL without echoing the value', () => {
    for (const bad of ['a\r\nQUIT', 'a\nb', 'a\rb', 'a\0b']) {
      expect(() => assertSafeArgument(bad, 'password')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
    try {
      assertSafeArgument('s3cret\r\n', 'password');
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain('s3cret');
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it('quotes backslashes and quotes and round-trips through the decoder', () => {
    const value = 'a "q" b\\c \\n d=e\tf ✓';
    const quoted = quoteString(value, 'value');
    expect(quoted).toBe('"a \\"q\\" b\\\\c \\\\n d=e\tf ✓"');
    expect(unquoteIfQuoted(quoted)).toBe(value);
  });

  it('decodes the C escapes tor emits', () => {
    expect(unquoteIfQuoted('"tab\\there\\nnl \\x41\\101 \\\\ \\""')).toBe('tab\there\nnl AA \\ "');
    expect(unquoteIfQuoted('plain')).toBe('plain');
    expect(unquoteIfQuoted('"unterminated')).toBe('"unterminated');
  });

  it('splits positional words and KEY=VALUE pairs, with quoted values holding spaces', () => {
    expect(parseArguments('NOTICE BOOTSTRAP PROGRESS=10 TAG=conn_done SUMMARY="Connected to a relay"')).toEqual({
      positional: ['NOTICE', 'BOOTSTRAP'],
      keyword: { PROGRESS: '10', TAG: 'conn_done', SUMMARY: 'Connected to a relay' },
    });
    expect(parseArguments('"a b" c=')).toEqual({ positional: ['a b'], keyword: { c: '' } });
  });
});

describe('authentication helpers', () => {
  const info = parseProtocolInfo(
    reply(250, 'PROTOCOLINFO 1', 'AUTH METHODS=COOKIE,SAFECOOKIE,HASHEDPASSWORD COOKIEFILE="/run/tor/control.authcookie"', 'VERSION Tor="0.4.9.11"', 'OK'),
  );

  it('parses PROTOCOLINFO', () => {
    expect(info).toEqual({
      protocolVersion: 1,
      authMethods: ['COOKIE', 'SAFECOOKIE', 'HASHEDPASSWORD'],
      cookieFile: '/run/tor/control.authcookie',
      torVersion: '0.4.9.11',
    });
  });

  it('prefers SAFECOOKIE, then a password, then NULL, and never plain COOKIE', () => {
    expect(chooseAuthMethod(info, {})).toBe('SAFECOOKIE');
    expect(chooseAuthMethod(info, { password: 'x' })).toBe('SAFECOOKIE');
    const passwordOnly: ProtocolInfo = { ...info, authMethods: ['HASHEDPASSWORD'], cookieFile: undefined };
    expect(chooseAuthMethod(passwordOnly, { password: 'x' })).toBe('HASHEDPASSWORD');
    expect(() => chooseAuthMethod(passwordOnly, {})).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(chooseAuthMethod({ ...info, authMethods: ['NULL'], cookieFile: undefined }, {})).toBe('NULL');
    const cookieOnly: ProtocolInfo = { ...info, authMethods: ['COOKIE'] };
    expect(() => chooseAuthMethod(cookieOnly, {})).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(() => chooseAuthMethod(passwordOnly, { method: 'SAFECOOKIE' })).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });

  it('checks the SAFECOOKIE server hash before producing the client hash', () => {
    const cookie = Buffer.alloc(32, 7);
    const clientNonce = Buffer.alloc(32, 1);
    const serverNonce = Buffer.alloc(32, 2);
    const hmac = (key: string): Buffer => createHmac('sha256', key).update(Buffer.concat([cookie, clientNonce, serverNonce])).digest();
    const good = parseAuthChallenge(
      reply(250, `AUTHCHALLENGE SERVERHASH=${hmac(SERVER_TO_CONTROLLER_KEY).toString('hex').toUpperCase()} SERVERNONCE=${serverNonce.toString('hex')}`),
    );
    expect(answerSafeCookie(cookie, clientNonce, good)).toEqual(hmac(CONTROLLER_TO_SERVER_KEY));
    expect(() => answerSafeCookie(Buffer.alloc(32, 8), clientNonce, good)).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(() => parseAuthChallenge(reply(250, 'AUTHCHALLENGE SERVERHASH=00'))).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });

  it('derives a HashedControlPassword in tor format, deterministic for a given salt', () => {
    const salt = Buffer.from('0102030405060708', 'hex');
    const hash = hashControlPassword('hunter2', salt);
    expect(hash).toMatch(/^16:010203040506070860[0-9A-F]{40}$/);
    expect(hashControlPassword('hunter2', salt)).toBe(hash);
    expect(hashControlPassword('hunter3', salt)).not.toBe(hash);
    expect(hashControlPassword('hunter2')).not.toBe(hash);
  });
});

describe('events', () => {
  it('parses bootstrap progress from an event and from GETINFO status/bootstrap-phase', () => {
    expect(parseBootstrapProgress('NOTICE BOOTSTRAP PROGRESS=0 TAG=starting SUMMARY="Starting"')).toEqual({
      progress: 0,
      tag: 'starting',
      summary: 'Starting',
      severity: 'NOTICE',
    });
    expect(
      parseBootstrapProgress(
        'STATUS_CLIENT WARN BOOTSTRAP PROGRESS=10 TAG=conn_done SUMMARY="Connected to a relay" WARNING="Connection refused" REASON=CONNECTREFUSED COUNT=3 RECOMMENDATION=warn HOST=$' +
          FP1 +
          ' HOSTADDR="192.0.2.1:443"',
      ),
    ).toMatchObject({ progress: 10, severity: 'WARN', warning: 'Connection refused', reason: 'CONNECTREFUSED', count: 3, recommendation: 'warn' });
    expect(parseBootstrapProgress('NOTICE CIRCUIT_ESTABLISHED')).toBeUndefined();
    expect(parseBootstrapProgress('NOTICE BOOTSTRAP PROGRESS=101 TAG=x')).toBeUndefined();
  });

  it('parses circuit paths with ~ and = separators, bare fingerprints and bare nicknames', () => {
    expect(parseCircuitPath(`$${FP1}~alpha,$${FP2}=Beta,$${FP1},gamma`)).toEqual([
      { fingerprint: FP1, nickname: 'alpha' },
      { fingerprint: FP2.toUpperCase(), nickname: 'Beta' },
      { fingerprint: FP1, nickname: undefined },
      { fingerprint: undefined, nickname: 'gamma' },
    ]);
    expect(parseCircuitPath('')).toEqual([]);
  });

  it('types STATUS_CLIENT bootstrap, CIRC, STREAM, CONF_CHANGED and SIGNAL events', () => {
    const boot = parseEvent(reply(650, 'STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"'));
    expect(boot.type === 'STATUS_CLIENT' && boot.bootstrap?.progress).toBe(100);

    const circ = parseEvent(
      reply(650, `CIRC 7 BUILT $${FP1}~alpha,$${FP2}~beta BUILD_FLAGS=IS_INTERNAL,NEED_CAPACITY PURPOSE=GENERAL TIME_CREATED=2026-11-25T11:00:00.000000`),
    );
    expect(circ.type).toBe('CIRC');
    if (circ.type === 'CIRC') {
      expect(circ.circuit).toMatchObject({ id: '7', status: 'BUILT', buildFlags: ['IS_INTERNAL', 'NEED_CAPACITY'], purpose: 'GENERAL' });
      expect(circ.circuit.path.map((hop) => hop.nickname)).toEqual(['alpha', 'beta']);
    }
    const launched = parseEvent(reply(650, 'CIRC 8 LAUNCHED BUILD_FLAGS=NEED_CAPACITY PURPOSE=GENERAL'));
    expect(launched.type === 'CIRC' && launched.circuit.path).toEqual([]);

    const stream = parseEvent(reply(650, 'STREAM 12 SUCCEEDED 7 example.com:443 SOURCE_ADDR=127.0.0.1:50000 PURPOSE=USER'));
    expect(stream.type === 'STREAM' && stream.stream).toMatchObject({ id: '12', status: 'SUCCEEDED', circuitId: '7', target: 'example.com:443', purpose: 'USER' });

    const conf = parseEvent(reply(650, 'CONF_CHANGED', 'ContactInfo="a \\"b\\""', 'Bridge', 'OK'));
    expect(conf.type === 'CONF_CHANGED' && conf.changes).toEqual([
      { key: 'ContactInfo', value: 'a "b"' },
      { key: 'Bridge', value: undefined },
    ]);

    expect(parseEvent(reply(650, 'SIGNAL NEWNYM'))).toMatchObject({ type: 'SIGNAL', signal: 'NEWNYM' });
    expect(parseEvent(reply(650, 'BW 10 20'))).toMatchObject({ type: 'other', name: 'BW' });
  });

  it('parses GETINFO circuit-status lines', () => {
    expect(parseCircuitStatus('')).toEqual([]);
    const circuits = parseCircuitStatus(`1 BUILT $${FP1}~a PURPOSE=GENERAL\n2 EXTENDED $${FP2}~b,$${FP1}~c PURPOSE=GENERAL`);
    expect(circuits.map((c) => [c.id, c.status, c.path.length])).toEqual([
      ['1', 'BUILT', 1],
      ['2', 'EXTENDED', 2],
    ]);
  });
});
