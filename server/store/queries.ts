// Read side of the capture store: the rows behind the admin API, with filters.
// Returns plain values; JSON shaping (bigints, GUIDs, decoded data points) happens in admin/.

import type { Db } from './open';
import { StatementCache, tail, Where } from './statements';
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
  clientKey: string | null;
  /** The request line's HTTP version ("1.1", "1.0"); null for requests stored before it was recorded. */
  httpVersion: string | null;
}
export interface RequestDetail extends RequestRow {
  headers: [string, string][];
  remoteAddress: string | null;
  responseHeaders: Record<string, string | string[]>;
  responseBody: Buffer | null;
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
  /** `request` (this request alone) or `conversation` (a rule an earlier answer set up). */
  kind: 'request' | 'conversation';
  relatedRequestId: number | null;
  clientKey: string | null;
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
  /** The newest `limit`. */
  limit?: number;
  /** Without `limit`: the oldest `first` (a page after `sinceId`). */
  first?: number;
}
export interface FindingFilter {
  requestId?: number;
  protocol?: string;
  rule?: string;
  kind?: 'request' | 'conversation';
  clientKey?: string;
  /** Defaults to error and warning (violations); `all` adds info findings. */
  levels?: FindingLevel[];
  sinceId?: number;
  /** The newest `limit`. */
  limit?: number;
  /** Without `limit`: the oldest `first` (a page after `sinceId`). */
  first?: number;
}

const REQUEST_COLUMNS = `id, received_at AS receivedAt, listener, protocol, method, path, status, body_size AS bodySize,
  body_sha256 AS bodySha256, body_truncated AS bodyTruncated, rule_name AS ruleName, partner, reason, duration_ms AS durationMs, fault, delay_ms AS delayMs, client_key AS clientKey,
  http_version AS httpVersion`;

export class Queries {
  private readonly cache: StatementCache;

  constructor(db: Db) {
    this.cache = new StatementCache(db);
  }

  private prepare(sql: string) {
    return this.cache.prepare(sql);
  }

  private requestWhere(f: RequestFilter): Where {
    const w = new Where();
    w.add('protocol = ?', f.protocol);
    w.add('method = ?', f.method?.toUpperCase());
    w.add('path = ?', f.path);
    w.add('status = ?', f.status);
    w.add('rule_name = ?', f.ruleName);
    w.add('id > ?', f.sinceId);
    w.add('received_at >= ?', f.sinceTime);
    return w;
  }

  requests(f: RequestFilter = {}): RequestRow[] {
    const w = this.requestWhere(f);
    const rows = this.prepare(tail(`SELECT ${REQUEST_COLUMNS} FROM requests ${w.sql}`, f.limit, f.first)).all(...w.params);
    return (rows as RequestRow[]).map((r) => ({ ...r, bodyTruncated: Boolean(r.bodyTruncated) }));
  }

  /** Every client key seen, with its first protocol and how many requests it sent (the conformance report). */
  clients(): { clientKey: string; protocol: string; requests: number }[] {
    // One pass, no index: with one min() in the query SQLite takes the bare `protocol` from the row
    // holding that min, the client's first request.
    return (
      this.prepare(
        `SELECT client_key AS clientKey, protocol, min(id) AS first, count(*) AS requests FROM requests
        WHERE client_key IS NOT NULL GROUP BY client_key ORDER BY first`,
      ).all() as { clientKey: string; protocol: string; first: number; requests: number }[]
    ).map(({ clientKey, protocol, requests }) => ({ clientKey, protocol, requests }));
  }

  countRequests(f: RequestFilter = {}): number {
    const w = this.requestWhere(f);
    return (this.prepare(`SELECT count(*) AS n FROM requests ${w.sql}`).get(...w.params) as { n: number }).n;
  }

  request(id: number): RequestDetail | undefined {
    const row = this.prepare(
      `SELECT ${REQUEST_COLUMNS}, headers, remote_address AS remoteAddress, response_headers AS responseHeaders,
        response_body AS responseBody FROM requests WHERE id = ?`,
    ).get(id) as (RequestRow & { headers: string; remoteAddress: string | null; responseHeaders: string; responseBody: Buffer | null }) | undefined;
    if (!row) return undefined;
    return {
      ...row,
      bodyTruncated: Boolean(row.bodyTruncated),
      headers: JSON.parse(row.headers) as [string, string][],
      responseHeaders: JSON.parse(row.responseHeaders) as Record<string, string | string[]>,
    };
  }

  requestBody(id: number): Buffer | undefined {
    const row = this.prepare('SELECT stored_body(body, body_file) AS body FROM requests WHERE id = ?').get(id) as { body: Buffer } | undefined;
    return row?.body;
  }

  private findingWhere(f: FindingFilter): Where {
    const w = new Where();
    w.add('request_id = ?', f.requestId);
    w.add('protocol = ?', f.protocol);
    w.add('rule = ?', f.rule);
    w.add('kind = ?', f.kind);
    w.add('client_key = ?', f.clientKey);
    w.add('id > ?', f.sinceId);
    // An empty list (only expectations were asked for) matches no finding.
    const levels = f.levels?.length === 0 ? ['none'] : (f.levels ?? ['error', 'warning']);
    w.clauses.push(`level IN (${levels.map(() => '?').join(', ')})`);
    w.params.push(...levels);
    return w;
  }

  findings(f: FindingFilter = {}): FindingRow[] {
    const w = this.findingWhere(f);
    const sql = `SELECT id, request_id AS requestId, session_id AS sessionId, protocol, level, rule, spec_ref AS specRef, message, offset,
      kind, related_request_id AS relatedRequestId, client_key AS clientKey
      FROM findings ${w.sql}`;
    return this.prepare(tail(sql, f.limit, f.first)).all(...w.params) as FindingRow[];
  }

  countFindings(f: FindingFilter = {}): number {
    const w = this.findingWhere(f);
    return (this.prepare(`SELECT count(*) AS n FROM findings ${w.sql}`).get(...w.params) as { n: number }).n;
  }

  /** Findings of the given sessions, grouped by session id. */
  sessionFindings(sessionIds: number[]): Map<number, FindingRow[]> {
    const out = new Map<number, FindingRow[]>();
    if (sessionIds.length === 0) return out;
    const rows = this.prepare(
      `SELECT id, request_id AS requestId, session_id AS sessionId, protocol, level, rule, spec_ref AS specRef, message, offset,
      kind, related_request_id AS relatedRequestId, client_key AS clientKey
        FROM findings WHERE session_id IN (${sessionIds.map(() => '?').join(',')}) ORDER BY id`,
    ).all(...sessionIds) as FindingRow[];
    for (const r of rows) out.set(r.sessionId!, [...(out.get(r.sessionId!) ?? []), r]);
    return out;
  }
}
