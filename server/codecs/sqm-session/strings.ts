// STRING data point sections (MS-SQMCS 2.2.4.4.1.3) in both layouts INTERFACE.md accepts, and the
// string body shared with stream STRING records (2.2.4.4.2.3.3).

import { ByteReader } from '../../wire/reader';
import type { ByteWriter } from '../../wire/writer';
import type { Findings } from '../../wire/findings';
import { decodeUtf16le, encodeUtf16le } from '../../wire/utf16';
import type { SqmSection, StringDataPoint, StringLayout, StringSection } from './types';
import { rawSection, type SectionHead } from './section-head';
import { report } from './rules';

/** Extra bytes per entry in the `windows` layout: a null terminator and 2 more bytes (MS-SQMCS 4.1). */
export const WINDOWS_TRAILER_BYTES = 4;
const LAYOUTS: readonly StringLayout[] = ['document', 'windows'];

/** The string and, in the windows layout, its 4 trailer bytes as hex. */
export interface StringBody {
  value: string;
  trailer?: string;
}

export const WINDOWS_LAYOUT_MESSAGE = (section: string): string => `STRING entries carry 4 bytes more than MS-SQMCS ${section}'s formula; decoded with the Windows layout`;

/**
 * Tries each layout, document first, and returns the first that `attempt` accepts
 * (INTERFACE.md: pick per section the layout under which the entries exactly fill the section).
 */
function firstFittingLayout<T>(attempt: (layout: StringLayout) => T | null): { layout: StringLayout; value: T } | null {
  for (const layout of LAYOUTS) {
    const value = attempt(layout);
    if (value !== null) return { layout, value };
  }
  return null;
}

/** Reads 2×`length` bytes of UTF-16LE and, in the windows layout, the 4 trailer bytes; null if they overrun. */
export function readStringBody(r: ByteReader, length: number, layout: StringLayout): StringBody | null {
  const text = r.bytes(length * 2);
  if (text === undefined) return null;
  if (layout === 'document') return { value: decodeUtf16le(text) };
  const trailer = r.bytes(WINDOWS_TRAILER_BYTES);
  return trailer === undefined ? null : { value: decodeUtf16le(text), trailer: trailer.toString('hex') };
}

/** Writes StringLength, the string and (windows layout) the trailer, padded or cut to 4 bytes. */
export function writeStringBody(w: ByteWriter, s: StringBody & { stringLength: number }, { layout, recompute }: { layout: StringLayout; recompute: boolean }): void {
  const text = encodeUtf16le(s.value);
  w.u32(recompute ? text.length / 2 : s.stringLength).bytes(text);
  if (layout === 'windows') {
    const trailer = Buffer.alloc(WINDOWS_TRAILER_BYTES);
    // Buffer.from(…, 'hex') stops at the first bad digit instead of throwing: encoding stays total.
    Buffer.from(s.trailer ?? '', 'hex').copy(trailer, 0, 0, WINDOWS_TRAILER_BYTES);
    w.bytes(trailer);
  }
}

function readStringEntries(payload: Buffer, layout: StringLayout): StringDataPoint[] | null {
  const r = new ByteReader(payload);
  const out: StringDataPoint[] = [];
  while (r.remaining > 0) {
    const id = r.u32();
    const tickCount = r.u32();
    const stringLength = r.u32();
    if (id === undefined || tickCount === undefined || stringLength === undefined) return null;
    const body = readStringBody(r, stringLength, layout);
    if (body === null) return null;
    out.push({ id, tickCount, stringLength, ...body });
  }
  return out;
}

/** Decodes a STRING section; when neither layout fills SectionLength exactly it is kept raw. */
export function decodeStringSection(head: SectionHead, payload: Buffer, findings: Findings): SqmSection {
  const fit = firstFittingLayout((layout) => readStringEntries(payload, layout));
  if (fit === null) {
    report(findings, 'sqm-v1.string-length', `STRING entries do not fill SectionLength ${head.length} in either layout; kept raw`, { offset: head.offset });
    return rawSection(head, 'undecodable', payload);
  }
  if (fit.layout === 'windows') {
    report(findings, 'sqm-v1.string-layout', WINDOWS_LAYOUT_MESSAGE('2.2.4.4.1.3'), { offset: head.offset });
  }
  // Fields named, not spread (sections.ts): this runs for every STRING section of every upload.
  return { type: head.type, length: head.length, offset: head.offset, typeName: 'string', layout: fit.layout, datapoints: fit.value };
}

/** Writes the entries of a STRING section in its layout (without the section header). */
export function writeStringEntries(w: ByteWriter, { datapoints, layout }: StringSection, recompute: boolean): void {
  for (const dp of datapoints) {
    w.u32(dp.id).u32(dp.tickCount);
    writeStringBody(w, dp, { layout, recompute });
  }
}
