// Null-terminated UTF-16 strings of the A-SQM manifest: the 128-byte PartnerName (MS-SQMCS 2.2.6.3) and
// the 8-byte aligned names, keys, values (2.2.6.6) and clause operands (2.2.6.5.2, decision (b)).
// Decision (d): "aligned on an 8-byte boundary" = the field's byte length is a multiple of 8, zero padded.

import { decodeUtf16le, encodeUtf16le } from '../../wire/utf16';
import type { Findings } from '../../wire/findings';
import { report } from './rules';

/** n rounded up to a multiple of 8. */
export const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** The canonical aligned form: UTF-16LE, a 2-byte null terminator, zero padding to a multiple of 8. */
export function encodeAligned(s: string): Buffer {
  const body = encodeUtf16le(s);
  const out = Buffer.alloc(align8(body.length + 2));
  body.copy(out);
  return out;
}

/** A fixed-size field: UTF-16LE cut to leave room for the terminator, then zeros. */
export function encodeFixed(s: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  encodeUtf16le(s)
    .subarray(0, Math.max(0, (size - 2) & ~1))
    .copy(out);
  return out;
}

export interface StringContext {
  findings: Findings;
  /** Offset of the field in the decoded buffer. */
  offset: number;
  /** MS-SQMCS section the field belongs to, e.g. '2.2.6.6.2'. */
  section: string;
  /** Field name for messages, e.g. 'PropertyKey'. */
  field: string;
  /** Fixed-size fields (PartnerName) are not checked for alignment. */
  fixed?: boolean;
}

export interface DecodedString {
  value: string;
  /** The bytes as sent, when they are not what encoding `value` gives (kept for exact re-encoding). */
  bytes?: Buffer;
}

/** Reads a null-terminated UTF-16 string from a field of known size. Never throws. */
export function decodeTerminated(bytes: Buffer, ctx: StringContext): DecodedString {
  const at = { offset: ctx.offset, section: ctx.section };
  let end = -1;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    if (bytes[i] === 0 && bytes[i + 1] === 0) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    report(ctx.findings, 'asqm.string-terminator', `${ctx.field} (${bytes.length} bytes) has no null terminator`, at);
  }
  if (!ctx.fixed && bytes.length % 8 !== 0) {
    report(ctx.findings, 'asqm.alignment', `${ctx.field} is ${bytes.length} bytes, not a multiple of 8`, at);
  }
  const textEnd = end < 0 ? bytes.length & ~1 : end;
  if (end >= 0 && bytes.subarray(end + 2).some((b) => b !== 0)) {
    report(ctx.findings, 'asqm.padding', `${ctx.field} has non-zero bytes after its null terminator`, at);
  }
  const value = decodeUtf16le(bytes.subarray(0, textEnd));
  const canonical = ctx.fixed ? encodeFixed(value, bytes.length) : encodeAligned(value);
  return canonical.equals(bytes) ? { value } : { value, bytes: Buffer.from(bytes) };
}
