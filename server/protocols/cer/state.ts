// What CER remembers across requests (MS-CER2): buckets by signature, level-1 reports with the
// DumpFile they were issued, their level-2 cabinets. One interface; SQLite for the server, memory
// for unit tests (state.contract.test.ts runs the same cases against both).

import { StatementCache, Where, type CaptureRecord, type Db } from '../../store';

export interface CerBucketRow {
  bucket: number;
  bucketTable: number;
  eventType: string;
  signatureKey: string;
  hits: number;
}

export interface CerReportRow {
  id: number;
  requestId: number;
  receivedAt: string;
  accepted: boolean;
  eventType: string | null;
  reportType: string | null;
  bucket: number | null;
  bucketTable: number | null;
  signatureKey: string | null;
  report: Record<string, unknown>;
  instructions: Record<string, unknown>;
  dumpFile: string | null;
  /** The DumpFile's normalized form, for level-2 look-ups. */
  dumpKey: string | null;
  filesharePath: string | null;
  level2: { requestId: number; size: number; sha256: string; files: { name: string; size: number }[]; corrupt: boolean; filesharePath: string | null } | null;
}

/** Who a CER request authenticated as (cer_auth; `GET /__admin/cer/auth`). */
export interface CerAuthRow {
  requestId: number;
  scheme: string;
  user: string;
  domain: string;
  workstation: string | null;
  /** True: checked against cer.credentials; null: none were configured. */
  verified: boolean | null;
}

export interface CerReportFilter {
  eventType?: string;
  bucket?: number;
  requestId?: number;
  sinceId?: number;
  limit?: number;
}

const REPORT_SQL = `SELECT c.id AS id, c.request_id AS requestId, r.received_at AS receivedAt, c.accepted AS accepted, c.event_type AS eventType,
  c.report_type AS reportType, c.bucket AS bucket, c.bucket_table AS bucketTable, c.signature_key AS signatureKey, c.report AS report,
  c.instructions AS instructions, c.dump_file AS dumpFile, c.dump_key AS dumpKey, c.fileshare_path AS filesharePath,
  l.request_id AS l2RequestId, l.size AS l2Size, l.sha256 AS l2Sha256, l.files AS l2Files, l.corrupt AS l2Corrupt, l.fileshare_path AS l2Path
  FROM cer_reports c JOIN requests r ON r.id = c.request_id LEFT JOIN cer_level2 l ON l.report_id = c.id`;

type Raw = Omit<CerReportRow, 'report' | 'instructions' | 'level2' | 'accepted'> & {
  accepted: number;
  report: string;
  instructions: string;
  l2RequestId: number | null;
  l2Size: number;
  l2Sha256: string;
  l2Files: string;
  l2Corrupt: number;
  l2Path: string | null;
};

const toRow = (x: Raw): CerReportRow => ({
  id: x.id,
  requestId: x.requestId,
  receivedAt: x.receivedAt,
  accepted: Boolean(x.accepted),
  eventType: x.eventType,
  reportType: x.reportType,
  bucket: x.bucket,
  bucketTable: x.bucketTable,
  signatureKey: x.signatureKey,
  report: JSON.parse(x.report) as Record<string, unknown>,
  instructions: JSON.parse(x.instructions) as Record<string, unknown>,
  dumpFile: x.dumpFile,
  dumpKey: x.dumpKey,
  filesharePath: x.filesharePath,
  level2:
    x.l2RequestId === null
      ? null
      : { requestId: x.l2RequestId, size: x.l2Size, sha256: x.l2Sha256, files: JSON.parse(x.l2Files) as CabFile[], corrupt: Boolean(x.l2Corrupt), filesharePath: x.l2Path },
});

type CabFile = { name: string; size: number };

export interface CerState {
  bucketOf(signatureKey: string): { bucket: number; bucketTable: number } | undefined;
  maxBucket(): number;
  buckets(): CerBucketRow[];
  reports(f?: CerReportFilter): CerReportRow[];
  countReports(f?: CerReportFilter): number;
  report(id: number): CerReportRow | undefined;
  reportByDumpKey(dumpKey: string): CerReportRow | undefined;
  /** The level-2 cabinet's bytes (the PUT body). */
  level2Body(reportId: number): Buffer | undefined;
  /** Authenticated requests, oldest first (one request's with `requestId`). */
  auths(requestId?: number): CerAuthRow[];
}

const reportWhere = (f: CerReportFilter): Where =>
  new Where().add('c.event_type = ?', f.eventType).add('c.bucket = ?', f.bucket).add('c.request_id = ?', f.requestId).add('c.id > ?', f.sinceId);

export class SqliteCerState implements CerState {
  private readonly cache: StatementCache;

  constructor(private readonly db: Db) {
    this.cache = new StatementCache(db, 200);
  }

  private prepare(sql: string) {
    return this.cache.prepare(sql);
  }

  bucketOf(signatureKey: string): { bucket: number; bucketTable: number } | undefined {
    return this.prepare('SELECT bucket, bucket_table AS bucketTable FROM cer_buckets WHERE signature_key = ?').get(signatureKey) as
      { bucket: number; bucketTable: number } | undefined;
  }

  maxBucket(): number {
    return (this.prepare('SELECT coalesce(max(bucket), 0) AS m FROM cer_buckets').get() as { m: number }).m;
  }

  buckets(): CerBucketRow[] {
    return this.prepare(
      `SELECT bucket, bucket_table AS bucketTable, event_type AS eventType, signature_key AS signatureKey, hits
      FROM cer_buckets ORDER BY bucket`,
    ).all() as CerBucketRow[];
  }

  reports(f: CerReportFilter = {}): CerReportRow[] {
    const w = reportWhere(f);
    const limit = f.limit ? ` LIMIT ${Math.floor(f.limit)}` : '';
    const rows = this.prepare(`SELECT * FROM (${REPORT_SQL} ${w.sql} ORDER BY c.id DESC${limit}) ORDER BY id`).all(...w.params) as Raw[];
    return rows.map(toRow);
  }

  countReports(f: CerReportFilter = {}): number {
    const w = reportWhere(f);
    // The wait kind counts after every commit: count in SQL, without decoding every report.
    const n = (this.prepare(`SELECT count(*) AS n FROM cer_reports c ${w.sql}`).get(...w.params) as { n: number }).n;
    return f.limit ? Math.min(n, f.limit) : n;
  }

  report(id: number): CerReportRow | undefined {
    const row = this.prepare(`${REPORT_SQL} WHERE c.id = ?`).get(id) as Raw | undefined;
    return row ? toRow(row) : undefined;
  }

  reportByDumpKey(dumpKey: string): CerReportRow | undefined {
    const row = this.prepare(`${REPORT_SQL} WHERE c.dump_key = ?`).get(dumpKey) as Raw | undefined;
    return row ? toRow(row) : undefined;
  }

  /** The level-2 cabinet's bytes (the PUT body). */
  level2Body(reportId: number): Buffer | undefined {
    const row = this.prepare('SELECT stored_body(r.body, r.body_file) AS body FROM cer_level2 l JOIN requests r ON r.id = l.request_id WHERE l.report_id = ?').get(reportId) as
      { body: Buffer } | undefined;
    return row?.body;
  }

  auths(requestId?: number): CerAuthRow[] {
    const w = new Where().add('request_id = ?', requestId);
    const rows = this.prepare(`SELECT request_id AS requestId, scheme, user_name AS user, domain, workstation, verified FROM cer_auth ${w.sql} ORDER BY request_id`).all(
      ...w.params,
    ) as (Omit<CerAuthRow, 'verified'> & { verified: number | null })[];
    return rows.map((r) => ({ ...r, verified: r.verified === null ? null : r.verified === 1 }));
  }
}

/** The same answers from memory: `apply` takes what a capture would have committed (its cer rows). */
export class MemoryCerState implements CerState {
  private readonly bucketRows = new Map<string, CerBucketRow>();
  private readonly reportRows: CerReportRow[] = [];
  private readonly bodies = new Map<number, Buffer>();
  private readonly byDumpKey = new Map<string, CerReportRow>();
  private readonly authRows: CerAuthRow[] = [];

  apply(record: CaptureRecord, requestId: number): void {
    for (const row of record.rows ?? []) {
      const p = row.params as Record<string, never>;
      if (row.stmt === 'cer:bucket-hit') {
        const known = this.bucketRows.get(p.signatureKey);
        if (known) known.hits++;
        else this.bucketRows.set(p.signatureKey, { bucket: p.bucket, bucketTable: p.bucketTable, eventType: p.eventType, signatureKey: p.signatureKey, hits: 1 });
      } else if (row.stmt === 'cer:report') {
        const r = memoryReport(p, this.reportRows.length + 1, requestId, new Date(record.request.receivedAt).toISOString());
        this.reportRows.push(r);
        if (p.dumpKey) this.byDumpKey.set(p.dumpKey, r);
      } else if (row.stmt === 'cer:level2') {
        const r = this.reportRows.find((x) => x.id === Number(p.reportId));
        if (!r) continue;
        r.level2 = { requestId, size: p.size, sha256: p.sha256, files: JSON.parse(p.files) as CabFile[], corrupt: Boolean(p.corrupt), filesharePath: p.filesharePath };
        this.bodies.set(r.id, record.request.body);
      } else if (row.stmt === 'cer:auth') {
        this.authRows.push({ requestId, scheme: p.scheme, user: p.user, domain: p.domain, workstation: p.workstation, verified: p.verified === null ? null : p.verified === 1 });
      }
    }
  }
  bucketOf(k: string) {
    const b = this.bucketRows.get(k);
    return b && { bucket: b.bucket, bucketTable: b.bucketTable };
  }
  maxBucket(): number {
    return Math.max(0, ...[...this.bucketRows.values()].map((b) => b.bucket));
  }
  buckets(): CerBucketRow[] {
    return [...this.bucketRows.values()].map((b) => ({ ...b })).sort((a, b) => a.bucket - b.bucket);
  }
  reports(f: CerReportFilter = {}): CerReportRow[] {
    const all = this.reportRows.filter(
      (r) =>
        (f.eventType === undefined || r.eventType === f.eventType) &&
        (f.bucket === undefined || r.bucket === f.bucket) &&
        (f.requestId === undefined || r.requestId === f.requestId) &&
        (f.sinceId === undefined || r.id > f.sinceId),
    );
    return f.limit ? all.slice(-f.limit) : all;
  }
  countReports(f: CerReportFilter = {}): number {
    return this.reports(f).length;
  }
  report(id: number) {
    return this.reportRows.find((r) => r.id === id);
  }
  reportByDumpKey(k: string) {
    return this.byDumpKey.get(k);
  }
  level2Body(reportId: number) {
    return this.bodies.get(reportId);
  }
  auths(requestId?: number): CerAuthRow[] {
    return this.authRows.filter((a) => requestId === undefined || a.requestId === requestId);
  }
}

function memoryReport(p: Record<string, never>, id: number, requestId: number, receivedAt: string): CerReportRow {
  return {
    id,
    requestId,
    receivedAt,
    accepted: Boolean(p.accepted),
    eventType: p.eventType,
    reportType: p.reportType,
    bucket: p.bucket,
    bucketTable: p.bucketTable,
    signatureKey: p.signatureKey,
    report: JSON.parse(p.report) as Record<string, unknown>,
    instructions: JSON.parse(p.instructions) as Record<string, unknown>,
    dumpFile: p.dumpFile,
    dumpKey: p.dumpKey,
    filesharePath: p.filesharePath,
    level2: null,
  };
}
