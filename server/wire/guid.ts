// GUIDs as Windows lays them out (MS-DTYP 2.3.4.2): Data1..3 little-endian, Data4 as bytes.

/** 16 bytes → `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` (upper case). */
export function guidToString(b: Uint8Array): string {
  // From a table of byte pairs: this runs for every header decoded.
  const h = (i: number) => HEX[b[i]];
  return `{${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}}`;
}

/** Upper-case hex of every byte value. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase());

const GUID_RE = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** Parses a GUID string (braces optional) into its 16 bytes, or undefined when malformed. */
export function guidFromString(s: string): Buffer | undefined {
  const m = GUID_RE.exec(s.trim());
  if (!m) return undefined;
  const out = Buffer.alloc(16);
  out.writeUInt32LE(parseInt(m[1], 16), 0);
  out.writeUInt16LE(parseInt(m[2], 16), 4);
  out.writeUInt16LE(parseInt(m[3], 16), 6);
  Buffer.from(m[4] + m[5], 'hex').copy(out, 8);
  return out;
}
