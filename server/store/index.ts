// The capture store: one object per server instance (no module singletons), built by start.ts.
// Reads run on the main thread; writes run in a worker thread for file stores (when running
// from dist/), else on the main thread. Either way a capture resolves only once committed.

import { CaptureWriter, clearTables } from './capture';
import { openDb, type Db } from './open';
import { CerQueries } from './cer-queries';
import { CerState } from './cer-state';
import { Queries } from './queries';
import type { CaptureIds, CaptureRecord } from './records';
import { Waiters } from './waiters';
import { WorkerWriter, workerScript } from './worker-writer';

export * from './records';
export type * from './queries';
export type * from './cer-queries';

export type WriterMode = 'auto' | 'worker' | 'main';

export class Store {
  readonly queries: Queries;
  readonly cer: CerQueries;
  readonly cerState: CerState;
  readonly waiters = new Waiters();
  private readonly local: CaptureWriter | null = null;
  private readonly worker: WorkerWriter | null = null;
  private closed = false;

  private constructor(readonly db: Db, file: string, mode: WriterMode) {
    this.queries = new Queries(db);
    this.cer = new CerQueries(db);
    this.cerState = new CerState(this.cer);
    const script = workerScript();
    const useWorker = file !== ':memory:' && script !== undefined && mode !== 'main';
    if (useWorker) {
      // The worker checkpoints; this connection only reads from now on.
      db.pragma('wal_autocheckpoint = 0');
      this.worker = new WorkerWriter(file, script, () => this.waiters.notify());
    } else {
      this.local = new CaptureWriter(db, () => this.waiters.notify());
    }
  }

  static open(file: string, mode: WriterMode = 'auto'): Store {
    return new Store(openDb(file), file, mode);
  }

  /** Where writes happen: `worker` (a thread of their own) or `main`. */
  get writerThread(): 'worker' | 'main' {
    return this.worker ? 'worker' : 'main';
  }

  /**
   * Resolves once the record is committed: only then may the answer be sent. The record's buffers
   * may be handed to the writer thread: do not use them after this call.
   */
  capture(record: CaptureRecord): Promise<CaptureIds> {
    return this.worker ? this.worker.capture(record) : this.local!.capture(record);
  }

  /** Empties every table (POST /__admin/reset). */
  async reset(): Promise<void> {
    this.cerState.reset();
    if (this.worker) await this.worker.reset();
    else {
      this.local!.flush();
      clearTables(this.db);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiters.cancelAll();
    if (this.worker) await this.worker.close();
    else this.local!.flush();
    if (this.db.open) {
      if (this.db.name !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}
