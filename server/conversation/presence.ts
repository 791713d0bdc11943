// Which clients have setups of which kind, as a Bloom filter of fixed size: most uploads come from a
// client nothing was set up for, and this answers "none" for them without a query. It never says
// "none" wrongly (no false negatives); a false "maybe" only costs the query it would have run anyway.
// Its memory is fixed (1 MiB) however many clients a store holds.

const BITS = 1 << 23;
const PROBES = 4;

/** Two independent 32-bit hashes of a string (FNV-1a and a multiplicative variant). */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b | 1) >>> 0];
}

export class SetupPresence {
  private bits = new Uint32Array(BITS / 32);

  private static key(kind: string, clientKey: string): string {
    return `${kind}\u0000${clientKey}`;
  }

  add(kind: string, clientKey: string): void {
    const [a, b] = hashes(SetupPresence.key(kind, clientKey));
    for (let i = 0; i < PROBES; i++) {
      const bit = ((a + Math.imul(i, b)) >>> 0) & (BITS - 1);
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
  }

  /** False: this client certainly has no setup of this kind. True: it may have. */
  mayHave(kind: string, clientKey: string): boolean {
    const [a, b] = hashes(SetupPresence.key(kind, clientKey));
    for (let i = 0; i < PROBES; i++) {
      const bit = ((a + Math.imul(i, b)) >>> 0) & (BITS - 1);
      if ((this.bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  clear(): void {
    this.bits = new Uint32Array(BITS / 32);
  }
}
