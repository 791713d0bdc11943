// The SQM session table (sqm_sessions; db/migrations 001 and sessions/): the statement capture rows
// use, what reset empties, and the read side behind /__admin/sqm/sessions. Each row carries its
// sections' summaries as a JSON array (`sections`): one row per session is written, not one per
// section too (sessions/003).

import type { Db } from '../store';
import { migrationFiles, parseJson, StatementCache, tail, Where, type CapturePart } from '../store';

export const SESSION_CAPTURE: CapturePart = {
  statements: {
    'sessions:session': `INSERT INTO sqm_sessions (request_id, protocol_version, partner, accepted, mid, body_offset, body_length, raw_data, context, session_bytes, raw_data_omitted, sections)
      VALUES (@requestId, @protocolVersion, @partner, @accepted, @mid, @bodyOffset, @bodyLength, @rawData, @context, @sessionBytes, @rawDataOmitted, @sections)`,
  },
  tables: ['sqm_sessions'],
  migrations: migrationFiles('sessions', { '001-session-bytes.sql': 3 }),
};

export interface SectionRow {
  idx: number;
  type: number;
  typeName: string;
  offset: number;
  length: number;
  entries: number;
  layout: string | null;
  streamId: number | null;
  countPerRecord: number | null;
  countRecords: number | null;
}
export interface SessionRow {
  id: number;
  requestId: number;
  protocolVersion: number;
  partner: string | null;
  accepted: boolean;
  mid: string | null;
  receivedAt: string;
  /** The whole session as sent (header and section data, compressed or not). */
  sessionBytes: Buffer;
  /** Where the session starts in the request body; null when its bytes are not a slice of it (a compressed v2 payload). */
  bodyOffset: number | null;
  /** Uncompressed section data for compressed sessions, when it was stored (`--store-decompressed`, or a cabinet only the cabextract helper reads). */
  rawData: Buffer | null;
  /** True when the section data was decompressed and decoded on arrival but not stored: decompress `sessionBytes` again to read it. */
  rawDataOmitted: boolean;
  context: unknown;
  sections: SectionRow[];
}
export interface SessionFilter {
  partner?: string;
  mid?: string;
  protocol?: number;
  requestId?: number;
  sinceId?: number;
  /** The newest `limit`. */
  limit?: number;
  /** Without `limit`: the oldest `first` (a page after `sinceId`). */
  first?: number;
}

/** What the section rows say of a session's size, without decoding it. */
export interface SessionSize {
  sections: number;
  entries: number;
  sectionBytes: number;
}

/** A session row's `sections` JSON back to section rows (the fields left out are null). */
function sectionsOf(json: string, max?: number): SectionRow[] {
  const list = JSON.parse(json) as Partial<SectionRow>[];
  return (max === undefined ? list : list.slice(0, max)).map((c) => ({ layout: null, streamId: null, countPerRecord: null, countRecords: null, ...c }) as SectionRow);
}

export class SessionQueries {
  private readonly cache: StatementCache;

  constructor(db: Db) {
    this.cache = new StatementCache(db, 200);
  }

  private where(f: SessionFilter): Where {
    return new Where()
      .add('s.partner = ?', f.partner)
      .add('s.mid = ?', f.mid?.toUpperCase())
      .add('s.protocol_version = ?', f.protocol)
      .add('s.request_id = ?', f.requestId)
      .add('s.id > ?', f.sinceId);
  }

  sessions(f: SessionFilter = {}): SessionRow[] {
    return this.sessionsByIds(this.sessionIds(f));
  }

  /** Ids of the matching sessions, oldest first (`limit`: the newest; `first`: the oldest). */
  sessionIds(f: SessionFilter = {}): number[] {
    const w = this.where(f);
    return this.cache
      .prepare(tail(`SELECT s.id AS id FROM sqm_sessions s ${w.sql}`, f.limit, f.first))
      .pluck()
      .all(...w.params) as number[];
  }

  /** These sessions, oldest first; each with at most `maxSections` section rows (default: all; 0 when only the bytes are needed). */
  sessionsByIds(ids: readonly number[], maxSections?: number): SessionRow[] {
    if (ids.length === 0) return [];
    const sql = `SELECT s.id AS id, s.request_id AS requestId, s.protocol_version AS protocolVersion, s.partner AS partner,
      s.accepted AS accepted, s.mid AS mid, r.received_at AS receivedAt, coalesce(s.session_bytes, stored_body(r.body, r.body_file, s.body_offset, s.body_length)) AS sessionBytes,
      s.raw_data AS rawData, s.raw_data_omitted AS rawDataOmitted,
      CASE WHEN s.session_bytes IS NULL THEN s.body_offset END AS bodyOffset, s.context AS context, s.sections AS sections FROM sqm_sessions s JOIN requests r ON r.id = s.request_id
      WHERE s.id IN (${ids.map(() => '?').join(',')}) ORDER BY s.id`;
    const rows = this.cache.prepare(sql).all(...ids) as (Omit<SessionRow, 'sections'> & { context: string | null; sections: string })[];
    return rows.map((r) => ({
      ...r,
      accepted: Boolean(r.accepted),
      rawDataOmitted: Boolean(r.rawDataOmitted),
      context: parseJson(r.context),
      sections: sectionsOf(r.sections, maxSections),
    }));
  }

  /** Section count, entries read and section bytes of each session, from its section summaries (SQLite adds them up). */
  sizes(ids: readonly number[]): Map<number, SessionSize> {
    const out = new Map<number, SessionSize>();
    if (ids.length === 0) return out;
    const rows = this.cache
      .prepare(
        `SELECT s.id AS id, count(j.value) AS sections, coalesce(sum(j.value ->> 'entries'), 0) AS entries, coalesce(sum(j.value ->> 'length'), 0) AS sectionBytes
        FROM sqm_sessions s, json_each(s.sections) j WHERE s.id IN (${ids.map(() => '?').join(',')}) GROUP BY s.id`,
      )
      .all(...ids) as (SessionSize & { id: number })[];
    for (const { id, ...size } of rows) out.set(id, size);
    return out;
  }

  countSessions(f: SessionFilter = {}): number {
    const w = this.where(f);
    return (this.cache.prepare(`SELECT count(*) AS n FROM sqm_sessions s ${w.sql}`).get(...w.params) as { n: number }).n;
  }
}
