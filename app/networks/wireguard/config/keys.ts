// WireGuard keys: strict base64 decoding (as `wg` does it), hex for the UAPI, and the X25519 public key
// derived from a private key. Nothing here ever puts a key into a message.
import { createPrivateKey, createPublicKey } from 'node:crypto';

export const KEY_BYTES = 32;

/** 43 base64 characters then "="; the 43rd carries 4 bits, so it must leave the unused 2 bits zero. */
const CANONICAL_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

export type KeyCheck = { ok: true; bytes: Buffer } | { ok: false; problem: string };

/**
 * Decode a base64 WireGuard key. The problem text describes the value's shape (length, alphabet) and never
 * quotes it, so it is safe to show for private and preshared keys too.
 */
export function decodeKey(text: string): KeyCheck {
  if (CANONICAL_KEY.test(text)) {
    return { ok: true, bytes: Buffer.from(text, 'base64') };
  }
  const shape = 'a WireGuard key is 44 characters of base64 ending in "=" (32 bytes, as `wg genkey` prints it)';
  if (text.length === 0) return { ok: false, problem: `it is empty; ${shape}` };
  if (!BASE64_CHARS.test(text)) {
    return { ok: false, problem: `it contains characters that are not base64; ${shape}` };
  }
  const decoded = Buffer.from(text, 'base64').length;
  if (decoded !== KEY_BYTES) {
    return { ok: false, problem: `it decodes to ${decoded} bytes, not ${KEY_BYTES}; ${shape}` };
  }
  // 32 bytes but not in canonical form (missing padding, or stray low bits in the last character): `wg`
  // refuses these, so importing it would only fail later at connect time.
  return { ok: false, problem: `it is not in canonical form; ${shape}` };
}

export function isAllZero(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0);
}

// PKCS#8 DER prefix for a raw X25519 private key (RFC 8410). Node 20 refuses a JWK private key without its
// public "x", which is what we want to compute, so the raw key goes in as DER instead.
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** The public key `wg pubkey` prints for this private key (X25519 clamps the scalar itself). */
export function publicKeyFromPrivate(privateKey: Uint8Array): string {
  if (privateKey.length !== KEY_BYTES) throw new RangeError('an X25519 private key is 32 bytes');
  const der = Buffer.concat([X25519_PKCS8_PREFIX, privateKey]);
  const keyObject = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(keyObject).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('node:crypto returned no X25519 public key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** Lower-case hex, as the cross-platform UAPI wants keys. */
export function keyToHex(base64Key: string): string {
  const check = decodeKey(base64Key);
  if (!check.ok) throw new RangeError(`not a WireGuard key: ${check.problem}`);
  return check.bytes.toString('hex');
}
