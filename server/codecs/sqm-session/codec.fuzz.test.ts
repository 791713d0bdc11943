// Decoding never throws (STYLE.md): 2000 seeded mutations and truncations of the MS-SQMCS 4.1
// capture all decode to a value or findings, and whatever decodes re-encodes to the same bytes.

import { decodeSqmSession, encodeSqmSession, type DecodeOptions } from './codec';
import { fakeDecompress, loadGolden, mulberry32 } from '../../../test/helpers/sqm-session-fixtures';

const golden = loadGolden();
const BOUNDARY = [0, 1, 0x78, 0xc, 0x7fffffff, 0x80000000, 0xffffffff];

/** One random change: flipped bytes, a boundary or random u32, a cut, an insertion or a lost slice. */
function mutate(src: Buffer, rnd: () => number): Buffer {
  const at = (n: number): number => Math.floor(rnd() * n);
  const b = Buffer.from(src);
  switch (at(5)) {
    case 0:
      for (let i = 0, n = 1 + at(8); i < n; i++) b[at(b.length)] = at(256);
      return b;
    case 1: {
      if (b.length < 4) return b;
      const v = rnd() < 0.5 ? BOUNDARY[at(BOUNDARY.length)] : at(0x100000000);
      b.writeUInt32LE(v >>> 0, at(b.length - 3));
      return b;
    }
    case 2:
      return b.subarray(0, at(b.length + 1));
    case 3: {
      const p = at(b.length + 1);
      return Buffer.concat([b.subarray(0, p), Buffer.from(Array.from({ length: 1 + at(16) }, () => at(256))), b.subarray(p)]);
    }
    default: {
      const p = at(b.length);
      return Buffer.concat([b.subarray(0, p), b.subarray(p + 1 + at(32))]);
    }
  }
}

it('2000 mutations of the golden vector never throw and always round-trip', () => {
  const rnd = mulberry32(0x5a11);
  const withCab: DecodeOptions = { maxRawBytes: 4096, decompress: fakeDecompress };
  const plain: DecodeOptions = { maxRawBytes: 4096 };
  let decoded = 0;
  let flagged = 0;
  for (let i = 0; i < 2000; i++) {
    // Stack up to three mutations so damage compounds.
    let bytes = golden;
    for (let k = 0, n = 1 + Math.floor(rnd() * 3); k < n; k++) bytes = mutate(bytes, rnd);
    // Every fourth one claims to be compressed, so the decompression path meets damaged data too.
    if (i % 4 === 3 && bytes.length > 108) {
      bytes = Buffer.from(bytes);
      bytes[108] |= 1;
    }
    const r = decodeSqmSession(bytes, i % 2 === 0 ? withCab : plain);
    expect(r.value !== null || r.findings.length > 0).toBe(true);
    if (r.value !== null) {
      decoded++;
      const out = encodeSqmSession(r.value);
      if (!out.equals(bytes)) throw new Error(`mutation ${i} did not round-trip: ${bytes.toString('hex')}`);
      encodeSqmSession(r.value, { recomputeLengths: true, recomputeChecksums: true, uncompressed: true });
    }
    if (r.findings.some((f) => f.level === 'error')) flagged++;
  }
  // The mutations must actually reach the decoder's error paths.
  expect(decoded).toBeGreaterThan(1000);
  expect(flagged).toBeGreaterThan(1000);
});

it('random bytes behind a valid signature never throw', () => {
  const rnd = mulberry32(7);
  for (let i = 0; i < 500; i++) {
    const bytes = Buffer.from(Array.from({ length: Math.floor(rnd() * 400) }, () => Math.floor(rnd() * 256)));
    if (bytes.length >= 4) bytes.write('MSQM', 0, 'latin1');
    expect(() => decodeSqmSession(bytes, { maxRawBytes: 1024, decompress: fakeDecompress })).not.toThrow();
  }
});
