// FILETIME (MS-DTYP 2.3.3): 100-ns intervals since 1601-01-01 UTC, as an unsigned 64-bit value.

const EPOCH_DIFF_MS = 11644473600000n; // 1601-01-01 → 1970-01-01
const MAX_DATE_MS = 8640000000000000n; // the largest instant a JS Date can hold

/** FILETIME → ISO 8601 string, or null when it is 0 or outside what a Date can show. */
export function filetimeToIso(ft: bigint): string | null {
  if (ft === 0n) return null;
  const ms = ft / 10000n - EPOCH_DIFF_MS;
  if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS) return null;
  return new Date(Number(ms)).toISOString();
}

/** Milliseconds since the Unix epoch → FILETIME. */
export function filetimeFromMs(ms: number): bigint {
  return (BigInt(Math.trunc(ms)) + EPOCH_DIFF_MS) * 10000n;
}

/** The current time as a FILETIME. */
