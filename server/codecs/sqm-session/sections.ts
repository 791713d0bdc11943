// SQM sections (MS-SQMCS 2.2.4.2-2.2.4.4): walk the section data header by header, decode each
// known type, keep everything else raw; and the exact inverse for encoding.

import { ByteReader } from '../../wire/reader';
import { ByteWriter } from '../../wire/writer';
import { hex32, type Findings } from '../../wire/findings';
import { SECTION_DWORD, SECTION_QWORD, SECTION_STREAM, SECTION_STRING, type SqmSection } from './types';
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
}

/**
 * Decodes every section in `rawData` (the uncompressed section data). Finding offsets are relative
 * to `rawData`; give `findings` a base to shift them. Never throws.
 */
export function decodeSections(rawData: Buffer, sectionCount: number, findings: Findings): DecodedSections {
  const r = new ByteReader(rawData);
  const sections: SqmSection[] = [];
  let trailing: Buffer | undefined;
  while (r.remaining > 0) {
    const offset = r.pos;
    if (!r.has(SECTION_HEADER_BYTES)) {
      trailing = r.bytes(r.remaining);
      report(findings, 'sqm-v1.trailing-bytes', `${trailing!.length} bytes after the last section cannot hold a section header`, { offset });
      break;
    }
    const head: SectionHead = { type: r.u32()!, length: r.u32()!, offset };
    const payload = r.bytes(head.length);
    if (payload === undefined) {
      const present = r.remaining;
      report(findings, 'sqm-v1.section-overrun', `section type ${hex32(head.type)} has SectionLength ${head.length} but only ${present} bytes remain; kept raw`, { offset });
      sections.push(rawSection(head, 'undecodable', r.bytes(present)!));
      break;
    }
    sections.push(decodeSection(head, payload, findings));
  }
  if (sections.length !== sectionCount) {
    report(findings, 'sqm-v1.section-count', `SectionCount is ${sectionCount}; ${sections.length} sections found`);
  }
  return trailing === undefined ? { sections } : { sections, trailing };
}

function decodeSection(head: SectionHead, payload: Buffer, findings: Findings): SqmSection {
  switch (head.type) {
    case SECTION_DWORD:
    case SECTION_QWORD:
      return decodeFixedSection(head, payload, findings);
    case SECTION_STRING:
      return decodeStringSection(head, payload, findings);
    case SECTION_STREAM:
      return decodeStreamSection(head, payload, findings);
    default:
      report(findings, 'sqm-v1.section-type', `type ${hex(head.type)} is not listed in MS-SQMCS 2.2.4.3; kept raw`, { offset: head.offset });
      return rawSection(head, 'unknown-type', payload);
  }
}

function decodeFixedSection(head: SectionHead, payload: Buffer, findings: Findings): SqmSection {
  const dword = head.type === SECTION_DWORD;
  const size = dword ? DWORD_POINT_BYTES : QWORD_POINT_BYTES;
  if (payload.length % size !== 0) {
    const rule = dword ? 'sqm-v1.dword-length' : 'sqm-v1.qword-length';
    report(findings, rule, `SectionLength ${head.length} is not a multiple of ${size}; kept raw`, { offset: head.offset });
    return rawSection(head, 'undecodable', payload);
  }
  const r = new ByteReader(payload);
  const n = payload.length / size;
  if (dword) {
    const datapoints = Array.from({ length: n }, () => ({ id: r.u32()!, value: r.u32()!, tickCount: r.u32()! }));
    return { ...head, typeName: 'dword', datapoints };
  }
  const datapoints = Array.from({ length: n }, () => ({ id: r.u32()!, value: r.u64()!, tickCount: r.u32()! }));
  return { ...head, typeName: 'qword', datapoints };
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
