// Shapes CER reports for GET /__admin/cer/reports (INTERFACE.md section 4): the signature, the
// report's files, the bucket, the DumpFile issued and the level-2 cabinet when it came.

import type { CerReportFilter, CerReportRow, CerState } from './state';

interface ReportJson {
  parameters?: { id: string; name?: string; value: string }[];
  secondaryParameters?: { name: string; value: string }[];
  files?: { filename: string; filetype: string }[];
}

export function presentCerReport(row: CerReportRow) {
  const r = row.report as ReportJson;
  return {
    id: row.id,
    requestId: row.requestId,
    receivedAt: row.receivedAt,
    eventType: row.eventType,
    reportType: row.reportType,
    bucket: row.bucket,
    bucketTable: row.bucketTable,
    signature: {
      parameters: (r.parameters ?? []).map((p) => ({ id: Number(p.id), name: p.name ?? null, value: p.value })),
      secondaryParameters: r.secondaryParameters ?? [],
    },
    files: (r.files ?? []).map((f) => ({ filename: f.filename, filetype: Number(f.filetype) })),
    dumpFile: row.dumpFile,
    instructions: row.instructions,
    report: row.report,
    filesharePath: row.filesharePath,
    level2: row.level2,
  };
}

export const cerReportsJson = (state: CerState, f: CerReportFilter) => state.reports(f).map(presentCerReport);
