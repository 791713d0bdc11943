// The 120-byte SQM header (MS-SQMCS 2.2.4.1, example in 4.2): decode with its field checks, encode.
// Fields are laid out by one table so decode and encode cannot drift apart.

import { ByteReader } from '../../wire/reader';
import { ByteWriter } from '../../wire/writer';
import { Findings, hex32 } from '../../wire/findings';
import { guidFromString, guidToString } from '../../wire/guid';
import { INTERNAL_FLAG_COMPRESSED, SQM_HEADER_LENGTH, SQM_SIGNATURE, type DecodeResult, type SqmHeader } from './types';
import { report } from './rules';
import { FLAG_BITS, flagBits, INTERNAL_FLAG_BITS } from './names';

export type Kind = 'u32' | 'u64' | 'guid';
/** The header fields in wire order with their kinds (u32: 4 bytes, u64: 8, guid: 16). */
export const HEADER_FIELDS: ReadonlyArray<readonly [keyof SqmHeader, Kind]> = [
  ['signature', 'u32'],
  ['headerLength', 'u32'],
  ['flags', 'u32'],
  ['dataChecksum', 'u32'],
  ['sectionCount', 'u32'],
  ['dataLength', 'u32'],
  ['applicationIdentifier', 'u32'],
  ['applicationVersionHigh', 'u32'],
  ['applicationVersionLow', 'u32'],
  ['manifestVersion', 'u32'],
  ['clientUploadTime', 'u64'],
  ['reserved', 'u64'],
  ['clientSessionStartTime', 'u64'],
  ['clientSessionEndTime', 'u64'],
  ['clientUniqueIdentifier', 'guid'],
  ['userUniqueIdentifier', 'guid'],
  ['studyIdentifier', 'u32'],
  ['internalFlags', 'u32'],
  ['rawDataLength', 'u32'],
  ['rawDataChecksum', 'u32'],
];

/** Byte range of DataLength..ApplicationVersionLow, the header part of both checksums (MS-SQMCS note <4>). */
export const CHECKSUM_HEADER_START = 20;
export const CHECKSUM_HEADER_END = 36;
/** InternalFlags bits the document reserves: 1-2 and 4-31 (MS-SQMCS 2.2.4.1). */
export const INTERNAL_FLAGS_RESERVED_MASK = 0xfffffff6;

/**
 * Decodes the fixed 120-byte header and checks the fields that need nothing but the header.
 * Fewer than 120 bytes gives `value: null` and an `sqm-v1.truncated` error. Never throws.
 * @example decodeSqmHeader(body).value?.clientUniqueIdentifier // '{F0DB6A46-CB0E-4E72-AD40-3EEDF0349BBE}'
 */
export function decodeSqmHeader(buf: Uint8Array): DecodeResult<SqmHeader> {
  const findings = new Findings();
  const r = new ByteReader(buf);
  if (!r.has(SQM_HEADER_LENGTH)) {
    report(findings, 'sqm-v1.truncated', `session is ${buf.length} bytes; the SQM header alone is ${SQM_HEADER_LENGTH}`, { offset: 0 });
    return { value: null, findings: findings.list, bytesRead: 0 };
  }
  const h: Record<string, number | bigint | string> = {};
  for (const [name, kind] of HEADER_FIELDS) {
    // has(120) above guarantees every read succeeds.
    h[name] = kind === 'u32' ? r.u32()! : kind === 'u64' ? r.u64()! : guidToString(r.bytes(16)!);
  }
  const header = h as unknown as SqmHeader;
  checkHeader(header, buf.length, findings);
  return { value: header, findings: findings.list, bytesRead: SQM_HEADER_LENGTH };
}

function checkHeader(h: SqmHeader, total: number, findings: Findings): void {
  if (h.signature !== SQM_SIGNATURE) {
    report(findings, 'sqm-v1.signature', `Signature is ${hex32(h.signature)}; expected ${hex32(SQM_SIGNATURE)} ('MSQM')`, { offset: 0 });
  }
  if (h.headerLength !== SQM_HEADER_LENGTH) {
    const where = sectionDataStart(h.headerLength, total);
    report(findings, 'sqm-v1.header-length', `HeaderLength is ${hex32(h.headerLength)}; expected 0x00000078; section data read from offset ${where}`, { offset: 4 });
  }
  if (h.reserved !== 0n) {
    report(findings, 'sqm-v1.reserved', `Reserved is 0x${h.reserved.toString(16).toUpperCase()}; expected 0`, { offset: 48 });
  }
  checkFlagBits(h, findings);
  const compressed = (h.internalFlags & INTERNAL_FLAG_COMPRESSED) !== 0;
  if (!compressed && (h.rawDataLength !== 0 || h.rawDataChecksum !== 0)) {
    report(findings, 'sqm-v1.raw-fields-uncompressed', `uncompressed session with RawDataLength ${h.rawDataLength} and RawDataChecksum ${hex32(h.rawDataChecksum)}`, {
      offset: 112,
    });
  }
}

/**
 * Flag bits the document does not define, named from both sources (names.ts). Flags: the document
 * only calls bits reserved (note <3>), so each is info with the Windows Embedded Compact name if
 * any. InternalFlags reserved bits MUST be 0: info for bit 1, which Windows 7 sets (the 4.1
 * capture), a warning for the others, which no known client sets. All are kept.
 */
function checkFlagBits(h: SqmHeader, findings: Findings): void {
  const flags = flagBits(h.flags, FLAG_BITS).filter((b) => b.document === null);
  if (flags.length > 0) {
    const what = flags.map(
      (b) =>
        `bit ${b.bit} ${b.bit <= 10 ? 'reserved' : 'not listed'} in the document, ${b.compact ? `${b.compact} in the Windows Embedded Compact SQM header` : 'named by no source'}`,
    );
    report(findings, 'sqm-v1.flags', `Flags ${hex32(h.flags)}: ${what.join('; ')}; kept`, { offset: 8 });
  }
  const reserved = flagBits(h.internalFlags & INTERNAL_FLAGS_RESERVED_MASK, INTERNAL_FLAG_BITS);
  const seen = reserved.filter((b) => b.seenIn !== undefined);
  const unknown = reserved.filter((b) => b.seenIn === undefined);
  if (seen.length > 0) {
    const what = seen.map((b) => `bit ${b.bit}, set by ${b.seenIn}`).join('; ');
    report(findings, 'sqm-v1.internal-flags', `InternalFlags ${hex32(h.internalFlags)} sets reserved ${what}; kept`, { offset: 108 });
  }
  if (unknown.length > 0) {
    const bits = unknown.map((b) => b.bit).join(', ');
    report(findings, 'sqm-v1.internal-flags-reserved', `InternalFlags ${hex32(h.internalFlags)} sets reserved bits ${bits}, which MUST be 0 and no known client sets; kept`, {
      offset: 108,
    });
  }
}

/**
 * Where section data starts: at HeaderLength when it is at least 120 and fits in the session
 * (MS-SQMCS 2.2.4.1: HeaderLength is the header's length), else right after the 120 fixed bytes.
 */
export function sectionDataStart(headerLength: number, total: number): number {
  return headerLength > SQM_HEADER_LENGTH && headerLength <= total ? headerLength : SQM_HEADER_LENGTH;
}

/** Encodes the 120 fixed header bytes exactly as the fields hold them (a malformed GUID string encodes as zeros). */
export function encodeSqmHeader(h: SqmHeader): Buffer {
  const w = new ByteWriter(SQM_HEADER_LENGTH);
  for (const [name, kind] of HEADER_FIELDS) {
    const v = h[name];
    if (kind === 'u32') w.u32(Number(v));
    else if (kind === 'u64') w.u64(BigInt(v));
    else w.bytes(guidFromString(String(v)) ?? Buffer.alloc(16));
  }
  return w.toBuffer();
}
