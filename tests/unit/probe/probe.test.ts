// The probe's pieces without a network: BLAKE2s against Node's own and the reference vector, the
// handshake initiation's shape and MAC1, what counts as an answer, and the verdict sentences.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blake2s } from '../../../app/probe/blake2s.js';
import { buildInitiation, classifyReply } from '../../../app/probe/wireguard-handshake.js';
import { handshakeVerdict, tcpVerdict, torVerdict } from '../../../app/probe/verdict.js';
import { formatProbe } from '../../../app/cli/probe-output.js';

const raw = (kind: 'private' | 'public', pair: ReturnType<typeof generateKeyPairSync>): Buffer =>
  Buffer.from((kind === 'private' ? pair.privateKey.export({ format: 'der', type: 'pkcs8' }) : pair.publicKey.export({ format: 'der', type: 'spki' })) as Buffer).subarray(-32);

describe('BLAKE2s', () => {
  it('matches Node’s BLAKE2s-256 across block boundaries', () => {
    for (const n of [0, 1, 63, 64, 65, 128, 300]) {
      const data = Buffer.alloc(n, n & 0xff);
      expect(blake2s(data).toString('hex')).toBe(createHash('blake2s256').update(data).digest('hex'));
    }
  });
  it('keyed: the reference test vector (key 00..1f, empty input)', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(blake2s(new Uint8Array(0), 32, key).toString('hex')).toBe('48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49');
  });
});

describe('WireGuard handshake initiation', () => {
  const client = generateKeyPairSync('x25519');
  const server = generateKeyPairSync('x25519');
  const serverPublic = raw('public', server);

  it('is 148 bytes, type 1, and carries a MAC1 the server can check with its public key alone', () => {
    const { message, senderIndex } = buildInitiation(raw('private', client), serverPublic);
    expect(message).toHaveLength(148);
    expect(message.readUInt32LE(0)).toBe(1);
    expect(message.readUInt32LE(4)).toBe(senderIndex);
    const macKey = createHash('blake2s256').update('mac1----').update(serverPublic).digest();
    expect(message.subarray(116, 132).equals(blake2s(message.subarray(0, 116), 16, macKey))).toBe(true);
    expect(message.subarray(132).equals(Buffer.alloc(16))).toBe(true);
    // A fresh ephemeral key every time: two initiations share nothing but the header.
    expect(buildInitiation(raw('private', client), serverPublic).message.subarray(8, 40).equals(message.subarray(8, 40))).toBe(false);
  });

  it('counts only a response or cookie addressed to our index', () => {
    const response = Buffer.alloc(92);
    response.writeUInt32LE(2, 0);
    response.writeUInt32LE(77, 8);
    expect(classifyReply(response, 77)).toBe('response');
    expect(classifyReply(response, 78)).toBeUndefined();
    const cookie = Buffer.alloc(64);
    cookie.writeUInt32LE(3, 0);
    cookie.writeUInt32LE(77, 4);
    expect(classifyReply(cookie, 77)).toBe('cookie');
    expect(classifyReply(Buffer.alloc(148), 77)).toBeUndefined();
  });
});

describe('verdicts', () => {
  it('say plainly what silence means and what to try', () => {
    const blocked = handshakeVerdict('lab-vpn', '10.9.3.2:51820', 'none', 3, undefined);
    expect(blocked.outcome).toBe('blocked');
    expect(blocked.sentence).toBe('WireGuard handshakes to 10.9.3.2:51820 go unanswered after 3 initiations of 148 bytes: probably DPI or an address block. Try WireGuard over an obfuscating transport, or Tor with a bridge.');
    expect(handshakeVerdict('lab-vpn', '10.9.3.2:51820', 'response', 1, 3).outcome).toBe('reachable');
    expect(tcpVerdict('t', 'tor-obfs4', '10.9.5.2:443', 'timeout', 'ETIMEDOUT').outcome).toBe('blocked');
    expect(tcpVerdict('t', 'tor-obfs4', '10.9.5.2:443', 'refused', 'ECONNREFUSED').outcome).toBe('unreachable');
    expect(torVerdict('t', 'tor', 'authorities', 5, 'conn').sentence).toBe('Tor stalls at 5% (conn): no relay or directory authority answers: Tor is probably blocked by address here; try a bridge.');
    expect(torVerdict('t', 'tor', 'authorities', 100, 'done').outcome).toBe('reachable');
  });

  it('the CLI prints one line per path with the verdict first', () => {
    const text = formatProbe([handshakeVerdict('lab-vpn', '10.9.3.2:51820', 'none', 3, undefined)]);
    expect(text).toMatch(/^BLOCKED lab-vpn +wireguard +WireGuard handshakes to 10\.9\.3\.2:51820 go unanswered/);
    expect(formatProbe([])).toMatch(/No profiles to probe/);
  });
});
