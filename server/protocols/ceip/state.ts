// What the CEIP redirect remembers (MS-CCEIP 3.1.7): which data was already forwarded with a
// success answer. SQLite reads the captured requests; memory keeps what `apply` was given.

import { StatementCache, type CaptureRecord, type Db } from '../../store';

export interface CeipState {
  /** True when an earlier CEIP upload with the same body was answered 2xx. */
  succeededBefore(bodySha256: string): boolean;
}

export class SqliteCeipState implements CeipState {
  private readonly cache: StatementCache;
  constructor(db: Db) {
    this.cache = new StatementCache(db, 4);
  }
  succeededBefore(sha: string): boolean {
    return this.cache.prepare(`SELECT 1 FROM requests WHERE protocol = 'ceip' AND status BETWEEN 200 AND 299 AND body_sha256 = ? LIMIT 1`).get(sha) !== undefined;
  }
}

export class MemoryCeipState implements CeipState {
  private readonly ok = new Set<string>();
  apply(record: CaptureRecord): void {
    const r = record.request;
    if (r.protocol === 'ceip' && r.status >= 200 && r.status <= 299) this.ok.add(r.bodySha256);
  }
  succeededBefore(sha: string): boolean {
    return this.ok.has(sha);
  }
}
