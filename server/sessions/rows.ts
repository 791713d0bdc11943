// Turns a decoded SQM session into the capture rows the session tables keep: where the session
// sits in the request body, the uncompressed data when compressed, and one summary row per section.

import type { SqmSection, SqmSession } from '../codecs/sqm-session/types';
import type { CaptureRow } from '../store';

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
}

/** The session row (keyed `session:<index>`) with its section rows as children. */
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
      rawData: s.compressed ? s.rawData : null,
      context: o.context === undefined ? null : JSON.stringify(o.context),
      sessionBytes: o.sessionBytes ?? null,
    },
    children: s.sections.map(sectionRow),
  };
}

function sectionRow(c: SqmSection, idx: number): CaptureRow {
  const base = { idx, type: c.type, typeName: c.typeName, offset: c.offset, length: c.length, layout: null, streamId: null, countPerRecord: null, countRecords: null };
  const params = (() => {
    switch (c.typeName) {
      case 'dword':
      case 'qword':
        return { ...base, entries: c.datapoints.length };
      case 'string':
        return { ...base, entries: c.datapoints.length, layout: c.layout };
      case 'stream':
        return { ...base, entries: c.entries.length, layout: c.layout, streamId: c.streamIdentifier, countPerRecord: c.countPerRecord, countRecords: c.countRecords };
      case 'raw':
        return { ...base, entries: 0 };
    }
  })();
  return { stmt: 'sessions:section', params };
}
