// Control-port authentication (control-spec §3.5, §3.21, §3.24): PROTOCOLINFO parsing, choosing a method,
// the SAFECOOKIE challenge/response, and deriving a HashedControlPassword without handing the password to
// `tor --hash-password` on a command line (argv is readable by every user through /proc).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';

import { BurrowError } from '../../../domain/errors.js';
import { parseArguments } from './quote.js';
import type { ControlReply } from './reply-parser.js';

export type AuthMethod = 'SAFECOOKIE' | 'HASHEDPASSWORD' | 'NULL';

export interface ProtocolInfo {
  readonly protocolVersion: number;
  /** As tor lists them, e.g. ['COOKIE', 'SAFECOOKIE', 'HASHEDPASSWORD']. */
  readonly authMethods: readonly string[];
  readonly cookieFile: string | undefined;
  readonly torVersion: string | undefined;
}

export interface AuthOptions {
  /** The control password (the clear text whose hash is in HashedControlPassword). */
  readonly password?: string;
  /** The 32 cookie bytes, if the caller already has them. */
  readonly cookie?: Uint8Array;
  /**
   * Where to read the cookie. Prefer passing it: the app knows tor's DataDirectory, and then a rogue
   * listener cannot name another file. Defaults to the COOKIEFILE tor reports.
   */
  readonly cookieFile?: string;
  /** Force one method instead of the automatic choice. */
  readonly method?: AuthMethod;
}

export const COOKIE_LENGTH = 32;
export const SERVER_TO_CONTROLLER_KEY = 'Tor safe cookie authentication server-to-controller hash';
export const CONTROLLER_TO_SERVER_KEY = 'Tor safe cookie authentication controller-to-server hash';

export function parseProtocolInfo(reply: ControlReply): ProtocolInfo {
  let protocolVersion = 0;
  let authMethods: string[] = [];
  let cookieFile: string | undefined;
  let torVersion: string | undefined;
  for (const line of reply.lines) {
    const space = line.text.indexOf(' ');
    const head = space < 0 ? line.text : line.text.slice(0, space);
    const rest = space < 0 ? '' : line.text.slice(space + 1);
    const args = parseArguments(rest);
    if (head === 'PROTOCOLINFO') protocolVersion = Number(args.positional[0] ?? '0');
    else if (head === 'AUTH') {
      authMethods = (args.keyword.METHODS ?? '').split(',').filter((m) => m.length > 0);
      cookieFile = args.keyword.COOKIEFILE;
    } else if (head === 'VERSION') torVersion = args.keyword.Tor;
  }
  return { protocolVersion, authMethods, cookieFile, torVersion };
}

/**
 * The best method both sides can do: SAFECOOKIE (it also proves tor knows the cookie), then a password,
 * then NULL. Plain COOKIE is never used: it hands the cookie itself to whoever listens on the port.
 */
export function chooseAuthMethod(info: ProtocolInfo, options: AuthOptions): AuthMethod {
  const offered = new Set(info.authMethods);
  if (options.method !== undefined) {
    if (!offered.has(options.method)) {
      throw new BurrowError('unauthorized', `Tor does not offer ${options.method} authentication on this control port.`, {
        offered: info.authMethods,
      });
    }
    return options.method;
  }
  const haveCookie = options.cookie !== undefined || options.cookieFile !== undefined || info.cookieFile !== undefined;
  if (offered.has('SAFECOOKIE') && haveCookie) return 'SAFECOOKIE';
  if (offered.has('HASHEDPASSWORD') && options.password !== undefined) return 'HASHEDPASSWORD';
  if (offered.has('NULL')) return 'NULL';
  throw new BurrowError('unauthorized', 'No control-port authentication method is possible: tor wants credentials Burrow was not given.', {
    offered: info.authMethods,
    passwordGiven: options.password !== undefined,
  });
}

/** Reads a cookie file, refusing anything that is not exactly 32 bytes (and never reading a big file). */
export async function readCookieFile(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new BurrowError('unauthorized', `Cannot read tor's control cookie file ${path}.`, {
      path,
      cause: error instanceof Error ? error.message : String(error),
    });
  });
  try {
    const { size } = await handle.stat();
    if (size !== COOKIE_LENGTH) {
      throw new BurrowError('unauthorized', `Tor's control cookie file ${path} is ${size} bytes, not ${COOKIE_LENGTH}.`, { path, size });
    }
    const cookie = Buffer.alloc(COOKIE_LENGTH);
    await handle.read(cookie, 0, COOKIE_LENGTH, 0);
    return cookie;
  } finally {
    await handle.close();
  }
}

export interface AuthChallenge {
  readonly serverHash: Buffer;
  readonly serverNonce: Buffer;
}

export function parseAuthChallenge(reply: ControlReply): AuthChallenge {
  const text = reply.lines[0]?.text ?? '';
  const args = parseArguments(text);
  const hex = /^[0-9A-Fa-f]{64}$/;
  const hash = args.keyword.SERVERHASH ?? '';
  const nonce = args.keyword.SERVERNONCE ?? '';
  if (args.positional[0] !== 'AUTHCHALLENGE' || !hex.test(hash) || !hex.test(nonce)) {
    throw new BurrowError('unauthorized', 'Tor sent a malformed AUTHCHALLENGE reply; refusing to authenticate.', { reply: text.slice(0, 200) });
  }
  return { serverHash: Buffer.from(hash, 'hex'), serverNonce: Buffer.from(nonce, 'hex') };
}

export function safeCookieHash(key: string, cookie: Uint8Array, clientNonce: Uint8Array, serverNonce: Uint8Array): Buffer {
  return createHmac('sha256', key).update(cookie).update(clientNonce).update(serverNonce).digest();
}

/**
 * Checks tor's SERVERHASH and returns the controller hash to send. Throws `unauthorized` if the server hash
 * is wrong: the peer does not know the cookie (an impostor, or the wrong cookie), and nothing is sent.
 */
export function answerSafeCookie(cookie: Uint8Array, clientNonce: Uint8Array, challenge: AuthChallenge): Buffer {
  const expected = safeCookieHash(SERVER_TO_CONTROLLER_KEY, cookie, clientNonce, challenge.serverNonce);
  if (challenge.serverHash.length !== expected.length || !timingSafeEqual(challenge.serverHash, expected)) {
    throw new BurrowError(
      'unauthorized',
      'The control port failed the SAFECOOKIE check: it does not know the cookie. Either the cookie is wrong or this is not our tor.',
      { method: 'SAFECOOKIE' },
    );
  }
  return safeCookieHash(CONTROLLER_TO_SERVER_KEY, cookie, clientNonce, challenge.serverNonce);
}

export function newClientNonce(): Buffer {
  return randomBytes(32);
}

/**
 * The HashedControlPassword value for `password`, in tor's format (`16:` + hex of salt, count byte and the
 * OpenPGP iterated-salted S2K SHA-1 digest), so the app can configure tor without putting the password in
 * argv. `countByte` 0x60 (65536 bytes hashed) is tor's own default.
 */
export function hashControlPassword(password: string, salt: Uint8Array = randomBytes(8), countByte = 0x60): string {
  if (salt.length !== 8) throw new BurrowError('invalid_request', 'The S2K salt must be 8 bytes.');
  const count = (16 + (countByte & 15)) << ((countByte >> 4) + 6);
  const input = Buffer.concat([Buffer.from(salt), Buffer.from(password, 'utf8')]);
  const sha = createHash('sha1');
  let remaining = count;
  while (remaining > 0) {
    const take = Math.min(remaining, input.length);
    sha.update(take === input.length ? input : input.subarray(0, take));
    remaining -= take;
  }
  const specifier = Buffer.concat([Buffer.from(salt), Buffer.from([countByte])]);
  return `16:${Buffer.concat([specifier, sha.digest()]).toString('hex').toUpperCase()}`;
}

/**
 * A fresh random control password and what to give tor for it: pass `hashedControlPassword` as tor's
 * HashedControlPassword option and keep `password` in memory for AUTHENTICATE.
 */
export function createControlPassword(): { password: string; hashedControlPassword: string } {
  const password = randomBytes(32).toString('base64url');
  return { password, hashedControlPassword: hashControlPassword(password) };
}
