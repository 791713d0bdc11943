// Turns a decoded session into what the store keeps: where the session sits in the
// request body, the uncompressed data when compressed, and one summary row per section.

import type { SqmSection, SqmSession } from './types';

export interface SectionRecord {
  type: number;
  typeName: string;
  offset: number;
  length: number;
  entries: number;
  layout?: string;
  streamId?: number;
  countPerRecord?: number;
  countRecords?: number;
}

export interface SessionRecord {
  protocolVersion: number;
  partner?: string | null;
  accepted: boolean;
  mid?: string | null;
  bodyOffset: number;
  bodyLength: number;
  /** Uncompressed section data; only for compressed sessions. */
  rawData?: Buffer | null;
  /** The session's bytes when they are not a slice of the request body (v2 compressed payloads). */
  sessionBytes?: Buffer | null;
  context?: unknown;
  sections: SectionRecord[];
}

export interface SessionRecordOptions {
  protocolVersion: number;
  partner: string | null;
  accepted: boolean;
  bodyOffset: number;
  /** Session length in the body; defaults to header + data as received. */
  bodyLength?: number;
  context?: unknown;
}

export function sessionRecord(s: SqmSession, o: SessionRecordOptions): SessionRecord {
  return {
    protocolVersion: o.protocolVersion,
    partner: o.partner,
    accepted: o.accepted,
    mid: s.header.clientUniqueIdentifier,
    bodyOffset: o.bodyOffset,
    bodyLength: o.bodyLength ?? s.header.headerLength + s.data.length,
    rawData: s.compressed ? s.rawData : null,
    context: o.context,
    sections: s.sections.map(sectionRecord),
  };
}

function sectionRecord(c: SqmSection): SectionRecord {
  const base = { type: c.type, typeName: c.typeName, offset: c.offset, length: c.length };
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
}

