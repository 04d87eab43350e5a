// STAND-IN support: the stand-ins' traffic is encrypted on the wire, as the real programs' is (Sphinx
// packets to a Nym gateway, WireGuard to a Mysterium provider). Not their cryptography: an X25519 exchange
// when the two ends first meet (init's registration, myst's session), HKDF-SHA256 to a key, and
// AES-256-GCM records. What it buys the tests is the property a user relies on: nothing a program sends
// through the stand-ins appears in plaintext on the client's wire (the switching suite's marker).
import { createCipheriv, createDecipheriv, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The largest plaintext in one record (bigger writes are split). */
const RECORD_BYTES = 16 * 1024;

/** One side of the exchange: its public key travels (base64 of the raw 32 bytes), the private one never does. */
export interface KeyShare {
  publicKey: string;
  privateKey: KeyObject;
}

export function newKeyShare(): KeyShare {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const raw = publicKey.export({ format: 'jwk' }).x ?? '';
  return { publicKey: Buffer.from(raw, 'base64url').toString('base64'), privateKey };
}

/** The 32-byte key both sides derive from their own share and the other's public key; `label` separates uses. */
export function sharedKey(own: KeyShare, theirPublicKey: string, label: string): Buffer {
  const raw = Buffer.from(theirPublicKey, 'base64');
  if (raw.length !== 32) throw new Error('the peer sent a public key that is not 32 bytes');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
  const secret = diffieHellman({ privateKey: own.privateKey, publicKey });
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `burrow-standin ${label}`, 32));
}

/** A derived key kept in a file (the Nym stand-in's registration lasts from `init` to every `run`). */
export function keyFromBase64(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('a stand-in key is 32 bytes');
  return key;
}

/** nonce | ciphertext | tag. */
export function seal(key: Buffer, plaintext: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Throws when the record was not sealed with `key` or was changed on the way. */
export function unseal(key: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('sealed record too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

/**
 * A socket's bytes as sealed records (u32 length | sealed), seen as the plain stream: write plaintext, read
 * plaintext. `initial` is what was already read past a plaintext header line; `onRead` counts what is read
 * (without a 'data' listener, which would start the flow before the reader is piped). Half-close passes through.
 */
export function sealedStream(socket: Socket, key: Buffer, initial: Buffer = Buffer.alloc(0), onRead?: (bytes: number) => void): Duplex {
  let pending: Buffer = Buffer.alloc(0);
  const duplex = new Duplex({
    allowHalfOpen: true,
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, done) {
      for (let at = 0; at < chunk.length; at += RECORD_BYTES) {
        const record = seal(key, chunk.subarray(at, at + RECORD_BYTES));
        const length = Buffer.alloc(4);
        length.writeUInt32BE(record.length);
        socket.write(Buffer.concat([length, record]));
      }
      done();
    },
    final(done) {
      socket.end();
      done();
    },
    destroy(error, done) {
      socket.destroy();
      done(error);
    },
  });
  const take = (data: Buffer): void => {
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (length > RECORD_BYTES + NONCE_BYTES + TAG_BYTES) return void duplex.destroy(new Error('sealed record too large'));
      if (pending.length < 4 + length) break;
      let plain: Buffer;
      try {
        plain = unseal(key, pending.subarray(4, 4 + length));
      } catch (error) {
        return void duplex.destroy(error instanceof Error ? error : new Error(String(error)));
      }
      pending = pending.subarray(4 + length);
      onRead?.(plain.length);
      if (!duplex.push(plain)) socket.pause();
    }
  };
  if (initial.length > 0) take(initial);
  socket.on('data', take);
  socket.once('end', () => duplex.push(null));
  socket.once('error', (error) => duplex.destroy(error));
  socket.once('close', () => duplex.destroy());
  return duplex;
}
