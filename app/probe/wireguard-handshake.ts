// "Is the WireGuard handshake answered?" without root and without a tunnel: one handshake initiation
// (Noise_IKpsk2, WireGuard whitepaper §5.4.2) built from the profile's keys and sent from an ordinary UDP
// socket. A server answers only an initiation whose MAC1 and static key check out, so a handshake
// response (type 2, 92 bytes, our index echoed) proves the path and the keys; silence is the evidence a
// censor leaves. No session is made: the response is not even decrypted.
import { createCipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { blake2s } from './blake2s.js';

const CONSTRUCTION = 'Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s';
const IDENTIFIER = 'WireGuard v1 zx2c4 Jason@zx2c4.com';
const PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI = Buffer.from('302a300506032b656e032100', 'hex');
export const INITIATION_BYTES = 148;

const hash = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('blake2s256');
  parts.forEach((p) => h.update(p));
  return h.digest();
};
const hmac = (key: Uint8Array, ...parts: Uint8Array[]): Buffer => {
  const h = createHmac('blake2s256', key);
  parts.forEach((p) => h.update(p));
  return h.digest();
};
function kdf2(key: Uint8Array, input: Uint8Array): [Buffer, Buffer] {
  const t0 = hmac(key, input);
  const t1 = hmac(t0, Buffer.from([1]));
  return [t1, hmac(t0, t1, Buffer.from([2]))];
}
function aead(key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
  cipher.setAAD(ad, { plaintextLength: plaintext.length });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}
function dh(privateKey: Uint8Array, publicKey: Uint8Array): Buffer {
  return diffieHellman({
    privateKey: createPrivateKey({ key: Buffer.concat([PKCS8, privateKey]), format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: Buffer.concat([SPKI, publicKey]), format: 'der', type: 'spki' }),
  });
}
function publicOf(privateKey: Uint8Array): Buffer {
  const der = createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8, privateKey]), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}
function tai64n(now: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeBigUInt64BE(2n ** 62n + BigInt(Math.floor(now / 1000)), 0);
  out.writeUInt32BE((now % 1000) * 1_000_000, 8);
  return out;
}

export interface Initiation {
  message: Buffer;
  senderIndex: number;
}

/** The first handshake message, as wireguard-go would send it (no cookie: mac2 zero). */
export function buildInitiation(privateKey: Uint8Array, peerPublicKey: Uint8Array, now = Date.now()): Initiation {
  if (privateKey.length !== 32 || peerPublicKey.length !== 32) throw new Error('WireGuard keys are 32 bytes');
  const ephemeral = generateKeyPairSync('x25519');
  const ePriv = Buffer.from(ephemeral.privateKey.export({ format: 'der', type: 'pkcs8' })).subarray(-32);
  const ePub = Buffer.from(ephemeral.publicKey.export({ format: 'der', type: 'spki' })).subarray(-32);
  let c = hash(Buffer.from(CONSTRUCTION));
  let h = hash(c, Buffer.from(IDENTIFIER));
  h = hash(h, peerPublicKey);
  c = hmac(hmac(c, ePub), Buffer.from([1]));
  h = hash(h, ePub);
  let k: Buffer;
  [c, k] = kdf2(c, dh(ePriv, peerPublicKey));
  const encryptedStatic = aead(k, publicOf(privateKey), h);
  h = hash(h, encryptedStatic);
  // The chaining key goes on to the response; the initiation needs only this message key.
  [, k] = kdf2(c, dh(privateKey, peerPublicKey));
  const encryptedTimestamp = aead(k, tai64n(now), h);
  const senderIndex = randomBytes(4).readUInt32LE(0);
  const message = Buffer.alloc(INITIATION_BYTES);
  message.writeUInt32LE(1, 0);
  message.writeUInt32LE(senderIndex, 4);
  ePub.copy(message, 8);
  encryptedStatic.copy(message, 40);
  encryptedTimestamp.copy(message, 88);
  blake2s(message.subarray(0, 116), 16, hash(Buffer.from('mac1----'), peerPublicKey)).copy(message, 116);
  return { message, senderIndex };
}

export type HandshakeReply = 'response' | 'cookie' | 'none';

/** What came back for our index: a response (type 2, 92 bytes) or a cookie reply (type 3, 64 bytes: the server is under load but answered). */
export function classifyReply(packet: Buffer, senderIndex: number): HandshakeReply | undefined {
  const type = packet.length >= 8 ? packet.readUInt32LE(0) : 0;
  if (type === 2 && packet.length === 92 && packet.readUInt32LE(8) === senderIndex) return 'response';
  if (type === 3 && packet.length === 64 && packet.readUInt32LE(4) === senderIndex) return 'cookie';
  return undefined;
}

export interface HandshakeProbeResult {
  reply: HandshakeReply;
  tries: number;
  /** Milliseconds from the first initiation to the reply (undefined when none came). */
  ms: number | undefined;
}

/** Sends up to `tries` initiations, `intervalMs` apart (WireGuard itself retries every 5 s), to host:port. */
export function probeHandshake(target: { host: string; port: number }, privateKey: Uint8Array, peerPublicKey: Uint8Array, opts: { tries?: number; intervalMs?: number } = {}): Promise<HandshakeProbeResult> {
  const tries = opts.tries ?? 3;
  const intervalMs = opts.intervalMs ?? 1000;
  const socket = createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
  const started = Date.now();
  const indexes = new Set<number>();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: HandshakeProbeResult): void => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    socket.on('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.on('message', (packet) => {
      for (const index of indexes) {
        const reply = classifyReply(packet, index);
        if (reply !== undefined) finish({ reply, tries: sent, ms: Date.now() - started });
      }
    });
    const send = (): void => {
      if (sent >= tries) {
        finish({ reply: 'none', tries: sent, ms: undefined });
        return;
      }
      const { message, senderIndex } = buildInitiation(privateKey, peerPublicKey);
      indexes.add(senderIndex);
      sent += 1;
      socket.send(message, target.port, target.host);
      timer = setTimeout(send, intervalMs);
    };
    send();
  });
}
