import { describe, expect, it } from 'vitest';

import { BurrowError } from '../../../../app/domain/errors.js';
import { ReplyParser, isEvent } from '../../../../app/networks/tor/control/reply-parser.js';
import type { ControlReply } from '../../../../app/networks/tor/control/reply-parser.js';

const STREAM = [
  '250-PROTOCOLINFO 1\r\n',
  '250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/var/lib/tor/control_auth_cookie"\r\n',
  '250-VERSION Tor="0.4.9.11"\r\n',
  '250 OK\r\n',
  '650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting to a relay"\r\n',
  '250+config-text=\r\n',
  'SocksPort 0\r\n',
  '..hidden\r\n',
  '...\r\n',
  '.\r\n',
  '250-version=0.4.9.11\r\n',
  '250 OK\r\n',
  '650-CONF_CHANGED\r\n650-ContactInfo=x\r\n650 OK\r\n',
].join('');

function parseAll(chunks: readonly Uint8Array[]): ControlReply[] {
  const parser = new ReplyParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

describe('ReplyParser', () => {
  const whole = parseAll([Buffer.from(STREAM)]);

  it('parses end, mid, data and event lines into replies', () => {
    expect(whole.map((r) => r.code)).toEqual([250, 650, 250, 650]);
    expect(whole[0]?.lines.map((l) => l.separator)).toEqual(['-', '-', '-', ' ']);
    expect(whole[0]?.lines[1]?.text).toBe('AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/var/lib/tor/control_auth_cookie"');
    expect(whole.map(isEvent)).toEqual([false, true, false, true]);
    expect(whole[3]?.lines.map((l) => l.text)).toEqual(['CONF_CHANGED', 'ContactInfo=x', 'OK']);
  });

  it('dot-unstuffs data blocks and ends them at a lone dot', () => {
    const data = whole[2]?.lines[0];
    expect(data?.separator).toBe('+');
    expect(data?.text).toBe('config-text=');
    expect(data?.data).toBe('SocksPort 0\n.hidden\n..');
    expect(whole[2]?.lines[1]?.text).toBe('version=0.4.9.11');
  });

  it('gives the same replies whatever the chunking: every split point, and byte by byte', () => {
    const bytes = Buffer.from(STREAM);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(parseAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    expect(parseAll([...bytes].map((b) => Uint8Array.of(b)))).toEqual(whole);
  });

  it('splits inside CRLF and inside a multi-byte UTF-8 character', () => {
    const bytes = Buffer.from('250 Nickname=Café\r\n');
    const at = bytes.indexOf(0xc3) + 1;
    expect(parseAll([bytes.subarray(0, at), bytes.subarray(at, bytes.length - 1), bytes.subarray(bytes.length - 1)])[0]?.lines[0]?.text).toBe(
      'Nickname=Café',
    );
  });

  it('returns nothing until a reply is complete and reports idleness', () => {
    const parser = new ReplyParser();
    expect(parser.push(Buffer.from('250-a=1\r\n250-b'))).toEqual([]);
    expect(parser.idle).toBe(false);
    expect(parser.push(Buffer.from('=2\r\n250 OK\r\n'))).toHaveLength(1);
    expect(parser.idle).toBe(true);
  });

  it('rejects an oversized line even before its end arrives', () => {
    const parser = new ReplyParser({ maxLineBytes: 100 });
    expect(() => parser.push(Buffer.from(`250-${'x'.repeat(200)}`))).toThrow(expect.objectContaining({ code: 'message_too_large' }));
  });

  it('rejects an oversized reply made of many short lines, and stays failed', () => {
    const parser = new ReplyParser({ maxReplyBytes: 1000 });
    const flood = Buffer.from('250+ns/all=\r\n' + 'r relay\r\n'.repeat(200));
    let caught: unknown;
    try {
      parser.push(flood);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BurrowError);
    expect((caught as BurrowError).code).toBe('message_too_large');
    expect(() => parser.push(Buffer.from('250 OK\r\n'))).toThrow(BurrowError);
  });

  it('accepts replies up to the limit and counts per reply, not per connection', () => {
    const parser = new ReplyParser({ maxReplyBytes: 64 });
    for (let i = 0; i < 100; i += 1) expect(parser.push(Buffer.from('250 OK\r\n'))).toHaveLength(1);
  });

  it('rejects a line that is not a status line', () => {
    const parser = new ReplyParser();
    expect(() => parser.push(Buffer.from('HELLO\r\n'))).toThrow(expect.objectContaining({ code: 'helper_failed' }));
  });

  it('tolerates bare LF line ends', () => {
    expect(parseAll([Buffer.from('250-a=1\n250 OK\n')])[0]?.lines.map((l) => l.text)).toEqual(['a=1', 'OK']);
  });
});
