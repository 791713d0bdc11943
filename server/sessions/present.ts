// Shapes stored SQM sessions for GET /__admin/sqm/sessions: the header with 64-bit fields as
// decimal strings and FILETIMEs also as ISO dates, and every section decoded to its data points
// by the same codec that checked the upload (from the bytes stored with the request). In lists, a
// large session is summarised from its section rows (not decoded); by id it is served whole.

import { extractCabinetFile } from '../cab';
import { decodeSqmHeader, decodeSqmSession } from '../codecs/sqm-session/codec';
import { FLAG_BITS, flagBits, flagNames, INTERNAL_FLAG_BITS, internalFlagNames } from '../codecs/sqm-session/names';
import { INTERNAL_FLAG_COMPRESSED, type SqmHeader, type SqmSection, type StreamEntry } from '../codecs/sqm-session/types';
import { LazyList } from '../core/query';
import type { FindingRow, Queries } from '../store';
import type { SessionQueries, SessionRow, SessionSize } from './store';
import { filetimeToIso } from '../wire/filetime';

/** Past any of these a session is summarised in lists (counts, no data points) and served whole only by id. */
export const SUMMARY_LIMITS = { sections: 1000, entries: 10_000, sectionBytes: 1024 * 1024 };
/** Sessions read from the store at a time while a list is written. */
const BATCH = 16;

const EMPTY = Buffer.alloc(0);

/** Sections as decoded on arrival: from the stored decompressed data, or decompressed again. */
export function decompressOf(row: SessionRow) {
  return (data: Buffer, maxBytes: number) => {
    if (row.rawData !== null) return { value: row.rawData, findings: [] };
    return row.rawDataOmitted ? extractCabinetFile(data, { maxBytes }) : { value: EMPTY, findings: [] };
  };
}

const presentFindings = (findings: FindingRow[]) => findings.map(({ level, rule, specRef, message, offset }) => ({ level, rule, specRef, message, offset }));

function base(row: SessionRow) {
  return { id: row.id, requestId: row.requestId, receivedAt: row.receivedAt, protocolVersion: row.protocolVersion, partner: row.partner, accepted: row.accepted };
}

/** The whole session, every section decoded. */
export function presentSession(row: SessionRow, findings: FindingRow[]) {
  const decoded = decodeSqmSession(row.sessionBytes, { maxRawBytes: Number.MAX_SAFE_INTEGER, decompress: decompressOf(row) });
  const s = decoded.value;
  return {
    ...base(row),
    compressed: s?.compressed ?? false,
    header: s ? presentHeader(s.header) : null,
    sections: s ? s.sections.map(presentSection) : [],
    ...(s?.undecoded ? { undecodedBytes: s.undecoded.length } : {}),
    findings: presentFindings(findings),
    ...(row.context ? { context: row.context } : {}),
  };
}

const isLarge = (z: SessionSize | undefined): boolean =>
  z !== undefined && (z.sections > SUMMARY_LIMITS.sections || z.entries > SUMMARY_LIMITS.entries || z.sectionBytes > SUMMARY_LIMITS.sectionBytes);

/** A large session in a list: header, section rows (the first SUMMARY_LIMITS.sections) and counts, `truncated: true`. */
export function summarizeSession(row: SessionRow, findings: FindingRow[], size: SessionSize) {
  const header = decodeSqmHeader(row.sessionBytes).value;
  return {
    ...base(row),
    compressed: header ? (header.internalFlags & INTERNAL_FLAG_COMPRESSED) !== 0 : false,
    header: header ? presentHeader(header) : null,
    sections: row.sections.map(({ idx, type, typeName, offset, length, entries, layout }) => ({
      index: idx,
      type,
      typeName,
      offset,
      length,
      entries,
      ...(layout ? { layout } : {}),
    })),
    truncated: true,
    summary: { ...size, limits: SUMMARY_LIMITS, whole: `/__admin/sqm/sessions/${row.id}` },
    findings: presentFindings(findings),
    ...(row.context ? { context: row.context } : {}),
  };
}

type Q = { sessions: SessionQueries; core: Queries };

/** These sessions as a list entry each, read and shaped a few at a time while the answer is written. */
export function sessionList(q: Q, ids: readonly number[]): LazyList {
  return new LazyList(ids.length, function* () {
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const sizes = q.sessions.sizes(batch);
      const findings = q.core.sessionFindings(batch);
      const large = batch.filter((id) => isLarge(sizes.get(id)));
      const rows = [
        ...q.sessions.sessionsByIds(large, SUMMARY_LIMITS.sections),
        ...q.sessions.sessionsByIds(
          batch.filter((id) => !large.includes(id)),
          0,
        ),
      ];
      rows.sort((a, b) => a.id - b.id);
      for (const row of rows) {
        const f = findings.get(row.id) ?? [];
        yield large.includes(row.id) ? summarizeSession(row, f, sizes.get(row.id)!) : presentSession(row, f);
      }
    }
  });
}

/** One session whole (GET /__admin/sqm/sessions/:id), or undefined. */
export function sessionById(q: Q, id: number) {
  const row = q.sessions.sessionsByIds([id], 0)[0];
  return row ? presentSession(row, q.core.sessionFindings([id]).get(id) ?? []) : undefined;
}

function presentHeader(h: SqmHeader) {
  return {
    ...h,
    clientUploadTimeIso: filetimeToIso(h.clientUploadTime),
    clientSessionStartTimeIso: filetimeToIso(h.clientSessionStartTime),
    clientSessionEndTimeIso: filetimeToIso(h.clientSessionEndTime),
    flagNames: flagNames(h.flags),
    internalFlagNames: internalFlagNames(h.internalFlags),
    // Each set bit with what the document and the Windows Embedded Compact SQM header call it.
    flagBits: flagBits(h.flags, FLAG_BITS),
    internalFlagBits: flagBits(h.internalFlags, INTERNAL_FLAG_BITS),
  };
}

function presentSection(c: SqmSection, index: number) {
  const base = { index, type: c.type, typeName: c.typeName, offset: c.offset, length: c.length };
  switch (c.typeName) {
    case 'dword':
    case 'qword':
      return { ...base, datapoints: c.datapoints };
    case 'string':
      return { ...base, layout: c.layout, datapoints: c.datapoints.map(({ id, value, tickCount, stringLength }) => ({ id, value, tickCount, stringLength })) };
    case 'stream':
      return {
        ...base,
        layout: c.layout,
        streams: [
          {
            streamIdentifier: c.streamIdentifier,
            countPerRecord: c.countPerRecord,
            countRecords: c.countRecords,
            entriesRead: c.entries.length,
            entries: c.entries.map(presentEntry),
          },
        ],
      };
    case 'raw':
      return { ...base, reason: c.reason, raw: c.raw.toString('hex') };
  }
}

const ENTRY_TYPE_NAMES: Record<number, string> = { 0: 'dword', 3: 'string', 6: 'qword' };
const presentEntry = (e: StreamEntry) => ({ entryType: e.entryType, entryTypeName: ENTRY_TYPE_NAMES[e.entryType], tickCount: e.tickCount, value: e.value });
