// The SQM checksum (MS-SQMCS note <4> and <5>): c = (c * 101 + b) mod 2^32 over the given bytes.
// Four bytes per step: c·101⁴ + b0·101³ + b1·101² + b2·101 + b3, all mod 2^32 (same result, fewer steps).

const P1 = 101;
const P2 = Math.imul(P1, P1);
const P3 = Math.imul(P2, P1);
const P4 = Math.imul(P3, P1);

/** Continues a checksum over `bytes`, starting from `seed` (0 for a fresh one). */
export function sqmChecksum(bytes: Uint8Array, seed = 0): number {
  let c = seed | 0;
  const n = bytes.length;
  const end4 = n - (n % 4);
  let i = 0;
  // Math.imul keeps each product in 32 bits exactly; `| 0` keeps sums in 32 bits.
  for (; i < end4; i += 4) {
    c = (Math.imul(c, P4) + Math.imul(bytes[i], P3) + Math.imul(bytes[i + 1], P2) + Math.imul(bytes[i + 2], P1) + bytes[i + 3]) | 0;
  }
  for (; i < n; i++) c = (Math.imul(c, P1) + bytes[i]) | 0;
  return c >>> 0;
}
