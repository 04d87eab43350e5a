// STAND-IN support: keystore files in the shape myst writes and imports (Ethereum's "version 3" JSON:
// address, crypto{cipher aes-128-ctr, ciphertext, cipherparams.iv, kdf scrypt, kdfparams, mac}, id, version).
// One deviation, because Node has no Keccak: the MAC here is SHA3-256 over (derived key[16..32] ++
// ciphertext) where Ethereum uses Keccak-256, so a real wallet's file is refused by the stand-in (and a
// stand-in file by a real myst). The address is taken from the file, not derived from the key (no secp256k1).
// Tests make files with `makeKeyfile`; the stand-in opens them with `openKeyfile`.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID, scryptSync } from 'node:crypto';

interface KeyfileV3 {
  address: string;
  crypto: { cipher: string; ciphertext: string; cipherparams: { iv: string }; kdf: string; kdfparams: { dklen: number; n: number; p: number; r: number; salt: string }; mac: string };
  id: string;
  version: number;
}

/** go-ethereum's "light" scrypt (myst's --keystore.lightweight, its default): N = 4096, p = 6. */
const LIGHT = { n: 4096, r: 8, p: 6, dklen: 32 };

function derive(passphrase: string, params: KeyfileV3['crypto']['kdfparams']): Buffer {
  return scryptSync(passphrase, Buffer.from(params.salt, 'hex'), params.dklen, { N: params.n, r: params.r, p: params.p, maxmem: 256 * params.n * params.r * params.p + 1024 * 1024 });
}

function mac(derived: Buffer, ciphertext: Buffer): string {
  return createHash('sha3-256').update(Buffer.concat([derived.subarray(16, 32), ciphertext])).digest('hex');
}

export function makeKeyfile(passphrase: string, address = randomBytes(20).toString('hex')): { text: string; address: string } {
  const kdfparams = { ...LIGHT, salt: randomBytes(32).toString('hex') };
  const derived = derive(passphrase, kdfparams);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(randomBytes(32)), cipher.final()]);
  const file: KeyfileV3 = {
    address,
    crypto: { cipher: 'aes-128-ctr', ciphertext: ciphertext.toString('hex'), cipherparams: { iv: iv.toString('hex') }, kdf: 'scrypt', kdfparams, mac: mac(derived, ciphertext) },
    id: randomUUID(),
    version: 3,
  };
  return { text: JSON.stringify(file), address: `0x${address}` };
}

/** The address of a keystore file that opens with `passphrase`, or the reason it does not (go-ethereum's words). */
export function openKeyfile(blob: Buffer, passphrase: string): { address: string } | { error: string } {
  let file: KeyfileV3;
  try {
    file = JSON.parse(blob.toString('utf8')) as KeyfileV3;
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'invalid character' };
  }
  if (file.version !== 3 || file.crypto?.kdf !== 'scrypt' || !/^[0-9a-fA-F]{40}$/.test(file.address ?? '')) return { error: 'unsupported key file' };
  const derived = derive(passphrase, file.crypto.kdfparams);
  const ciphertext = Buffer.from(file.crypto.ciphertext, 'hex');
  if (mac(derived, ciphertext) !== file.crypto.mac) return { error: 'could not decrypt key with given password' };
  const decipher = createDecipheriv('aes-128-ctr', derived.subarray(0, 16), Buffer.from(file.crypto.cipherparams.iv, 'hex'));
  if (Buffer.concat([decipher.update(ciphertext), decipher.final()]).length !== 32) return { error: 'invalid key length' };
  return { address: `0x${file.address.toLowerCase()}` };
}
