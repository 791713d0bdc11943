// Group commit: captures arriving in the same turn of the event loop are written in one
// transaction, and each caller's promise resolves only after that transaction has committed,
// so no answer is ever sent before its capture is durable.

import { createHash } from 'node:crypto';
import type { Db } from './open';
import type { CaptureIds, CaptureRecord } from './records';

interface Pending {
  record: CaptureRecord;
  resolve: (ids: CaptureIds) => void;
  reject: (e: unknown) => void;
}

export class CaptureWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly insertRequest;
  private readonly insertSession;
  private readonly insertSection;
  private readonly insertFinding;
  private readonly insertToken;
  private readonly insertTokenUse;
  private readonly cer;
  private readonly writeBatch;

  constructor(
    db: Db,
    private readonly onCommit: () => void,
  ) {
    this.insertRequest = db.prepare(
      `INSERT INTO requests (received_at, listener, protocol, method, path, headers, remote_address, body, body_size,
         body_truncated, body_sha256, status, response_headers, response_body, rule_name, partner, reason, duration_ms, fault, delay_ms)
       VALUES (@receivedAt, @listener, @protocol, @method, @path, @headers, @remoteAddress, @body, @bodySize,
         @bodyTruncated, @bodySha256, @status, @responseHeaders, @responseBody, @ruleName, @partner, @reason, @durationMs, @fault, @delayMs)`,
    );
    this.insertSession = db.prepare(
      `INSERT INTO sqm_sessions (request_id, protocol_version, partner, accepted, mid, body_offset, body_length, raw_data, context, session_bytes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertSection = db.prepare(
      `INSERT INTO sqm_sections (session_id, idx, type, type_name, offset, length, entries, layout, stream_id, count_per_record, count_records)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertFinding = db.prepare(
      `INSERT INTO findings (request_id, session_id, protocol, level, rule, spec_ref, message, offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertToken = db.prepare(
      `INSERT INTO sqm_tokens (token, request_id, namespace, mid, issued_at, expires_at, expires_filetime) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertTokenUse = db.prepare(`INSERT INTO sqm_token_uses (token, request_id, req_key, outcome) VALUES (?, ?, ?, ?)`);
    this.cer = {
      hit: db.prepare(`INSERT INTO cer_buckets (signature_key, bucket, bucket_table, event_type, hits) VALUES (?, ?, ?, ?, 1)
        ON CONFLICT (signature_key) DO UPDATE SET hits = hits + 1`),
      report: db.prepare(`INSERT INTO cer_reports (request_id, accepted, event_type, report_type, bucket, bucket_table, signature_key, report,
        instructions, dump_file, dump_key, fileshare_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      forward: db.prepare(`INSERT INTO forwards (request_id, url, method, request_headers, request_body, request_sha256, status, response_headers,
        response_body, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      level2: db.prepare(`INSERT INTO cer_level2 (report_id, request_id, size, sha256, files, corrupt, fileshare_path) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    };
    this.writeBatch = db.transaction((batch: Pending[]) => batch.map((p) => this.writeOne(p.record)));
  }

  /** Queues a capture; resolves with its ids once committed. */
  capture(record: CaptureRecord): Promise<CaptureIds> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything queued now, synchronously. */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let ids: CaptureIds[];
    try {
      ids = this.writeBatch(batch);
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => p.resolve(ids[i]));
    this.onCommit();
  }

  private writeOne(record: CaptureRecord): CaptureIds {
    const r = record.request;
    const requestId = Number(
      this.insertRequest.run({
        ...r,
        receivedAt: new Date(r.receivedAt).toISOString(),
        // Hashing here keeps it off the event loop when this writer runs in the worker thread.
        bodySha256: r.bodySha256 || createHash('sha256').update(r.body).digest('hex'),
        headers: JSON.stringify(r.headers),
        remoteAddress: r.remoteAddress ?? null,
        bodyTruncated: r.bodyTruncated ? 1 : 0,
        responseHeaders: JSON.stringify(r.responseHeaders),
        responseBody: r.responseBody ?? null,
        ruleName: r.ruleName ?? null,
        partner: r.partner ?? null,
        reason: r.reason ?? null,
        fault: r.fault ?? null,
        delayMs: r.delayMs ?? 0,
      }).lastInsertRowid,
    );
    const sessionIds = (record.sessions ?? []).map((s) => {
      const context = s.context === undefined ? null : JSON.stringify(s.context);
      const id = Number(
        this.insertSession.run(requestId, s.protocolVersion, s.partner ?? null, s.accepted ? 1 : 0, s.mid ?? null,
          s.bodyOffset, s.bodyLength, s.rawData ?? null, context, s.sessionBytes ?? null).lastInsertRowid,
      );
      s.sections.forEach((c, i) =>
        this.insertSection.run(id, i, c.type, c.typeName, c.offset, c.length, c.entries, c.layout ?? null,
          c.streamId ?? null, c.countPerRecord ?? null, c.countRecords ?? null),
      );
      return id;
    });
    for (const f of record.findings ?? []) {
      const sessionId = f.sessionIndex === undefined ? null : (sessionIds[f.sessionIndex] ?? null);
      this.insertFinding.run(requestId, sessionId, f.protocol, f.level, f.rule, f.specRef, f.message, f.offset ?? null);
    }
    for (const t of record.tokens ?? []) {
      this.insertToken.run(t.token, requestId, JSON.stringify(t.namespace), t.mid ?? null, new Date(t.issuedAt).toISOString(),
        new Date(t.expiresAt).toISOString(), String(t.expiresFiletime));
    }
    for (const u of record.tokenUses ?? []) this.insertTokenUse.run(u.token, requestId, u.reqKey, u.outcome);
    return { requestId, sessionIds, cerReportId: this.writeCer(record, requestId) };
  }

  private writeCer(record: CaptureRecord, requestId: number): number | undefined {
    const fw = record.forward;
    if (fw) {
      this.cer.forward.run(requestId, fw.url, fw.method, JSON.stringify(fw.requestHeaders), fw.requestBody, fw.requestSha256, fw.status,
        JSON.stringify(fw.responseHeaders), fw.responseBody, fw.error, fw.durationMs);
    }
    const h = record.bucketHit;
    if (h) this.cer.hit.run(h.signatureKey, h.bucket, h.bucketTable, h.eventType);
    const l2 = record.cerLevel2;
    if (l2) this.cer.level2.run(l2.reportId, requestId, l2.size, l2.sha256, JSON.stringify(l2.files), l2.corrupt ? 1 : 0, l2.filesharePath ?? null);
    const r = record.cerReport;
    if (!r) return undefined;
    return Number(this.cer.report.run(requestId, r.accepted ? 1 : 0, r.eventType ?? null, r.reportType ?? null, r.bucket ?? null, r.bucketTable ?? null,
      r.signatureKey ?? null, JSON.stringify(r.report), JSON.stringify(r.instructions), r.dumpFile ?? null, r.dumpKey ?? null, r.filesharePath ?? null).lastInsertRowid);
  }
}

/** Empties every capture table (POST /__admin/reset). */
export function clearTables(db: Db): void {
  db.transaction(() => {
    for (const t of ['forwards', 'cer_level2', 'cer_reports', 'cer_buckets', 'sqm_token_uses', 'sqm_tokens', 'findings', 'sqm_sections', 'sqm_sessions', 'requests']) db.prepare(`DELETE FROM ${t}`).run();
  })();
}
