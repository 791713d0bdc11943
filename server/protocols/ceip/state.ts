// What the CEIP redirect remembers (MS-CCEIP 3.1.7): which data was already forwarded with a
// success answer. SQLite reads the captured requests; memory keeps what `apply` was given.

import { StatementCache, type CaptureRecord, type Db } from '../../store';

export interface CeipState {
  /** The earlier CEIP upload with the same body that was answered 2xx, if any (its request id). */
  successBefore(bodySha256: string): number | undefined;
}

export class SqliteCeipState implements CeipState {
  private readonly cache: StatementCache;
  constructor(db: Db) {
    this.cache = new StatementCache(db, 4);
  }
  successBefore(sha: string): number | undefined {
    const row = this.cache.prepare(`SELECT id FROM requests WHERE protocol = 'ceip' AND status BETWEEN 200 AND 299 AND body_sha256 = ? ORDER BY id LIMIT 1`).get(sha) as
      { id: number } | undefined;
    return row?.id;
  }
}

export class MemoryCeipState implements CeipState {
  private readonly ok = new Map<string, number>();
  apply(record: CaptureRecord, requestId: number): void {
    const r = record.request;
    if (r.protocol === 'ceip' && r.status >= 200 && r.status <= 299 && !this.ok.has(r.bodySha256)) this.ok.set(r.bodySha256, requestId);
  }
  successBefore(sha: string): number | undefined {
    return this.ok.get(sha);
  }
}
