// The SQM checksum (MS-SQMCS note <4> and <5>): c = (c * 101 + b) mod 2^32 over the given bytes.

/** Continues a checksum over `bytes`, starting from `seed` (0 for a fresh one). */
export function sqmChecksum(bytes: Uint8Array, seed = 0): number {
  let c = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    // Math.imul keeps the product in 32 bits exactly; `>>> 0` makes it unsigned.
    c = (Math.imul(c, 101) + bytes[i]) >>> 0;
  }
  return c;
}
