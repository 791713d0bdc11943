// The CFDATA checksum ([MS-CAB] CFDATA csum, "Checksum Method"): XOR of the data taken as
// little-endian u32 words, a short tail folded in first-byte-highest, then the block header.

/** Continues the cabinet checksum over `bytes`, starting from `seed`. */
export function cabChecksum(bytes: Uint8Array, seed = 0): number {
  let csum = seed >>> 0;
  const words = bytes.length >>> 2;
  let i = 0;
  for (let w = 0; w < words; w++, i += 4) {
    csum ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
  }
  // CFDATA: the 1-3 tail bytes are combined with the first one in the highest position.
  let tail = 0;
  for (; i < bytes.length; i++) tail = (tail << 8) | bytes[i];
  return (csum ^ tail) >>> 0;
}

/**
 * csum of one CFDATA block: the data `ab` first, then the fields after csum (cbData, cbUncomp
 * and abReserve), the way the reference implementation and gcab compute it.
 */
export function cfdataChecksum(ab: Uint8Array, headerAfterCsum: Uint8Array): number {
  return cabChecksum(headerAfterCsum, cabChecksum(ab, 0));
}
