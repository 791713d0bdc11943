// Decoding never throws (STYLE.md): 2000 seeded mutations and truncations of the MS-SQMCS 4.1
// capture all decode to a value or findings, and whatever decodes re-encodes to the same bytes.

import { decodeSqmSession, encodeSqmSession, type DecodeOptions } from './codec';
import { fakeDecompress, loadGolden } from '../../../test/helpers/sqm-session-fixtures';
import { fuzzDecoder, mutators, randomInputs } from '../../../test/helpers/fuzz';

const golden = loadGolden();
const BOUNDARY = [0, 1, 0x78, 0xc, 0x7fffffff, 0x80000000, 0xffffffff];
/** Flipped bytes, a boundary or random u32, a cut, an insertion or a lost slice. */
const MUTATORS = [mutators.flip(), mutators.u32(BOUNDARY), mutators.truncate(), mutators.insert(16), mutators.remove(32)];
const withCab: DecodeOptions = { maxRawBytes: 4096, decompress: fakeDecompress };
const plain: DecodeOptions = { maxRawBytes: 4096 };

/** Sets InternalFlags bit 0 (offset 108): the session claims to be compressed. */
function claimCompressed(bytes: Buffer): Buffer {
  const b = Buffer.from(bytes);
  b[108] |= 1;
  return b;
}

it('2000 mutations of the golden vector never throw and always round-trip', () => {
  const stats = fuzzDecoder({
    seed: 0x5a11,
    runs: 2000,
    inputs: [golden],
    mutators: MUTATORS,
    // Every fourth one claims to be compressed, so the decompression path meets damaged data too.
    prepare: (bytes, i) => (i % 4 === 3 && bytes.length > 108 ? claimCompressed(bytes) : bytes),
    decode: (bytes, i) => decodeSqmSession(bytes, i % 2 === 0 ? withCab : plain),
    check: (value, bytes) => {
      if (!encodeSqmSession(value).equals(bytes)) throw new Error('did not round-trip');
      encodeSqmSession(value, { recomputeLengths: true, recomputeChecksums: true, uncompressed: true });
    },
  });
  // The mutations must actually reach the decoder's error paths.
  expect(stats.decoded).toBeGreaterThan(1000);
  expect(stats.flagged).toBeGreaterThan(1000);
});

it('random bytes behind a valid signature never throw', () => {
  fuzzDecoder({
    seed: 7,
    runs: 500,
    stack: 0,
    inputs: randomInputs(400, (b) => b.length >= 4 && b.write('MSQM', 0, 'latin1')),
    decode: (bytes) => decodeSqmSession(bytes, { maxRawBytes: 1024, decompress: fakeDecompress }),
  });
});
