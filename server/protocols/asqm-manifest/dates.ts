// ISO 8601 dates ↔ FILETIME (MS-DTYP 2.3.3) without loss, for ExpirationTime (MS-SQMCS 2.2.6.3) and
// RuleExpirationTime (2.2.6.5.1): up to 7 fraction digits (100 ns), so every FILETIME has an ISO form.

import { filetimeFromMs } from '../../wire/filetime';

const EPOCH_DIFF_MS = 11644473600000n;
const MAX_FILETIME = (1n << 64n) - 1n;
const ISO = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * `2030-01-01`, `2030-01-01T00:00:00Z`, `2030-01-01T02:00:00.1234567+02:00` → FILETIME; null when the
 * text is not such a date (a time needs `Z` or an offset: local time would depend on the machine).
 * @example filetimeFromIso('2030-01-01T00:00:00Z') // 135379296000000000n
 */
export function filetimeFromIso(text: string): bigint | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  // Date.parse rolls 2030-02-30 over to March; refuse what is not a real calendar date.
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.parse(text.replace(/\.\d+/, ''));
  if (Number.isNaN(ms)) return null;
  const ticks = filetimeFromMs(ms) + BigInt((m[7] ?? '').padEnd(7, '0'));
  return ticks >= 0n && ticks <= MAX_FILETIME ? ticks : null;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, mo: number): number => (mo === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(mo) ? 30 : 31);

/** FILETIME → the shortest exact ISO form: `2030-01-01T00:00:00Z`, `…:00.5Z`, `…:00.1234567Z`. */
export function filetimeToIsoExact(ft: bigint): string {
  const ms = ft / 10000n - EPOCH_DIFF_MS;
  const iso = new Date(Number(ms)).toISOString(); // …:SS.mmmZ
  const fraction = (iso.slice(-4, -1) + (ft % 10000n).toString().padStart(4, '0')).replace(/0+$/, '');
  return `${iso.slice(0, -5)}${fraction === '' ? '' : `.${fraction}`}Z`;
}
