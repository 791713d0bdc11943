// GUIDs as Windows lays them out (MS-DTYP 2.3.4.2): Data1..3 little-endian, Data4 as bytes.

/** 16 bytes → `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` (upper case). */
export function guidToString(b: Uint8Array): string {
  const buf = Buffer.from(b.buffer, b.byteOffset, 16);
  const d1 = buf.readUInt32LE(0).toString(16).padStart(8, '0');
  const d2 = buf.readUInt16LE(4).toString(16).padStart(4, '0');
  const d3 = buf.readUInt16LE(6).toString(16).padStart(4, '0');
  const d4 = buf.subarray(8, 10).toString('hex');
  const d5 = buf.subarray(10, 16).toString('hex');
  return `{${d1}-${d2}-${d3}-${d4}-${d5}}`.toUpperCase();
}

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
