// Byte ranges of a decoded SQM v1 session (MS-SQMCS 2.2.4): header fields, sections and each data
// point or stream entry, for a viewer that links decoded fields to their bytes. Pure: from the
// decoded session, no bytes read again.

import { filetimeToIso } from '../../wire/filetime';
import { specName, u32Text, type ByteRange } from '../../wire/layout';
import { HEADER_FIELDS, sectionDataStart } from './header';
import type { SqmSection, SqmSession, StreamEntry, StringLayout } from './types';
import { SQM_HEADER_LENGTH } from './types';

const SIZE: Record<string, number> = { u32: 4, u64: 8, guid: 16 };
const FILETIMES = new Set(['clientUploadTime', 'clientSessionStartTime', 'clientSessionEndTime']);
const TYPE_NAMES: Record<string, string> = { dword: 'DWORD', qword: 'QWORD', string: 'STRING', stream: 'stream', raw: 'raw' };

export interface SessionLayoutOptions {
  /** Where the session starts in the request body (a v2 payload slice); default 0. */
  base?: number;
  /** Path prefix of every range, e.g. `sessions[1]`; default `session`. */
  prefix?: string;
  /** Data points and stream entries given a range of their own, in all (default 20,000); the rest are counted in `omitted`. */
  maxEntries?: number;
}

export interface SessionLayout {
  ranges: ByteRange[];
  /** Data points and stream entries past `maxEntries`, not listed. */
  omitted: number;
}

/**
 * The ranges of every decoded field of `session`, in wire order. Offsets are within the body (from
 * `base`); the sections of a compressed session lie in its decompressed data (`space: 'decompressed'`).
 * @example sqmSessionLayout(decodeSqmSession(capture, opts).value!).ranges.find((r) => r.label === 'StudyIdentifier') // start 104, end 108
 */
export function sqmSessionLayout(session: SqmSession, opts: SessionLayoutOptions = {}): SessionLayout {
  const base = opts.base ?? 0;
  const p = opts.prefix ?? 'session';
  const out: ByteRange[] = [{ path: `${p}.header`, label: 'Header', start: base, end: base + SQM_HEADER_LENGTH, depth: 0, value: 'MS-SQMCS 2.2.4.1' }];
  let at = base;
  for (const [name, kind] of HEADER_FIELDS) {
    const v = session.header[name];
    const iso = FILETIMES.has(name) ? filetimeToIso(BigInt(v)) : null;
    const value = typeof v === 'number' ? u32Text(v) : `${String(v)}${iso ? ` (${iso})` : ''}`;
    out.push({ path: `${p}.header.${name}`, label: specName(name), start: at, end: at + SIZE[kind], value, depth: 1 });
    at += SIZE[kind];
  }
  const dataStart = base + sectionDataStart(session.header.headerLength, session.header.headerLength + session.data.length);
  if (session.headerExtension) out.push({ path: `${p}.headerExtension`, label: 'Header extension', start: base + SQM_HEADER_LENGTH, end: dataStart, depth: 0 });
  const cabinet = session.compressed;
  if (cabinet) {
    const value = `${session.data.length} bytes; ${session.rawData.length} bytes decompressed`;
    out.push({ path: `${p}.data`, label: 'Section data (cabinet)', start: dataStart, end: dataStart + session.data.length, value, depth: 0 });
  }
  const sectionBase = cabinet ? 0 : dataStart;
  const budget = { left: opts.maxEntries ?? 20_000, omitted: 0 };
  session.sections.forEach((s, i) => sectionRanges(s, { path: `${p}.sections[${i}]`, index: i, base: sectionBase, cabinet, budget }, out));
  let end = sectionBase + (session.sections.length ? lastEnd(session.sections) : 0);
  for (const [key, label] of [
    ['undecoded', 'Undecoded section data'],
    ['trailing', 'Trailing bytes'],
  ] as const) {
    const bytes = session[key];
    if (bytes === undefined || bytes.length === 0) continue;
    out.push({ path: `${p}.${key}`, label, start: end, end: end + bytes.length, value: `${bytes.length} bytes`, depth: 0, ...(cabinet ? { space: 'decompressed' as const } : {}) });
    end += bytes.length;
  }
  return { ranges: out, omitted: budget.omitted };
}

const lastEnd = (sections: readonly SqmSection[]): number => {
  const s = sections[sections.length - 1];
  return s.offset + 8 + (s.typeName === 'raw' ? s.raw.length : s.length);
};

interface SectionAt {
  path: string;
  index: number;
  base: number;
  cabinet: boolean;
  budget: { left: number; omitted: number };
}

function sectionRanges(s: SqmSection, at: SectionAt, out: ByteRange[]): void {
  const space = at.cabinet ? { space: 'decompressed' as const } : {};
  const start = at.base + s.offset;
  const payloadBytes = s.typeName === 'raw' ? s.raw.length : s.length;
  const count = s.typeName === 'raw' ? 0 : s.typeName === 'stream' ? s.entries.length : s.datapoints.length;
  const what = s.typeName === 'raw' ? `kept raw (${s.reason})` : s.typeName === 'stream' ? `${count} entries` : `${count} data points`;
  const layout = s.typeName === 'string' || s.typeName === 'stream' ? `, ${s.layout} layout` : '';
  const label = `Section ${at.index} ${TYPE_NAMES[s.typeName]} (type 0x${s.type.toString(16).toUpperCase()})`;
  out.push({ path: at.path, label, start, end: start + 8 + payloadBytes, value: `${s.length} bytes, ${what}${layout}`, depth: 1, ...space });
  out.push({ path: `${at.path}.type`, label: 'SectionType', start, end: start + 4, value: u32Text(s.type), depth: 2, ...space });
  out.push({ path: `${at.path}.length`, label: 'SectionLength', start: start + 4, end: start + 8, value: String(s.length), depth: 2, ...space });
  let pos = start + 8;
  const emit = (path: string, label: string, size: number, value: string) => {
    if (at.budget.left > 0) {
      at.budget.left--;
      out.push({ path: `${at.path}.${path}`, label, start: pos, end: pos + size, value, depth: 2, ...space });
    } else at.budget.omitted++;
    pos += size;
  };
  switch (s.typeName) {
    case 'dword':
      s.datapoints.forEach((d, j) => emit(`datapoints[${j}]`, `DataPoint ${d.id}`, 12, `${d.value} (tick ${d.tickCount})`));
      break;
    case 'qword':
      s.datapoints.forEach((d, j) => emit(`datapoints[${j}]`, `DataPoint ${d.id}`, 16, `${d.value} (tick ${d.tickCount})`));
      break;
    case 'string':
      s.datapoints.forEach((d, j) => emit(`datapoints[${j}]`, `DataPoint ${d.id}`, 12 + stringBytes(d.stringLength, s.layout), `${JSON.stringify(d.value)} (tick ${d.tickCount})`));
      break;
    case 'stream': {
      const head = `StreamIdentifier ${u32Text(s.streamIdentifier)}, CountPerRecord ${s.countPerRecord}, CountRecords ${s.countRecords}`;
      out.push({ path: `${at.path}.streamHeader`, label: 'Stream header', start: pos, end: pos + 12, value: head, depth: 2, ...space });
      pos += 12;
      s.entries.forEach((e, j) => emit(`entries[${j}]`, `Entry ${j} (type 0x${e.entryType.toString(16)})`, entryBytes(e, s.layout), entryText(e)));
      break;
    }
    case 'raw':
      break;
  }
}

const stringBytes = (length: number, layout: StringLayout): number => length * 2 + (layout === 'windows' ? 4 : 0);

/** StreamEntryType + TickCount + the record (MS-SQMCS 2.2.4.4.2.3). */
function entryBytes(e: StreamEntry, layout: StringLayout): number {
  if (e.entryType === 0x0) return 12;
  if (e.entryType === 0x6) return 16;
  return 12 + stringBytes(e.stringLength, layout);
}

const entryText = (e: StreamEntry): string => `${e.entryType === 0x3 ? JSON.stringify(e.value) : String(e.value)} (tick ${e.tickCount})`;
