// STAND-IN support: the SOCKS4, SOCKS4a and SOCKS5 CONNECT request parsing of the nym-socks5-client
// stand-in. Like the real client it acknowledges a CONNECT at once, before anyone tried the destination,
// and refuses every other command (BIND, UDP ASSOCIATE) with "command not supported".
import type { Socket } from 'node:net';

export interface ConnectRequest {
  version: 4 | 5;
  host: string;
  port: number;
}

export type Parsed =
  | { kind: 'more' }
  | { kind: 'connect'; request: ConnectRequest; reply: Buffer; consumed: number }
  | { kind: 'refuse'; reply: Buffer; reason: string };

/** SOCKS5 success: BND.ADDR 0.0.0.0:0 (the real client answers with an unspecified bound address too). */
export const SOCKS5_OK = Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
const SOCKS4_OK = Buffer.from([0, 0x5a, 0, 0, 0, 0, 0, 0]);

function socks5Error(code: number): Buffer {
  return Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]);
}

/** SOCKS5 greeting: answers "no authentication" when offered, "no acceptable method" otherwise. */
export function parseGreeting(buf: Buffer): { kind: 'more' } | { kind: 'ok' | 'refuse'; reply: Buffer; consumed: number } {
  if (buf.length < 2) return { kind: 'more' };
  const count = buf[1] ?? 0;
  if (buf.length < 2 + count) return { kind: 'more' };
  const methods = [...buf.subarray(2, 2 + count)];
  return methods.includes(0)
    ? { kind: 'ok', reply: Buffer.from([5, 0]), consumed: 2 + count }
    : { kind: 'refuse', reply: Buffer.from([5, 0xff]), consumed: 2 + count };
}

/** A SOCKS5 request after the greeting. */
export function parseSocks5Request(buf: Buffer): Parsed {
  if (buf.length < 5) return { kind: 'more' };
  if (buf[0] !== 5) return { kind: 'refuse', reply: socks5Error(1), reason: 'bad version' };
  const command = buf[1];
  const atyp = buf[3];
  let host: string;
  let offset: number;
  if (atyp === 1) {
    if (buf.length < 10) return { kind: 'more' };
    host = [...buf.subarray(4, 8)].join('.');
    offset = 8;
  } else if (atyp === 3) {
    const len = buf[4] ?? 0;
    if (buf.length < 5 + len + 2) return { kind: 'more' };
    host = buf.subarray(5, 5 + len).toString('latin1');
    offset = 5 + len;
  } else if (atyp === 4) {
    if (buf.length < 22) return { kind: 'more' };
    const groups: string[] = [];
    for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(4 + i * 2).toString(16));
    host = groups.join(':');
    offset = 20;
  } else {
    return { kind: 'refuse', reply: socks5Error(8), reason: `address type ${atyp}` };
  }
  if (command !== 1) return { kind: 'refuse', reply: socks5Error(7), reason: `command ${command} (only CONNECT)` };
  const port = buf.readUInt16BE(offset);
  return { kind: 'connect', request: { version: 5, host, port }, reply: SOCKS5_OK, consumed: offset + 2 };
}

/** SOCKS4 and SOCKS4a (0.0.0.x plus a host name after the user id). */
export function parseSocks4Request(buf: Buffer): Parsed {
  if (buf.length < 9) return { kind: 'more' };
  const command = buf[1];
  const port = buf.readUInt16BE(2);
  const ip = [...buf.subarray(4, 8)];
  const userEnd = buf.indexOf(0, 8);
  if (userEnd < 0) return { kind: 'more' };
  let host = ip.join('.');
  let consumed = userEnd + 1;
  if (ip[0] === 0 && ip[1] === 0 && ip[2] === 0 && ip[3] !== 0) {
    const nameEnd = buf.indexOf(0, consumed);
    if (nameEnd < 0) return { kind: 'more' };
    host = buf.subarray(consumed, nameEnd).toString('latin1');
    consumed = nameEnd + 1;
  }
  if (command !== 1) return { kind: 'refuse', reply: Buffer.from([0, 0x5b, 0, 0, 0, 0, 0, 0]), reason: `command ${command} (only CONNECT)` };
  return { kind: 'connect', request: { version: 4, host, port }, reply: SOCKS4_OK, consumed };
}

/**
 * Runs the SOCKS handshake on `socket` and calls `onConnect` with the request and any bytes the program
 * sent after it. The success reply is written before `onConnect` runs: the destination is never tried first.
 */
export function acceptSocks(socket: Socket, onConnect: (request: ConnectRequest, early: Buffer) => void, onRefuse: (reason: string) => void): void {
  let buf = Buffer.alloc(0);
  let stage: 'start' | 'request5' | 'done' = 'start';
  const onData = (chunk: Buffer): void => {
    buf = Buffer.concat([buf, chunk]);
    if (stage === 'start') {
      if (buf[0] === 4) {
        const parsed = parseSocks4Request(buf);
        finish(parsed);
        return;
      }
      if (buf[0] !== 5) {
        stage = 'done';
        onRefuse(`not a SOCKS request (first byte ${buf[0]})`);
        socket.destroy();
        return;
      }
      const greeting = parseGreeting(buf);
      if (greeting.kind === 'more') return;
      socket.write(greeting.reply);
      if (greeting.kind === 'refuse') {
        stage = 'done';
        onRefuse('no acceptable authentication method');
        socket.end();
        return;
      }
      buf = buf.subarray(greeting.consumed);
      stage = 'request5';
    }
    if (stage === 'request5') finish(parseSocks5Request(buf));
  };
  const finish = (parsed: Parsed): void => {
    if (parsed.kind === 'more') return;
    stage = 'done';
    socket.off('data', onData);
    socket.write(parsed.reply);
    if (parsed.kind === 'refuse') {
      onRefuse(parsed.reason);
      socket.end();
      return;
    }
    onConnect(parsed.request, buf.subarray(parsed.consumed));
  };
  socket.on('data', onData);
}
