// The CER tables (db/migrations/cer): buckets by signature, level-1 reports with the answer's
// instructions, level-2 cabinets — the statements of their capture rows and the rows.

import { migrationFiles, type CapturePart, type CaptureRow } from '../../store';

export const CER_CAPTURE: CapturePart = {
  statements: {
    'cer:bucket-hit': `INSERT INTO cer_buckets (signature_key, bucket, bucket_table, event_type, hits) VALUES (@signatureKey, @bucket, @bucketTable, @eventType, 1)
      ON CONFLICT (signature_key) DO UPDATE SET hits = hits + 1`,
    'cer:report': `INSERT INTO cer_reports (request_id, accepted, event_type, report_type, bucket, bucket_table, signature_key, report, instructions,
      dump_file, dump_key, fileshare_path) VALUES (@requestId, @accepted, @eventType, @reportType, @bucket, @bucketTable, @signatureKey, @report,
      @instructions, @dumpFile, @dumpKey, @filesharePath)`,
    'cer:level2': `INSERT INTO cer_level2 (report_id, request_id, size, sha256, files, corrupt, fileshare_path)
      VALUES (@reportId, @requestId, @size, @sha256, @files, @corrupt, @filesharePath)`,
    'cer:auth': `INSERT INTO cer_auth (request_id, scheme, user_name, domain, workstation, verified)
      VALUES (@requestId, @scheme, @user, @domain, @workstation, @verified)`,
  },
  tables: ['cer_auth', 'cer_level2', 'cer_reports', 'cer_buckets'],
  migrations: migrationFiles('cer', { '001-cer.sql': 4 }),
};

export const bucketHitRow = (h: { signatureKey: string; bucket: number; bucketTable: number; eventType: string }): CaptureRow => ({
  stmt: 'cer:bucket-hit',
  params: { ...h },
});

export interface CerReportInput {
  accepted: boolean;
  eventType: string | null;
  reportType: string | null;
  bucket: number | null;
  bucketTable: number | null;
  signatureKey: string | null;
  report: unknown;
  instructions: unknown;
  dumpFile: string | null;
  dumpKey: string | null;
  filesharePath: string | null;
}

export const reportRow = (r: CerReportInput): CaptureRow => ({
  stmt: 'cer:report',
  params: { ...r, accepted: r.accepted ? 1 : 0, report: JSON.stringify(r.report), instructions: JSON.stringify(r.instructions) },
});

export const level2Row = (l: {
  reportId: number;
  size: number;
  sha256: string;
  files: { name: string; size: number }[];
  corrupt: boolean;
  filesharePath: string | null;
}): CaptureRow => ({
  stmt: 'cer:level2',
  params: { ...l, files: JSON.stringify(l.files), corrupt: l.corrupt ? 1 : 0 },
});
