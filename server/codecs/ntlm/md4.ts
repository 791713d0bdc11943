// MD4 (RFC 1320), pure TypeScript: MS-NLMP 3.3.2 NTOWFv2 hashes the password with MD4, and the
// OpenSSL 3 behind Node 20 has no md4 (it sits in the legacy provider). Not for anything new.

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** RFC 1320 3.1-3.2: the message padded to 56 mod 64 bytes, then its bit length as 64-bit little-endian. */
function padded(msg: Uint8Array): Buffer {
  const len = (((msg.length + 8) >> 6) + 1) << 6;
  const out = Buffer.alloc(len);
  out.set(msg);
  out[msg.length] = 0x80;
  out.writeUInt32LE((msg.length * 8) >>> 0, len - 8);
  out.writeUInt32LE(Math.floor(msg.length / 0x20000000), len - 4);
  return out;
}

/** Round r's order of message words (RFC 1320 3.4) and its shifts. */
const ORDER = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15],
  [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15],
];
const SHIFTS = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
];
const ROUND: ((x: number, y: number, z: number) => number)[] = [(x, y, z) => (x & y) | (~x & z), (x, y, z) => (x & y) | (x & z) | (y & z), (x, y, z) => x ^ y ^ z];
const CONSTANTS = [0, 0x5a827999, 0x6ed9eba1];

/**
 * The 16-byte MD4 digest of `msg`.
 *
 * @example
 * md4(Buffer.from('abc')).toString('hex') // 'a448017aaf21d8525fc10ae87aa6729d'
 */
export function md4(msg: Uint8Array): Buffer {
  const m = padded(msg);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16);
  for (let block = 0; block < m.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = m.readUInt32LE(block + 4 * i);
    const v = [...h];
    for (let r = 0; r < 3; r++) {
      for (let i = 0; i < 16; i++) {
        // a, b, c, d rotate one place each step: step i writes word (4 - i % 4) % 4.
        const a = (4 - (i % 4)) % 4;
        const [b, c, d] = [(a + 1) % 4, (a + 2) % 4, (a + 3) % 4];
        v[a] = rotl((v[a] + ROUND[r](v[b], v[c], v[d]) + x[ORDER[r][i]] + CONSTANTS[r]) | 0, SHIFTS[r][i % 4]);
      }
    }
    for (let i = 0; i < 4; i++) h[i] = (h[i] + v[i]) | 0;
  }
  const out = Buffer.alloc(16);
  h.forEach((w, i) => out.writeInt32LE(w, 4 * i));
  return out;
}
