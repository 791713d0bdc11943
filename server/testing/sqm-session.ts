// Builds SQM v1 sessions for tests (unit and e2e), written independently of codec.ts so it can check
// it: MS-SQMCS 2.2.4 layouts, correct lengths and checksum unless a field is overridden.

import { ByteWriter } from '../wire/writer';
import { sqmChecksum } from '../wire/checksum';
import { guidFromString } from '../wire/guid';
import type { SqmHeader, StringLayout } from '../codecs/sqm-session/types';

export type BuildSection =
  | { type: 'dword'; datapoints: ReadonlyArray<{ id: number; value: number; tickCount?: number }>; length?: number }
  | { type: 'qword'; datapoints: ReadonlyArray<{ id: number; value: bigint; tickCount?: number }>; length?: number }
  | { type: 'string'; layout?: StringLayout; datapoints: ReadonlyArray<BuildString & { id: number }>; length?: number }
  | { type: 'stream'; streamIdentifier: number; countPerRecord?: number; countRecords?: number; layout?: StringLayout; entries: readonly BuildStreamEntry[]; length?: number }
  /** Any SectionType with its payload as given (e.g. `{ type: 7, raw: Buffer.from('0102', 'hex') }`). */
  | { type: number; raw: Uint8Array; length?: number };

interface BuildString {
  value: string;
  tickCount?: number;
  /** Defaults to value.length. */
  stringLength?: number;
  /** 4 bytes (hex) after the string in the windows layout; default `00000000`. */
  trailer?: string;
}
export type BuildStreamEntry =
  | { entryType: 0x0; value: number; tickCount?: number }
  | { entryType: 0x6; value: bigint; tickCount?: number }
  | ({ entryType: 0x3 } & BuildString)
  /** An arbitrary record: StreamEntryType then these bytes. */
  | { entryType: number; raw: Uint8Array };

export interface BuildOptions {
  /** Not part of the bytes: the partner `buildSqmUpload` puts in the path (default `windows`). */
  partner?: string;
  /** Header fields to force; anything given here is written as is, never recomputed. */
  header?: Partial<SqmHeader>;
  sections?: readonly BuildSection[];
  /** Bytes appended after the sections (counted in DataLength). */
  trailing?: Uint8Array;
  /** Bytes between the 120-byte header and the sections; HeaderLength defaults to 120 + their length. */
  headerExtension?: Uint8Array;
  /** Makes a compressed session: sets InternalFlags bit 0 and RawDataLength/RawDataChecksum; DataLength/DataChecksum cover compress(sections). */
  compress?: (raw: Buffer) => Buffer;
}

/** Defaults: a plausible Windows 7 header (FILETIMEs of the MS-SQMCS 4.2 example). */
export const DEFAULT_HEADER: SqmHeader = {
  signature: 0x4d51534d,
  headerLength: 0x78,
  flags: 0,
  dataChecksum: 0,
  sectionCount: 0,
  dataLength: 0,
  applicationIdentifier: 0,
  applicationVersionHigh: 0,
  applicationVersionLow: 0,
  manifestVersion: 0,
  clientUploadTime: 0x01cc583870674250n,
  reserved: 0n,
  clientSessionStartTime: 0x01cc58329b554e90n,
  clientSessionEndTime: 0x01cc58329f296100n,
  clientUniqueIdentifier: '{F0DB6A46-CB0E-4E72-AD40-3EEDF0349BBE}',
  userUniqueIdentifier: '{00000000-0000-0000-0000-000000000000}',
  studyIdentifier: 0,
  internalFlags: 0,
  rawDataLength: 0,
  rawDataChecksum: 0,
};

function writeString(w: ByteWriter, s: BuildString, layout: StringLayout): void {
  const text = Buffer.from(s.value, 'utf16le');
  w.u32(s.stringLength ?? s.value.length).bytes(text);
  if (layout === 'windows') w.bytes(Buffer.from((s.trailer ?? '00000000').padEnd(8, '0').slice(0, 8), 'hex'));
}

function payloadOf(s: BuildSection): { type: number; payload: Buffer } {
  const w = new ByteWriter();
  if (s.type === 'dword')
    for (const p of s.datapoints)
      w.u32(p.id)
        .u32(p.value)
        .u32(p.tickCount ?? 0);
  else if (s.type === 'qword')
    for (const p of s.datapoints)
      w.u32(p.id)
        .u64(p.value)
        .u32(p.tickCount ?? 0);
  else if (s.type === 'string') for (const p of s.datapoints) writeString(w.u32(p.id).u32(p.tickCount ?? 0), p, s.layout ?? 'document');
  else if (s.type === 'stream') {
    w.u32(s.streamIdentifier)
      .u32(s.countPerRecord ?? s.entries.length)
      .u32(s.countRecords ?? 1);
    for (const e of s.entries) writeStreamEntry(w.u32(e.entryType), e, s.layout ?? 'document');
  } else return { type: s.type, payload: Buffer.from(s.raw) };
  const type = { dword: 0, string: 3, stream: 5, qword: 6 }[s.type];
  return { type, payload: w.toBuffer() };
}

function writeStreamEntry(w: ByteWriter, e: BuildStreamEntry, layout: StringLayout): void {
  if ('raw' in e) w.bytes(e.raw);
  else if (e.entryType === 0x0) w.u32(e.tickCount ?? 0).u32(e.value);
  else if (e.entryType === 0x6) w.u32(e.tickCount ?? 0).u64(e.value);
  else writeString(w.u32(e.tickCount ?? 0), e, layout);
}

/**
 * The section data: each section header (SectionLength = payload length unless overridden) and payload.
 * @example const raw = buildSections([{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }]);
 */
export function buildSections(sections: readonly BuildSection[]): Buffer {
  const w = new ByteWriter();
  for (const s of sections) {
    const { type, payload } = payloadOf(s);
    w.u32(type)
      .u32(s.length ?? payload.length)
      .bytes(payload);
  }
  return w.toBuffer();
}

/**
 * Builds one SQM v1 session. Lengths, SectionCount and checksums are computed unless `header` sets them.
 * @example buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }] })
 */
export function buildSqmSession(o: BuildOptions = {}): Buffer {
  const sectionBytes = Buffer.concat([buildSections(o.sections ?? []), Buffer.from(o.trailing ?? [])]);
  const data = o.compress ? o.compress(sectionBytes) : sectionBytes;
  const ext = Buffer.from(o.headerExtension ?? []);
  const h: SqmHeader = {
    ...DEFAULT_HEADER,
    headerLength: 0x78 + ext.length,
    sectionCount: o.sections?.length ?? 0,
    dataLength: data.length,
    internalFlags: o.compress ? 0x1 : 0,
    rawDataLength: o.compress ? sectionBytes.length : 0,
    ...o.header,
  };
  const head = writeHeader(h);
  const area = head.subarray(20, 36); // MS-SQMCS note <4>: DataLength..ApplicationVersionLow
  if (o.header?.dataChecksum === undefined) head.writeUInt32LE(sqmChecksum(data, sqmChecksum(area)), 12);
  if (o.compress && o.header?.rawDataChecksum === undefined) head.writeUInt32LE(sqmChecksum(sectionBytes, sqmChecksum(area)), 116);
  return Buffer.concat([head, ext, data]);
}

function writeHeader(h: SqmHeader): Buffer {
  const w = new ByteWriter(120);
  w.u32(h.signature).u32(h.headerLength).u32(h.flags).u32(h.dataChecksum).u32(h.sectionCount).u32(h.dataLength);
  w.u32(h.applicationIdentifier).u32(h.applicationVersionHigh).u32(h.applicationVersionLow).u32(h.manifestVersion);
  w.u64(h.clientUploadTime).u64(h.reserved).u64(h.clientSessionStartTime).u64(h.clientSessionEndTime);
  w.bytes(guidFromString(h.clientUniqueIdentifier) ?? Buffer.alloc(16)).bytes(guidFromString(h.userUniqueIdentifier) ?? Buffer.alloc(16));
  w.u32(h.studyIdentifier).u32(h.internalFlags).u32(h.rawDataLength).u32(h.rawDataChecksum);
  return w.toBuffer();
}

/**
 * A whole upload for e2e tests: the path an SQM client POSTs to (MS-SQMCS 2.2.1) and the body.
 * @example const { path, body } = buildSqmUpload({ partner: 'windows' }); await post(path, body);
 */
export function buildSqmUpload(o: BuildOptions = {}): { path: string; body: Buffer } {
  return { path: `/sqm/${encodeURIComponent(o.partner ?? 'windows')}/sqmserver.dll`, body: buildSqmSession(o) };
}
