import { randomBytes } from 'node:crypto';
import { sqmChecksum } from './checksum';

/** The document's loop, one byte at a time (MS-SQMCS note <4>). */
function reference(bytes: Uint8Array, seed = 0): number {
  let c = seed;
  for (const b of bytes) c = (Math.imul(c, 101) + b) >>> 0;
  return c;
}

describe('sqmChecksum', () => {
  it.each([0, 1, 2, 3, 4, 5, 7, 8, 1023, 4096 + 3])('matches the byte loop on %i random bytes', (n) => {
    const bytes = randomBytes(n);
    expect(sqmChecksum(bytes)).toBe(reference(bytes));
    expect(sqmChecksum(bytes, 0xdeadbeef)).toBe(reference(bytes, 0xdeadbeef));
  });
  it('continues from a seed as if the bytes were joined', () => {
    const a = randomBytes(37);
    const b = randomBytes(91);
    expect(sqmChecksum(b, sqmChecksum(a))).toBe(sqmChecksum(Buffer.concat([a, b])));
  });
  it('is 0xFF on all-0xFF input of one byte and large on 0xFF runs', () => {
    expect(sqmChecksum(Buffer.from([0xff]))).toBe(0xff);
    const ff = Buffer.alloc(1001, 0xff);
    expect(sqmChecksum(ff)).toBe(reference(ff));
  });
});
