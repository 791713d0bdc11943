// The capture store: one object per server instance (no module singletons), built by start.ts.

import { CaptureWriter } from './capture';
import { openDb, type Db } from './open';
import { Queries } from './queries';
import type { CaptureIds, CaptureRecord } from './records';
import { Waiters } from './waiters';

export * from './records';
export type * from './queries';

export class Store {
  readonly queries: Queries;
  readonly waiters = new Waiters();
  private readonly writer: CaptureWriter;
  private closed = false;

  private constructor(readonly db: Db) {
    this.queries = new Queries(db);
    this.writer = new CaptureWriter(db, () => this.waiters.notify());
  }

  static open(file: string): Store {
    return new Store(openDb(file));
  }

  /** Resolves once the record is committed: only then may the answer be sent. */
  capture(record: CaptureRecord): Promise<CaptureIds> {
    return this.writer.capture(record);
  }

  /** Empties every table (POST /__admin/reset). */
  reset(): void {
    this.writer.flush();
    this.db.transaction(() => {
      for (const t of ['findings', 'sqm_sections', 'sqm_sessions', 'requests']) this.db.prepare(`DELETE FROM ${t}`).run();
    })();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.writer.flush();
    this.waiters.cancelAll();
    if (this.db.open) {
      if (this.db.name !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}
