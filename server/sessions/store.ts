// The SQM session tables (sqm_sessions, sqm_sections; db/migrations 001 and sessions/): the
// statements capture rows use, what reset empties, and the read side behind /__admin/sqm/sessions.

import type { Db } from '../store';
import { migrationFiles, parseJson, StatementCache, tail, Where, type CapturePart } from '../store';

export const SESSION_CAPTURE: CapturePart = {
  statements: {
    'sessions:session': `INSERT INTO sqm_sessions (request_id, protocol_version, partner, accepted, mid, body_offset, body_length, raw_data, context, session_bytes)
      VALUES (@requestId, @protocolVersion, @partner, @accepted, @mid, @bodyOffset, @bodyLength, @rawData, @context, @sessionBytes)`,
    'sessions:section': `INSERT INTO sqm_sections (session_id, idx, type, type_name, offset, length, entries, layout, stream_id, count_per_record, count_records)
      VALUES (@parentId, @idx, @type, @typeName, @offset, @length, @entries, @layout, @streamId, @countPerRecord, @countRecords)`,
  },
  tables: ['sqm_sections', 'sqm_sessions'],
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
  /** Uncompressed section data for compressed sessions. */
  rawData: Buffer | null;
  context: unknown;
  sections: SectionRow[];
}
export interface SessionFilter {
  partner?: string;
  mid?: string;
  protocol?: number;
  requestId?: number;
  sinceId?: number;
  limit?: number;
}

const SECTIONS_SQL = `SELECT idx, type, type_name AS typeName, offset, length, entries, layout, stream_id AS streamId,
  count_per_record AS countPerRecord, count_records AS countRecords FROM sqm_sections WHERE session_id = ? ORDER BY idx`;

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
    const w = this.where(f);
    const sql = `SELECT s.id AS id, s.request_id AS requestId, s.protocol_version AS protocolVersion, s.partner AS partner,
      s.accepted AS accepted, s.mid AS mid, r.received_at AS receivedAt, coalesce(s.session_bytes, substr(r.body, s.body_offset + 1, s.body_length)) AS sessionBytes,
      s.raw_data AS rawData, s.context AS context FROM sqm_sessions s JOIN requests r ON r.id = s.request_id ${w.sql}`;
    const rows = this.cache.prepare(tail(sql, f.limit)).all(...w.params) as (SessionRow & { context: string | null })[];
    const sectionsOf = this.cache.prepare(SECTIONS_SQL);
    return rows.map((r) => ({
      ...r,
      accepted: Boolean(r.accepted),
      context: parseJson(r.context),
      sections: sectionsOf.all(r.id) as SectionRow[],
    }));
  }

  countSessions(f: SessionFilter = {}): number {
    const w = this.where(f);
    return (this.cache.prepare(`SELECT count(*) AS n FROM sqm_sessions s ${w.sql}`).get(...w.params) as { n: number }).n;
  }
}
