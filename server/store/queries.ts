// Read side of the capture store: the rows behind the admin API, with filters.
// Returns plain values; JSON shaping (bigints, GUIDs, decoded data points) happens in admin/.

import type { Statement } from 'better-sqlite3';
import type { Db } from './open';
import type { FindingLevel } from '../wire/findings';

export interface RequestRow {
  id: number;
  receivedAt: string;
  listener: string;
  protocol: string;
  method: string;
  path: string;
  status: number;
  bodySize: number;
  bodySha256: string;
  bodyTruncated: boolean;
  ruleName: string | null;
  partner: string | null;
  reason: string | null;
  durationMs: number;
  fault: string | null;
  delayMs: number;
}
export interface RequestDetail extends RequestRow {
  headers: [string, string][];
  remoteAddress: string | null;
  responseHeaders: Record<string, string>;
  responseBody: Buffer | null;
}
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
export interface FindingRow {
  id: number;
  requestId: number;
  sessionId: number | null;
  protocol: string;
  level: FindingLevel;
  rule: string;
  specRef: string;
  message: string;
  offset: number | null;
}

export interface TokenRow {
  token: string;
  requestId: number;
  namespace: unknown;
  mid: string | null;
  issuedAt: string;
  expiresAt: string;
  expiresFiletime: string;
  usedBy: number[];
}

export interface RequestFilter {
  protocol?: string;
  method?: string;
  path?: string;
  status?: number;
  ruleName?: string;
  /** Only ids greater than this. */
  sinceId?: number;
  /** Only requests received at or after this ISO time. */
  sinceTime?: string;
  limit?: number;
}
export interface SessionFilter {
  partner?: string;
  mid?: string;
  protocol?: number;
  requestId?: number;
  sinceId?: number;
  limit?: number;
}
export interface FindingFilter {
  requestId?: number;
  protocol?: string;
  rule?: string;
  /** Defaults to error and warning (violations); `all` adds info findings. */
  levels?: FindingLevel[];
  sinceId?: number;
  limit?: number;
}

type Where = { clauses: string[]; params: unknown[] };
const where = (): Where => ({ clauses: [], params: [] });
function add(w: Where, clause: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  w.clauses.push(clause);
  w.params.push(value);
}
const sqlWhere = (w: Where): string => (w.clauses.length ? 'WHERE ' + w.clauses.join(' AND ') : '');
/** Newest `limit` rows, returned oldest first. */
const tail = (sql: string, limit?: number): string =>
  limit && limit > 0 ? `SELECT * FROM (${sql} ORDER BY id DESC LIMIT ${Math.floor(limit)}) ORDER BY id` : `${sql} ORDER BY id`;

const REQUEST_COLUMNS = `id, received_at AS receivedAt, listener, protocol, method, path, status, body_size AS bodySize,
  body_sha256 AS bodySha256, body_truncated AS bodyTruncated, rule_name AS ruleName, partner, reason, duration_ms AS durationMs, fault, delay_ms AS delayMs`;

export class Queries {
  /** Prepared statements by SQL text: preparing costs more than running a small query. */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private prepare(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      // Filters make many shapes of SQL; keep the cache bounded.
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }

  private requestWhere(f: RequestFilter): Where {
    const w = where();
    add(w, 'protocol = ?', f.protocol);
    add(w, 'method = ?', f.method?.toUpperCase());
    add(w, 'path = ?', f.path);
    add(w, 'status = ?', f.status);
    add(w, 'rule_name = ?', f.ruleName);
    add(w, 'id > ?', f.sinceId);
    add(w, 'received_at >= ?', f.sinceTime);
    return w;
  }

  requests(f: RequestFilter = {}): RequestRow[] {
    const w = this.requestWhere(f);
    const rows = this.prepare(tail(`SELECT ${REQUEST_COLUMNS} FROM requests ${sqlWhere(w)}`, f.limit)).all(...w.params);
    return (rows as RequestRow[]).map((r) => ({ ...r, bodyTruncated: Boolean(r.bodyTruncated) }));
  }

  countRequests(f: RequestFilter = {}): number {
    const w = this.requestWhere(f);
    return (this.prepare(`SELECT count(*) AS n FROM requests ${sqlWhere(w)}`).get(...w.params) as { n: number }).n;
  }

  request(id: number): RequestDetail | undefined {
    const row = this.prepare(`SELECT ${REQUEST_COLUMNS}, headers, remote_address AS remoteAddress, response_headers AS responseHeaders,
        response_body AS responseBody FROM requests WHERE id = ?`)
      .get(id) as (RequestRow & { headers: string; remoteAddress: string | null; responseHeaders: string; responseBody: Buffer | null }) | undefined;
    if (!row) return undefined;
    return { ...row, bodyTruncated: Boolean(row.bodyTruncated), headers: JSON.parse(row.headers), responseHeaders: JSON.parse(row.responseHeaders) };
  }

  requestBody(id: number): Buffer | undefined {
    const row = this.prepare('SELECT body FROM requests WHERE id = ?').get(id) as { body: Buffer } | undefined;
    return row?.body;
  }

  private sessionWhere(f: SessionFilter): Where {
    const w = where();
    add(w, 's.partner = ?', f.partner);
    add(w, 's.mid = ?', f.mid?.toUpperCase());
    add(w, 's.protocol_version = ?', f.protocol);
    add(w, 's.request_id = ?', f.requestId);
    add(w, 's.id > ?', f.sinceId);
    return w;
  }

  sessions(f: SessionFilter = {}): SessionRow[] {
    const w = this.sessionWhere(f);
    const sql = `SELECT s.id AS id, s.request_id AS requestId, s.protocol_version AS protocolVersion, s.partner AS partner,
      s.accepted AS accepted, s.mid AS mid, r.received_at AS receivedAt, coalesce(s.session_bytes, substr(r.body, s.body_offset + 1, s.body_length)) AS sessionBytes,
      s.raw_data AS rawData, s.context AS context FROM sqm_sessions s JOIN requests r ON r.id = s.request_id ${sqlWhere(w)}`;
    const rows = this.prepare(tail(sql, f.limit)).all(...w.params) as (SessionRow & { context: string | null })[];
    const sectionsOf = this.prepare(
      `SELECT idx, type, type_name AS typeName, offset, length, entries, layout, stream_id AS streamId,
        count_per_record AS countPerRecord, count_records AS countRecords FROM sqm_sections WHERE session_id = ? ORDER BY idx`,
    );
    return rows.map((r) => ({
      ...r,
      accepted: Boolean(r.accepted),
      context: r.context ? JSON.parse(r.context) : null,
      sections: sectionsOf.all(r.id) as SectionRow[],
    }));
  }

  countSessions(f: SessionFilter = {}): number {
    const w = this.sessionWhere(f);
    return (this.prepare(`SELECT count(*) AS n FROM sqm_sessions s ${sqlWhere(w)}`).get(...w.params) as { n: number }).n;
  }

  private findingWhere(f: FindingFilter): Where {
    const w = where();
    add(w, 'request_id = ?', f.requestId);
    add(w, 'protocol = ?', f.protocol);
    add(w, 'rule = ?', f.rule);
    add(w, 'id > ?', f.sinceId);
    const levels = f.levels ?? ['error', 'warning'];
    w.clauses.push(`level IN (${levels.map(() => '?').join(', ')})`);
    w.params.push(...levels);
    return w;
  }

  findings(f: FindingFilter = {}): FindingRow[] {
    const w = this.findingWhere(f);
    const sql = `SELECT id, request_id AS requestId, session_id AS sessionId, protocol, level, rule, spec_ref AS specRef, message, offset
      FROM findings ${sqlWhere(w)}`;
    return this.prepare(tail(sql, f.limit)).all(...w.params) as FindingRow[];
  }

  countFindings(f: FindingFilter = {}): number {
    const w = this.findingWhere(f);
    return (this.prepare(`SELECT count(*) AS n FROM findings ${sqlWhere(w)}`).get(...w.params) as { n: number }).n;
  }

  /** Findings of the given sessions, grouped by session id. */
  sessionFindings(sessionIds: number[]): Map<number, FindingRow[]> {
    const out = new Map<number, FindingRow[]>();
    if (sessionIds.length === 0) return out;
    const rows = this.prepare(`SELECT id, request_id AS requestId, session_id AS sessionId, protocol, level, rule, spec_ref AS specRef, message, offset
        FROM findings WHERE session_id IN (${sessionIds.map(() => '?').join(',')}) ORDER BY id`)
      .all(...sessionIds) as FindingRow[];
    for (const r of rows) out.set(r.sessionId!, [...(out.get(r.sessionId!) ?? []), r]);
    return out;
  }

  /** One token, or undefined when it was never issued (or the store was reset). */
  token(token: string): TokenRow | undefined {
    const row = this.prepare(`SELECT token, request_id AS requestId, namespace, mid, issued_at AS issuedAt, expires_at AS expiresAt,
        expires_filetime AS expiresFiletime FROM sqm_tokens WHERE token = ?`)
      .get(token) as (Omit<TokenRow, 'usedBy' | 'namespace'> & { namespace: string }) | undefined;
    if (!row) return undefined;
    const uses = this.prepare('SELECT DISTINCT request_id AS id FROM sqm_token_uses WHERE token = ? ORDER BY request_id').all(token) as { id: number }[];
    return { ...row, namespace: JSON.parse(row.namespace), usedBy: uses.map((u) => u.id) };
  }

  tokens(): TokenRow[] {
    const rows = this.prepare('SELECT token FROM sqm_tokens ORDER BY rowid').all() as { token: string }[];
    return rows.map((r) => this.token(r.token)!);
  }

  /** The upstream leg of a forwarded request, if it was forwarded. */
  forward(requestId: number): Record<string, unknown> | undefined {
    const row = this.prepare(`SELECT url, method, request_headers AS requestHeaders, request_body AS requestBody, request_sha256 AS requestSha256,
      status, response_headers AS responseHeaders, response_body AS responseBody, error, duration_ms AS durationMs FROM forwards WHERE request_id = ?`)
      .get(requestId) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return { ...row, requestHeaders: JSON.parse(row.requestHeaders as string), responseHeaders: row.responseHeaders ? JSON.parse(row.responseHeaders as string) : null };
  }

  /** True when an earlier request of `protocol` with the same body was answered 2xx (MS-CCEIP 3.1.7). */
  succeededBefore(protocol: string, bodySha256: string): boolean {
    return this.prepare(`SELECT 1 FROM requests WHERE protocol = ? AND status BETWEEN 200 AND 299 AND body_sha256 = ? LIMIT 1`).get(protocol, bodySha256) !== undefined;
  }
}
