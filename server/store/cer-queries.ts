// Read side of the CER tables (MS-CER2): buckets, reports with their level-2 cabinets.

import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

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
  filesharePath: string | null;
  level2: { requestId: number; size: number; sha256: string; files: { name: string; size: number }[]; corrupt: boolean; filesharePath: string | null } | null;
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
  c.instructions AS instructions, c.dump_file AS dumpFile, c.fileshare_path AS filesharePath,
  l.request_id AS l2RequestId, l.size AS l2Size, l.sha256 AS l2Sha256, l.files AS l2Files, l.corrupt AS l2Corrupt, l.fileshare_path AS l2Path
  FROM cer_reports c JOIN requests r ON r.id = c.request_id LEFT JOIN cer_level2 l ON l.report_id = c.id`;

type Raw = Omit<CerReportRow, 'report' | 'instructions' | 'level2' | 'accepted'> & {
  accepted: number; report: string; instructions: string;
  l2RequestId: number | null; l2Size: number; l2Sha256: string; l2Files: string; l2Corrupt: number; l2Path: string | null;
};

const toRow = (x: Raw): CerReportRow => ({
  id: x.id, requestId: x.requestId, receivedAt: x.receivedAt, accepted: Boolean(x.accepted), eventType: x.eventType, reportType: x.reportType,
  bucket: x.bucket, bucketTable: x.bucketTable, signatureKey: x.signatureKey, report: JSON.parse(x.report), instructions: JSON.parse(x.instructions),
  dumpFile: x.dumpFile, filesharePath: x.filesharePath,
  level2: x.l2RequestId === null ? null : { requestId: x.l2RequestId, size: x.l2Size, sha256: x.l2Sha256, files: JSON.parse(x.l2Files), corrupt: Boolean(x.l2Corrupt), filesharePath: x.l2Path },
});

export class CerQueries {
  /** Prepared statements by SQL text, as in queries.ts (level 1 looks buckets up on every report). */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private prepare(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }

  bucketOf(signatureKey: string): { bucket: number; bucketTable: number } | undefined {
    return this.prepare('SELECT bucket, bucket_table AS bucketTable FROM cer_buckets WHERE signature_key = ?').get(signatureKey) as
      { bucket: number; bucketTable: number } | undefined;
  }

  maxBucket(): number {
    return (this.prepare('SELECT coalesce(max(bucket), 0) AS m FROM cer_buckets').get() as { m: number }).m;
  }

  buckets(): CerBucketRow[] {
    return this.prepare(`SELECT bucket, bucket_table AS bucketTable, event_type AS eventType, signature_key AS signatureKey, hits
      FROM cer_buckets ORDER BY bucket`).all() as CerBucketRow[];
  }

  reports(f: CerReportFilter = {}): CerReportRow[] {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (c: string, v: unknown) => { if (v !== undefined) { clauses.push(c); params.push(v); } };
    add('c.event_type = ?', f.eventType);
    add('c.bucket = ?', f.bucket);
    add('c.request_id = ?', f.requestId);
    add('c.id > ?', f.sinceId);
    const where = clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '';
    const limit = f.limit ? ` LIMIT ${Math.floor(f.limit)}` : '';
    const rows = this.prepare(`SELECT * FROM (${REPORT_SQL}${where} ORDER BY c.id DESC${limit}) ORDER BY id`).all(...params) as Raw[];
    return rows.map(toRow);
  }

  countReports(f: CerReportFilter = {}): number {
    return this.reports(f).length;
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
    const row = this.prepare('SELECT r.body AS body FROM cer_level2 l JOIN requests r ON r.id = l.request_id WHERE l.report_id = ?').get(reportId) as
      { body: Buffer } | undefined;
    return row?.body;
  }
}
