// Group commit: captures arriving in the same turn of the event loop are written in one
// transaction, and each caller's promise resolves only after that transaction has committed,
// so no answer is ever sent before its capture is durable. Module rows go through the
// statements their capture parts declare; the writer knows no protocol.

import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { BODY_FILE_MIN_BYTES, type BodyFiles } from './body-files';
import type { Db } from './open';
import type { CaptureIds, CapturePart, CaptureRecord, CaptureRow, Compaction } from './records';

interface Pending {
  record: CaptureRecord;
  resolve: (ids: CaptureIds) => void;
  reject: (e: unknown) => void;
}

/** The core's own tables, emptied last (everything else refers to requests). */
const CORE_TABLES = ['findings', 'requests'];

/** Every table of the parts and the core, children first. */
export const tablesToClear = (parts: readonly CapturePart[]): string[] => [...parts.flatMap((p) => p.tables ?? []), ...CORE_TABLES];

export class CaptureWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly insertRequest: Statement;
  private readonly insertFinding: Statement;
  private readonly statements = new Map<string, Positional>();
  private readonly compactions: Upkeep[];
  private readonly writeBatch;

  constructor(
    db: Db,
    parts: readonly CapturePart[],
    private readonly onCommit: () => void,
    /** Where large bodies go (file stores); null keeps every body inline. */
    private readonly bodies: BodyFiles | null = null,
  ) {
    this.insertRequest = db.prepare(
      `INSERT INTO requests (received_at, listener, protocol, method, path, headers, remote_address, body, body_size,
         body_truncated, body_sha256, status, response_headers, response_body, rule_name, partner, reason, duration_ms, fault, delay_ms, client_key, http_version, body_file)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertFinding = db.prepare(`INSERT INTO findings (request_id, session_id, protocol, level, rule, spec_ref, message, offset, kind, related_request_id, client_key)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const p of parts) for (const [name, sql] of Object.entries(p.statements ?? {})) this.statements.set(name, positional(db, sql));
    this.writeBatch = db.transaction((records: readonly CaptureRecord[]) => records.map((r) => this.writeOne(r)));
    this.compactions = parts.flatMap((p) => p.compactions ?? []).map((c) => this.upkeep(db, c));
    this.compact(true);
  }

  private upkeep(db: Db, c: Compaction): Upkeep {
    const counted = this.statements.get(c.stmt);
    if (!counted) throw new Error(`compaction after unknown statement "${c.stmt}" (no capture part declares it)`);
    const statements = c.sql.map((sql) => db.prepare(sql));
    const u: Upkeep = { everyRows: c.everyRows, written: 0, run: db.transaction(() => statements.forEach((st) => st.run())) };
    counted.upkeep = u;
    return u;
  }

  /**
   * Runs the compactions that are due (all of them with `all`: at open). Call it after the answers
   * of a commit have gone. One that fails (disk full) leaves its rows where they are, still read,
   * and is tried again when due again.
   */
  compact(all = false): void {
    for (const u of this.compactions) {
      if (!all && u.written < u.everyRows) continue;
      u.written = 0;
      try {
        u.run();
      } catch {
        // see above: nothing is lost, and the next commit says whether the store can write
      }
    }
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
      ids = this.writeAll(batch.map((p) => p.record));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => p.resolve(ids[i]));
    // After the promises' callbacks: those answers do not wait for it.
    if (this.compactions.some((u) => u.written >= u.everyRows)) setImmediate(() => this.compact());
  }

  /** Writes these records in one transaction, now; throws (and writes none) if it cannot commit. */
  writeAll(records: readonly CaptureRecord[]): CaptureIds[] {
    const ids = this.writeBatch(records);
    this.onCommit();
    return ids;
  }

  private writeOne(record: CaptureRecord): CaptureIds {
    const r = record.request;
    // Hashing here keeps it off the event loop when this writer runs in the worker thread.
    const bodySha256 = r.bodySha256 || sha256(r.body);
    let body: Buffer = r.body;
    let bodyFile: string | null = null;
    if (this.bodies && body.byteLength >= BODY_FILE_MIN_BYTES) {
      // Named by the stored bytes: a truncated body is not the whole body bodySha256 is of.
      bodyFile = r.bodyTruncated ? sha256(body) : bodySha256;
      this.bodies.put(bodyFile, body);
      body = EMPTY;
    }
    // Positional: binding 23 values by name would look each one up in an object built for it.
    const requestId = Number(
      this.insertRequest.run(
        new Date(r.receivedAt).toISOString(),
        r.listener,
        r.protocol,
        r.method,
        r.path,
        JSON.stringify(r.headers),
        r.remoteAddress ?? null,
        body,
        r.bodySize,
        r.bodyTruncated ? 1 : 0,
        bodySha256,
        r.status,
        JSON.stringify(r.responseHeaders),
        r.responseBody ?? null,
        r.ruleName ?? null,
        r.partner ?? null,
        r.reason ?? null,
        r.durationMs,
        r.fault ?? null,
        r.delayMs ?? 0,
        r.clientKey ?? null,
        r.httpVersion ?? null,
        bodyFile,
      ).lastInsertRowid,
    );
    const rowIds: Record<string, number> = {};
    for (const row of record.rows ?? []) this.writeRow(row, requestId, rowIds);
    for (const f of record.findings ?? []) {
      const sessionId = f.sessionIndex === undefined ? null : (rowIds[`session:${f.sessionIndex}`] ?? null);
      this.insertFinding.run(
        requestId,
        sessionId,
        f.protocol,
        f.level,
        f.rule,
        f.specRef,
        f.message,
        f.offset ?? null,
        f.kind ?? 'request',
        f.relatedRequestId ?? null,
        f.clientKey ?? null,
      );
    }
    return { requestId, rowIds };
  }

  private writeRow(row: CaptureRow, requestId: number, rowIds: Record<string, number>): void {
    const st = this.statements.get(row.stmt);
    if (!st) throw new Error(`capture row for unknown statement "${row.stmt}" (no capture part declares it)`);
    const { params } = row;
    const values = st.names.map((n) => {
      if (n === 'requestId') return requestId;
      const v = params[n];
      // Positional binding would store a missing value as NULL: say which row lacks it instead.
      if (v === undefined) throw new Error(`capture row "${row.stmt}" has no value for @${n}`);
      return v;
    });
    const id = Number(st.statement.run(values).lastInsertRowid);
    if (row.key) rowIds[row.key] = id;
    if (st.upkeep) st.upkeep.written++;
  }
}

/**
 * A module's statement with its `@name` parameters turned into `?`, and the names in their order:
 * binding by position is what makes a row cheap (better-sqlite3 looks each name up in the object).
 */
interface Positional {
  statement: Statement;
  names: string[];
  /** The compaction that counts this statement's rows. */
  upkeep?: Upkeep;
}

interface Upkeep {
  everyRows: number;
  /** Rows of its statement written since it last ran. */
  written: number;
  run: () => void;
}

function positional(db: Db, sql: string): Positional {
  const names: string[] = [];
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    names.push(name);
    return '?';
  });
  return { statement: db.prepare(text), names };
}

const EMPTY = Buffer.alloc(0);
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Empties every capture table and removes the body files (POST /__admin/reset). */
export function clearTables(db: Db, parts: readonly CapturePart[], bodies: BodyFiles | null = null): void {
  db.transaction(() => {
    for (const t of tablesToClear(parts)) db.prepare(`DELETE FROM ${t}`).run();
  })();
  bodies?.clear();
}

/**
 * Commits a write of one page (the header's user_version, set to what it is), so a store that
 * failed to commit (disk full) learns when it can again without waiting for the next upload.
 */
export function probeCommit(db: Db): void {
  const v = db.pragma('user_version', { simple: true }) as number;
  db.pragma(`user_version = ${v}`);
}
