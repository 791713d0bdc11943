// Shapes stored SQM sessions for GET /__admin/sqm/sessions: the header with 64-bit fields as
// decimal strings and FILETIMEs also as ISO dates, and every section decoded to its data points
// by the same codec that checked the upload (from the bytes stored with the request).

import { decodeSqmSession } from '../codecs/sqm-session/codec';
import { FLAG_BITS, flagBits, flagNames, INTERNAL_FLAG_BITS, internalFlagNames } from '../codecs/sqm-session/names';
import type { SqmHeader, SqmSection, StreamEntry } from '../codecs/sqm-session/types';
import type { FindingRow, Queries } from '../store';
import type { SessionFilter, SessionQueries, SessionRow } from './store';
import { filetimeToIso } from '../wire/filetime';

export function presentSession(row: SessionRow, findings: FindingRow[]) {
  const decoded = decodeSqmSession(row.sessionBytes, {
    maxRawBytes: Number.MAX_SAFE_INTEGER,
    // Compressed sessions were decompressed on arrival; the store kept the result.
    decompress: () => ({ value: row.rawData, findings: [] }),
  });
  const s = decoded.value;
  return {
    id: row.id,
    requestId: row.requestId,
    receivedAt: row.receivedAt,
    protocolVersion: row.protocolVersion,
    partner: row.partner,
    accepted: row.accepted,
    compressed: s?.compressed ?? false,
    header: s ? presentHeader(s.header) : null,
    sections: s ? s.sections.map(presentSection) : [],
    findings: findings.map(({ level, rule, specRef, message, offset }) => ({ level, rule, specRef, message, offset })),
    ...(row.context ? { context: row.context } : {}),
  };
}

/** Sessions matching the filter, decoded, with their findings. */
export function sessionsJson(q: { sessions: SessionQueries; core: Queries }, f: SessionFilter) {
  const rows = q.sessions.sessions(f);
  const findings = q.core.sessionFindings(rows.map((s) => s.id));
  return rows.map((row) => presentSession(row, findings.get(row.id) ?? []));
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
