// BLAKE2s (RFC 7693) with a key and any output length from 1 to 32 bytes. Node's crypto has BLAKE2s-256
// unkeyed only, and WireGuard's MAC1 is keyed BLAKE2s-128, so the handshake probe needs its own.
const IV = Uint32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
] as const;

const rotr = (x: number, n: number): number => ((x >>> n) | (x << (32 - n))) >>> 0;

function compress(h: Uint32Array, block: Uint8Array, counter: number, last: boolean): void {
  const m = new Uint32Array(16);
  for (let i = 0; i < 16; i += 1) m[i] = (block[i * 4]! | (block[i * 4 + 1]! << 8) | (block[i * 4 + 2]! << 16) | (block[i * 4 + 3]! << 24)) >>> 0;
  const v = new Uint32Array(16);
  v.set(h, 0);
  v.set(IV, 8);
  v[12] = (v[12]! ^ counter) >>> 0; // messages here are far below 2^32 bytes: the high counter word stays 0
  if (last) v[14] = ~v[14]! >>> 0;
  const g = (a: number, b: number, c: number, d: number, x: number, y: number): void => {
    v[a] = (v[a]! + v[b]! + x) >>> 0;
    v[d] = rotr(v[d]! ^ v[a], 16);
    v[c] = (v[c]! + v[d]) >>> 0;
    v[b] = rotr(v[b]! ^ v[c], 12);
    v[a] = (v[a] + v[b] + y) >>> 0;
    v[d] = rotr(v[d] ^ v[a], 8);
    v[c] = (v[c] + v[d]) >>> 0;
    v[b] = rotr(v[b] ^ v[c], 7);
  };
  for (const s of SIGMA) {
    g(0, 4, 8, 12, m[s[0]]!, m[s[1]]!);
    g(1, 5, 9, 13, m[s[2]]!, m[s[3]]!);
    g(2, 6, 10, 14, m[s[4]]!, m[s[5]]!);
    g(3, 7, 11, 15, m[s[6]]!, m[s[7]]!);
    g(0, 5, 10, 15, m[s[8]]!, m[s[9]]!);
    g(1, 6, 11, 12, m[s[10]]!, m[s[11]]!);
    g(2, 7, 8, 13, m[s[12]]!, m[s[13]]!);
    g(3, 4, 9, 14, m[s[14]]!, m[s[15]]!);
  }
  for (let i = 0; i < 8; i += 1) h[i] = (h[i]! ^ v[i]! ^ v[i + 8]!) >>> 0;
}

export function blake2s(input: Uint8Array, outLength = 32, key: Uint8Array = new Uint8Array(0)): Buffer {
  if (outLength < 1 || outLength > 32 || key.length > 32) throw new Error('blake2s: output 1–32 bytes, key at most 32');
  const h = Uint32Array.from(IV);
  h[0] = (h[0]! ^ 0x01010000 ^ (key.length << 8) ^ outLength) >>> 0;
  const data = new Uint8Array((key.length > 0 ? 64 : 0) + input.length);
  data.set(key, 0);
  data.set(input, key.length > 0 ? 64 : 0);
  const blocks = Math.max(1, Math.ceil(data.length / 64));
  for (let i = 0; i < blocks; i += 1) {
    const block = new Uint8Array(64);
    block.set(data.subarray(i * 64, i * 64 + 64));
    const last = i === blocks - 1;
    compress(h, block, last ? data.length : (i + 1) * 64, last);
  }
  const out = Buffer.alloc(32);
  for (let i = 0; i < 8; i += 1) out.writeUInt32LE(h[i]!, i * 4);
  return out.subarray(0, outLength);
}
