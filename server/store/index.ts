// The capture store: one object per server instance (no module singletons), built by start.ts
// with the capture parts of every protocol module. Reads run on the main thread; writes run in a
// worker thread for file stores (when running from dist/), else on the main thread. Either way a
// capture resolves only once committed.

import { CaptureWriter, clearTables } from './capture';
import { openDb, type Db } from './open';
import { Queries } from './queries';
import type { CaptureIds, CapturePart, CaptureRecord } from './records';
import { Waiters } from './waiters';
import { WorkerWriter, workerScript } from './writer-client';

export * from './records';
export type * from './queries';
export { StatementCache, Where, tail, parseJson } from './statements';
export { migrationFiles } from './open';
export type { Db } from './open';

export type WriterMode = 'auto' | 'worker' | 'main';

export interface StoreOptions {
  /** Every module's capture part: its statements, tables and migrations. */
  parts?: readonly CapturePart[];
  mode?: WriterMode;
}

export class Store {
  readonly queries: Queries;
  readonly waiters = new Waiters();
  private readonly local: CaptureWriter | null = null;
  private readonly worker: WorkerWriter | null = null;
  private readonly resetHooks: (() => void)[] = [];
  private readonly recordHooks: ((record: CaptureRecord) => void)[] = [];
  private closed = false;

  private constructor(
    readonly db: Db,
    file: string,
    private readonly parts: readonly CapturePart[],
    mode: WriterMode,
  ) {
    this.queries = new Queries(db);
    const script = workerScript();
    const useWorker = file !== ':memory:' && script !== undefined && mode !== 'main';
    if (useWorker) {
      // The worker checkpoints; this connection only reads from now on.
      db.pragma('wal_autocheckpoint = 0');
      this.worker = new WorkerWriter({ file, parts }, script, () => this.waiters.notify());
    } else {
      this.local = new CaptureWriter(db, parts, () => this.waiters.notify());
    }
  }

  static open(file: string, opts: StoreOptions = {}): Store {
    const parts = opts.parts ?? [];
    return new Store(openDb(file, parts), file, parts, opts.mode ?? 'auto');
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
    for (const hook of this.recordHooks) hook(record);
    return this.worker ? this.worker.capture(record) : this.local!.capture(record);
  }

  /** Sees each record as it is handed to the writer, before it commits (a module's in-memory index). */
  onRecord(hook: (record: CaptureRecord) => void): void {
    this.recordHooks.push(hook);
  }

  /** Runs on reset, before the tables are emptied (a module's in-memory state). */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  /** Empties every table (POST /__admin/reset). */
  async reset(): Promise<void> {
    for (const hook of this.resetHooks) hook();
    if (this.worker) await this.worker.reset();
    else {
      this.local!.flush();
      clearTables(this.db, this.parts);
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
