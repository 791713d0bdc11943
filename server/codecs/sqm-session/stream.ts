// SQM stream sections (MS-SQMCS 2.2.4.4.2): stream header, then typed records read until the
// section ends (INTERFACE.md: the declared counts disagree with real uploads, so they only inform).

import { ByteReader } from '../../wire/reader';
import type { ByteWriter } from '../../wire/writer';
import { hex32, type Findings } from '../../wire/findings';
import type { SqmSection, StreamEntry, StreamSection, StringLayout } from './types';
import { rawSection, SECTION_HEADER_BYTES, type SectionHead } from './section-head';
import { readStringBody, WINDOWS_LAYOUT_MESSAGE, writeStringBody } from './strings';
import { report } from './rules';

/** StreamIdentifier, CountPerRecord, CountRecords (MS-SQMCS 2.2.4.4.2.1). */
const STREAM_HEADER_BYTES = 12;

type Attempt = { ok: true; entries: StreamEntry[] } | { ok: false; at: number; message: string };

function readRecord(r: ByteReader, entryType: number, layout: StringLayout): StreamEntry | null {
  const tickCount = r.u32();
  if (tickCount === undefined) return null;
  if (entryType === 0x0) {
    const value = r.u32();
    return value === undefined ? null : { entryType, tickCount, value };
  }
  if (entryType === 0x6) {
    const value = r.u64();
    return value === undefined ? null : { entryType, tickCount, value };
  }
  const stringLength = r.u32();
  const body = stringLength === undefined ? null : readStringBody(r, stringLength, layout);
  return body === null ? null : { entryType: 0x3, tickCount, stringLength: stringLength!, ...body };
}

function readEntries(payload: Buffer, layout: StringLayout): Attempt {
  const r = new ByteReader(payload, STREAM_HEADER_BYTES);
  const entries: StreamEntry[] = [];
  while (r.remaining > 0) {
    const at = r.pos;
    const entryType = r.u32();
    if (entryType === undefined) {
      return { ok: false, at, message: `${r.remaining} bytes left cannot hold a StreamEntryType` };
    }
    if (entryType !== 0x0 && entryType !== 0x3 && entryType !== 0x6) {
      return { ok: false, at, message: `StreamEntryType ${hex32(entryType)} is not 0x0, 0x3 or 0x6` };
    }
    const entry = readRecord(r, entryType, layout);
    if (entry === null) return { ok: false, at, message: `stream record of type ${entryType} runs past the section end` };
    entries.push(entry);
  }
  return { ok: true, entries };
}

/** Decodes a stream section; an unknown record type or an overrunning record keeps it raw. */
export function decodeStreamSection(head: SectionHead, payload: Buffer, findings: Findings): SqmSection {
  const h = new ByteReader(payload);
  const [streamIdentifier, countPerRecord, countRecords] = [h.u32(), h.u32(), h.u32()];
  if (streamIdentifier === undefined || countPerRecord === undefined || countRecords === undefined) {
    report(findings, 'sqm-v1.stream-header', `stream section of ${payload.length} bytes cannot hold the 12-byte stream header; kept raw`, { offset: head.offset });
    return rawSection(head, 'undecodable', payload);
  }
  // A windows-layout read only differs from a document one when there are STRING records.
  const doc = readEntries(payload, 'document');
  const win = doc.ok ? doc : readEntries(payload, 'windows');
  if (!win.ok) {
    const worst = !doc.ok && doc.at >= win.at ? doc : win;
    report(findings, 'sqm-v1.stream-entry', `${worst.message}; stream kept raw`, { offset: head.offset + SECTION_HEADER_BYTES + worst.at });
    return rawSection(head, 'undecodable', payload);
  }
  const layout: StringLayout = doc.ok ? 'document' : 'windows';
  if (layout === 'windows') {
    report(findings, 'sqm-v1.string-layout', WINDOWS_LAYOUT_MESSAGE('2.2.4.4.2.3.3'), { offset: head.offset, section: '2.2.4.4.2.3.3' });
  }
  const declared = BigInt(countPerRecord) * BigInt(countRecords);
  if (declared !== BigInt(win.entries.length)) {
    report(
      findings,
      'sqm-v1.stream-counts',
      `stream ${hex32(streamIdentifier)} declares CountPerRecord ${countPerRecord} × CountRecords ${countRecords}` + ` = ${declared} entries; ${win.entries.length} read`,
      { offset: head.offset },
    );
  }
  // Fields named, not spread (sections.ts).
  return { type: head.type, length: head.length, offset: head.offset, typeName: 'stream', streamIdentifier, countPerRecord, countRecords, layout, entries: win.entries };
}

/** Writes a stream section's payload (stream header and records) in the layout it arrived in. */
export function writeStreamPayload(w: ByteWriter, s: StreamSection, recompute: boolean): void {
  w.u32(s.streamIdentifier).u32(s.countPerRecord).u32(s.countRecords);
  for (const e of s.entries) {
    w.u32(e.entryType).u32(e.tickCount);
    if (e.entryType === 0x0) w.u32(e.value);
    else if (e.entryType === 0x6) w.u64(e.value);
    else writeStringBody(w, e, { layout: s.layout, recompute });
  }
}
