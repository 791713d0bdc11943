// Turns a decoded SQM session into the capture rows the session tables keep: where the session
// sits in the request body, the uncompressed data when compressed, and a summary of each section.

import { readCabinetDirectory } from '../cab';
import type { SqmSection, SqmSession } from '../codecs/sqm-session/types';
import type { CaptureRow } from '../store';
import type { SectionRow } from './store';

export interface SessionRowOptions {
  /** The session's place among the request's sessions: findings point at it by this index. */
  index: number;
  protocolVersion: number;
  partner: string | null;
  accepted: boolean;
  bodyOffset: number;
  /** Session length in the body; defaults to header + data as received. */
  bodyLength?: number;
  /** The session's bytes when they are not a slice of the request body (v2 compressed payloads). */
  sessionBytes?: Buffer;
  context?: unknown;
  /** Keep the decompressed section data of a compressed session (`--store-decompressed`). */
  storeDecompressed?: boolean;
}

/** Our own reader decompresses it again when the session is read (stored or MSZIP folder). */
function nativeCabinet(cab: Buffer): boolean {
  const dir = readCabinetDirectory(cab).value;
  const file = dir?.files[0];
  const compression = file ? dir.folders[file.folderIndex]?.compression : undefined;
  return compression === 'none' || compression === 'mszip';
}

/**
 * The decompressed section data is kept only when asked, or when reading it again would need the
 * cabextract helper (LZX, Quantum); otherwise it is decompressed again from the session bytes.
 */
function decompressedColumns(s: SqmSession, o: SessionRowOptions): { rawData: Buffer | null; rawDataOmitted: number } {
  if (!s.compressed) return { rawData: null, rawDataOmitted: 0 };
  const omit = s.rawData.length > 0 && o.storeDecompressed !== true && nativeCabinet(s.data);
  return omit ? { rawData: null, rawDataOmitted: 1 } : { rawData: s.rawData, rawDataOmitted: 0 };
}

/** The session row (keyed `session:<index>`), its sections summarised in it (JSON, see store.ts). */
export function sessionRow(s: SqmSession, o: SessionRowOptions): CaptureRow {
  return {
    stmt: 'sessions:session',
    key: `session:${o.index}`,
    params: {
      protocolVersion: o.protocolVersion,
      partner: o.partner,
      accepted: o.accepted ? 1 : 0,
      mid: s.header.clientUniqueIdentifier,
      bodyOffset: o.bodyOffset,
      bodyLength: o.bodyLength ?? s.header.headerLength + s.data.length,
      ...decompressedColumns(s, o),
      context: o.context === undefined ? null : JSON.stringify(o.context),
      sessionBytes: o.sessionBytes ?? null,
      sections: JSON.stringify(s.sections.map(sectionSummary)),
    },
  };
}

/** One element of the session row's `sections`: the SectionRow fields, those that are null left out. */
function sectionSummary(c: SqmSection, idx: number): Partial<SectionRow> {
  // Built field by field, not spread from a base: this runs for every section of every upload.
  const { type, typeName, offset, length } = c;
  switch (c.typeName) {
    case 'dword':
    case 'qword':
      return { idx, type, typeName, offset, length, entries: c.datapoints.length };
    case 'string':
      return { idx, type, typeName, offset, length, entries: c.datapoints.length, layout: c.layout };
    case 'stream':
      return {
        idx,
        type,
        typeName,
        offset,
        length,
        entries: c.entries.length,
        layout: c.layout,
        streamId: c.streamIdentifier,
        countPerRecord: c.countPerRecord,
        countRecords: c.countRecords,
      };
    case 'raw':
      return { idx, type, typeName, offset, length, entries: 0 };
  }
}
