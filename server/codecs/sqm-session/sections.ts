// SQM sections (MS-SQMCS 2.2.4.2-2.2.4.4): walk the section data header by header, decode each
// known type, keep everything else raw; and the exact inverse for encoding.

import { ByteReader } from '../../wire/reader';
import { ByteWriter } from '../../wire/writer';
import { hex32, type Findings } from '../../wire/findings';
import { SECTION_DWORD, SECTION_QWORD, SECTION_STREAM, SECTION_STRING, type DwordDataPoint, type QwordDataPoint, type SqmSection } from './types';
import { rawSection, SECTION_HEADER_BYTES, type SectionHead } from './section-head';
import { decodeStringSection, writeStringEntries } from './strings';
import { decodeStreamSection, writeStreamPayload } from './stream';
import { report } from './rules';

const DWORD_POINT_BYTES = 12; // MS-SQMCS 2.2.4.4.1.1
const QWORD_POINT_BYTES = 16; // MS-SQMCS 2.2.4.4.1.2

export interface DecodedSections {
  sections: SqmSection[];
  /** 1-7 bytes after the last section that cannot hold a section header. */
  trailing?: Buffer;
  /** The section data after the last decoded section when `maxSections` stopped decoding. */
  undecoded?: Buffer;
}

/** Bounds on the work one session may cost; past them the rest is kept as bytes, with a finding. */
export interface SectionLimits {
  /** Sections decoded per session; the data after them is kept undecoded (`undecoded`). */
  maxSections: number;
  /** Data points or stream entries per section; a section with more is kept raw. */
  maxEntriesPerSection: number;
}

/** Far above any real session (tens of sections, thousands of data points), far below a pathological one. */
export const DEFAULT_SECTION_LIMITS: SectionLimits = { maxSections: 10_000, maxEntriesPerSection: 1_000_000 };

/**
 * Decodes every section in `rawData` (the uncompressed section data), within `limits`. Finding
 * offsets are relative to `rawData`; give `findings` a base to shift them. Never throws.
 */
export function decodeSections(rawData: Buffer, sectionCount: number, findings: Findings, limits: SectionLimits = DEFAULT_SECTION_LIMITS): DecodedSections {
  const r = new ByteReader(rawData);
  const sections: SqmSection[] = [];
  let trailing: Buffer | undefined;
  while (r.remaining > 0) {
    const offset = r.pos;
    if (sections.length >= limits.maxSections) {
      const undecoded = r.bytes(r.remaining)!;
      const message = `more than ${limits.maxSections} sections (the decoding limit): the ${undecoded.length} bytes from this offset on are kept undecoded`;
      report(findings, 'sqm-v1.decode-limit', message, { offset });
      return { sections, undecoded };
    }
    if (!r.has(SECTION_HEADER_BYTES)) {
      trailing = r.bytes(r.remaining);
      report(findings, 'sqm-v1.trailing-bytes', `${trailing!.length} bytes after the last section cannot hold a section header`, { offset });
      break;
    }
    const head: SectionHead = { type: r.u32()!, length: r.u32()!, offset };
    if (!r.has(head.length)) {
      const present = r.remaining;
      report(findings, 'sqm-v1.section-overrun', `section type ${hex32(head.type)} has SectionLength ${head.length} but only ${present} bytes remain; kept raw`, { offset });
      sections.push(rawSection(head, 'undecodable', r.bytes(present)!));
      break;
    }
    // No Buffer view per section unless it is needed: millions of tiny views cost seconds of GC.
    const start = r.pos;
    r.pos += head.length;
    sections.push(decodeSection(head, { data: rawData, start }, limits.maxEntriesPerSection, findings));
  }
  if (sections.length !== sectionCount) {
    report(findings, 'sqm-v1.section-count', `SectionCount is ${sectionCount}; ${sections.length} sections found`);
  }
  return trailing === undefined ? { sections } : { sections, trailing };
}

/** Where a section's payload lies: `head.length` bytes of `data` from `start`. */
interface PayloadAt {
  data: Buffer;
  start: number;
}

function decodeSection(head: SectionHead, at: PayloadAt, maxEntries: number, findings: Findings): SqmSection {
  if (head.type === SECTION_DWORD || head.type === SECTION_QWORD) return decodeFixedSection(head, at, maxEntries, findings);
  const payload = at.data.subarray(at.start, at.start + head.length);
  const decoded = decodeOther(head, payload, findings);
  const entries = decoded.typeName === 'string' ? decoded.datapoints.length : decoded.typeName === 'stream' ? decoded.entries.length : 0;
  return entries > maxEntries ? overLimit(head, payload, entries, maxEntries, findings) : decoded;
}

function decodeOther(head: SectionHead, payload: Buffer, findings: Findings): SqmSection {
  switch (head.type) {
    case SECTION_STRING:
      return decodeStringSection(head, payload, findings);
    case SECTION_STREAM:
      return decodeStreamSection(head, payload, findings);
    default:
      report(findings, 'sqm-v1.section-type', `type ${hex(head.type)} is not listed in MS-SQMCS 2.2.4.3; kept raw`, { offset: head.offset });
      return rawSection(head, 'unknown-type', payload);
  }
}

function overLimit(head: SectionHead, payload: Buffer, entries: number, maxEntries: number, findings: Findings): SqmSection {
  const message = `section type ${hex32(head.type)} holds ${entries} entries, over the decoding limit of ${maxEntries}; kept raw`;
  report(findings, 'sqm-v1.decode-limit', message, { offset: head.offset, section: '2.2.4.4' });
  return rawSection(head, 'over-limit', payload);
}

function decodeFixedSection(head: SectionHead, { data, start }: PayloadAt, maxEntries: number, findings: Findings): SqmSection {
  const dword = head.type === SECTION_DWORD;
  const size = dword ? DWORD_POINT_BYTES : QWORD_POINT_BYTES;
  const payload = () => data.subarray(start, start + head.length);
  if (head.length % size !== 0) {
    const rule = dword ? 'sqm-v1.dword-length' : 'sqm-v1.qword-length';
    report(findings, rule, `SectionLength ${head.length} is not a multiple of ${size}; kept raw`, { offset: head.offset });
    return rawSection(head, 'undecodable', payload());
  }
  const n = head.length / size;
  if (n > maxEntries) return overLimit(head, payload(), n, maxEntries, findings);
  if (dword) {
    const datapoints: DwordDataPoint[] = new Array<DwordDataPoint>(n);
    for (let i = 0, p = start; i < n; i++, p += size) datapoints[i] = { id: data.readUInt32LE(p), value: data.readUInt32LE(p + 4), tickCount: data.readUInt32LE(p + 8) };
    // Fields named, not spread: `{ ...head }` costs microseconds per section, seconds per million.
    return { type: head.type, length: head.length, offset: head.offset, typeName: 'dword', datapoints };
  }
  const datapoints: QwordDataPoint[] = new Array<QwordDataPoint>(n);
  for (let i = 0, p = start; i < n; i++, p += size) datapoints[i] = { id: data.readUInt32LE(p), value: data.readBigUInt64LE(p + 4), tickCount: data.readUInt32LE(p + 12) };
  return { type: head.type, length: head.length, offset: head.offset, typeName: 'qword', datapoints };
}

const hex = (n: number): string => '0x' + n.toString(16).toUpperCase();

/**
 * Encodes sections back to section data. Each payload is re-encoded from the typed values; the
 * SectionLength written is the stored one unless `recomputeLengths`. Total: never throws.
 */
export function encodeSections(sections: readonly SqmSection[], opts: { recomputeLengths?: boolean } = {}): Buffer {
  const recompute = opts.recomputeLengths === true;
  const w = new ByteWriter(1024);
  for (const s of sections) {
    const payload = encodePayload(s, recompute);
    w.u32(s.type)
      .u32(recompute ? payload.length : s.length)
      .bytes(payload);
  }
  return w.toBuffer();
}

function encodePayload(s: SqmSection, recompute: boolean): Buffer {
  if (s.typeName === 'raw') return s.raw;
  const w = new ByteWriter(Math.min(Math.max(16, s.length), 1 << 20));
  switch (s.typeName) {
    case 'dword':
      for (const p of s.datapoints) w.u32(p.id).u32(p.value).u32(p.tickCount);
      break;
    case 'qword':
      for (const p of s.datapoints) w.u32(p.id).u64(p.value).u32(p.tickCount);
      break;
    case 'string':
      writeStringEntries(w, s, recompute);
      break;
    case 'stream':
      writeStreamPayload(w, s, recompute);
      break;
  }
  return w.toBuffer();
}
