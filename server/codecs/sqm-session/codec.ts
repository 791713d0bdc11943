// The SQM v1 session codec (MS-SQMCS 2.2.3-2.2.4, processed as in 3.2.5.2/3.2.5.3): bytes in,
// typed session and findings out; and encoding back, exactly or with lengths and checksums redone.

import { Findings, hasErrors, hex32, type Finding } from '../../wire/findings';
import { sqmChecksum } from '../../wire/checksum';
import { INTERNAL_FLAG_COMPRESSED, SQM_HEADER_LENGTH, type DecodeResult, type SqmHeader, type SqmSession } from './types';
import { CHECKSUM_HEADER_END, CHECKSUM_HEADER_START, decodeSqmHeader, encodeSqmHeader, sectionDataStart } from './header';
import { decodeSections, encodeSections, type SectionLimits } from './sections';
import { report } from './rules';

export { decodeSqmHeader, encodeSqmHeader } from './header';
export { decodeSections, encodeSections, DEFAULT_SECTION_LIMITS, type SectionLimits } from './sections';

export interface DecodeOptions {
  /** Upper bound on the uncompressed section data of a compressed session. */
  maxRawBytes: number;
  /** Cabinet reader; called for compressed sessions with maxBytes = min(RawDataLength, maxRawBytes). */
  decompress?: (data: Buffer, maxBytes: number) => { value: Buffer | null; findings: Finding[] };
  /** Bounds on sections per session and entries per section (default DEFAULT_SECTION_LIMITS). */
  limits?: SectionLimits;
}

export interface EncodeOptions {
  /** Recompute DataChecksum (and RawDataChecksum when the cabinet is re-emitted) from the bytes written. */
  recomputeChecksums?: boolean;
  /** Recompute DataLength, SectionCount, every SectionLength and StringLength from the bytes written. */
  recomputeLengths?: boolean;
  /** For a compressed session: write the sections uncompressed instead of re-emitting the cabinet. */
  uncompressed?: boolean;
}

const EMPTY = Buffer.alloc(0);

/**
 * DataChecksum / RawDataChecksum (INTERFACE.md, MS-SQMCS note <4>): `c = c*101 + b mod 2^32` over
 * header bytes 20..35 (DataLength..ApplicationVersionLow) as they stand, then over `sectionData`.
 * @example computeDataChecksum(body.subarray(0, 120), body.subarray(120)) // 0xE44FF158 on the 4.1 capture
 */
export function computeDataChecksum(headerBuf: Uint8Array, sectionData: Uint8Array): number {
  return sqmChecksum(sectionData, sqmChecksum(headerBuf.subarray(CHECKSUM_HEADER_START, CHECKSUM_HEADER_END)));
}

/**
 * Decodes one SQM v1 session. Never throws on any bytes: problems are findings. `value` is null only
 * when the 120-byte header is incomplete. Finding offsets are within `buf`, except for sections of a
 * compressed session, whose offsets are within the decompressed section data (their message says so).
 * @example const { value, findings } = decodeSqmSession(body, { maxRawBytes: 20 << 20, decompress: readCab });
 */
export function decodeSqmSession(buf: Uint8Array, opts: DecodeOptions): DecodeResult<SqmSession> {
  // A view, not a copy (big uploads): the session's buffers alias `buf`, which callers must not reuse.
  const input = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const head = decodeSqmHeader(input);
  if (head.value === null) return { value: null, findings: head.findings, bytesRead: 0 };
  const header = head.value;
  const findings = new Findings();
  const dataStart = sectionDataStart(header.headerLength, input.length);
  const data = input.subarray(dataStart);
  const compressed = (header.internalFlags & INTERNAL_FLAG_COMPRESSED) !== 0;
  const section = compressed ? '3.2.5.2' : '3.2.5.3';
  if (header.dataLength !== data.length) {
    report(findings, 'sqm-v1.data-length', `DataLength is ${header.dataLength}; ${data.length} bytes follow the header`, { offset: 20, section });
  }
  const dataChecksum = computeDataChecksum(input, data);
  if (dataChecksum !== header.dataChecksum) {
    report(findings, 'sqm-v1.data-checksum', `DataChecksum is ${hex32(header.dataChecksum)}; computed ${hex32(dataChecksum)}`, { offset: 12, section });
  }
  const session: SqmSession = { header, compressed, data, rawData: data, sections: [], computed: { dataChecksum } };
  if (dataStart > SQM_HEADER_LENGTH) session.headerExtension = input.subarray(SQM_HEADER_LENGTH, dataStart);
  if (compressed) {
    const raw = decompress({ input, header, data }, opts, findings);
    session.rawData = raw?.rawData ?? EMPTY;
    if (raw !== null) {
      session.computed.rawDataChecksum = raw.checksum;
      decodeCompressedSections(session, findings, opts.limits);
    }
  } else {
    const sectionFindings = new Findings(dataStart);
    Object.assign(session, decodeSections(data, header.sectionCount, sectionFindings, opts.limits));
    findings.list.push(...sectionFindings.list);
  }
  return { value: session, findings: [...head.findings, ...findings.list], bytesRead: input.length };
}

/** MS-SQMCS 3.2.5.2 steps 3-5: decompress, then check RawDataLength and RawDataChecksum. */
function decompress(
  { input, header, data }: { input: Buffer; header: SqmHeader; data: Buffer },
  opts: DecodeOptions,
  findings: Findings,
): { rawData: Buffer; checksum: number } | null {
  const overLimit = header.rawDataLength > opts.maxRawBytes;
  if (overLimit) {
    report(findings, 'sqm-v1.raw-data-length', `RawDataLength ${header.rawDataLength} exceeds the limit of ${opts.maxRawBytes} bytes`, { offset: 112 });
  }
  if (opts.decompress === undefined) {
    report(findings, 'sqm-v1.compression-unavailable', 'InternalFlags bit 0 says compressed, but no decompressor is available; sections not decoded', { offset: 108 });
    return null;
  }
  let out: ReturnType<NonNullable<DecodeOptions['decompress']>>;
  try {
    out = opts.decompress(data, Math.min(header.rawDataLength, opts.maxRawBytes));
  } catch (e) {
    report(findings, 'sqm-v1.decompress-failed', `decompressor threw: ${e instanceof Error ? e.message : String(e)}`, { offset: SQM_HEADER_LENGTH });
    return null;
  }
  findings.list.push(...out.findings);
  if (out.value === null) {
    // The cabinet reader normally says why; make sure a refusal is never silent.
    if (!hasErrors(out.findings)) {
      report(findings, 'sqm-v1.decompress-failed', 'decompressor returned no data', { offset: SQM_HEADER_LENGTH });
    }
    return null;
  }
  if (!overLimit && out.value.length !== header.rawDataLength) {
    report(findings, 'sqm-v1.raw-data-length', `RawDataLength is ${header.rawDataLength}; decompressed data is ${out.value.length} bytes`, { offset: 112 });
  }
  const checksum = computeDataChecksum(input, out.value);
  if (checksum !== header.rawDataChecksum) {
    report(findings, 'sqm-v1.raw-data-checksum', `RawDataChecksum is ${hex32(header.rawDataChecksum)}; computed ${hex32(checksum)}`, { offset: 116 });
  }
  return { rawData: out.value, checksum };
}

function decodeCompressedSections(session: SqmSession, findings: Findings, limits: SectionLimits | undefined): void {
  const sectionFindings = new Findings();
  Object.assign(session, decodeSections(session.rawData, session.header.sectionCount, sectionFindings, limits));
  for (const f of sectionFindings.list) {
    const where = `(offset ${f.offset} is in the decompressed section data)`;
    findings.list.push(f.offset === undefined ? f : { ...f, message: `${f.message} ${where}` });
  }
}

/**
 * Encodes a session. By default the bytes are the input's exactly: header fields as stored, sections
 * re-encoded from their typed values (in the layout they arrived in), then `trailing`. A compressed
 * session re-emits `data` (the cabinet) unchanged: edits to its sections need `{ uncompressed: true }`,
 * which clears InternalFlags bit 0, writes the sections, zeroes RawDataLength/RawDataChecksum and
 * implies both recompute options. Total: never throws on well-typed values.
 * @example encodeSqmSession(session, { recomputeLengths: true, recomputeChecksums: true })
 */
export function encodeSqmSession(session: SqmSession, opts: EncodeOptions = {}): Buffer {
  const unpack = opts.uncompressed === true && session.compressed;
  const lengths = opts.recomputeLengths === true || unpack;
  const checksums = opts.recomputeChecksums === true || unpack;
  const cabinet = session.compressed && !unpack;
  const header: SqmHeader = { ...session.header };
  const body = cabinet ? session.data : Buffer.concat([encodeSections(session.sections, { recomputeLengths: lengths }), session.undecoded ?? EMPTY, session.trailing ?? EMPTY]);
  // Only a successfully decompressed cabinet has known uncompressed bytes to describe.
  const raw = cabinet && session.rawData.length > 0 ? session.rawData : undefined;
  if (unpack) {
    header.internalFlags = (header.internalFlags & ~INTERNAL_FLAG_COMPRESSED) >>> 0;
    header.rawDataLength = 0;
    header.rawDataChecksum = 0;
  }
  if (lengths) {
    header.dataLength = body.length;
    header.sectionCount = session.sections.length;
    if (raw) header.rawDataLength = raw.length;
  }
  if (checksums) {
    // Bytes 20..35 hold no checksum, so a header encoded before the checksums are set serves.
    const interim = encodeSqmHeader(header);
    header.dataChecksum = computeDataChecksum(interim, body);
    if (raw) header.rawDataChecksum = computeDataChecksum(interim, raw);
  }
  return Buffer.concat([encodeSqmHeader(header), session.headerExtension ?? EMPTY, body]);
}
