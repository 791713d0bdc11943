// The capture store: one object per server instance (no module singletons), built by start.ts
// with the capture parts of every protocol module. Reads run on the main thread; writes run in a
// worker thread for file stores (when running from dist/), else on the main thread. Either way a
// capture resolves only once committed. A failed commit makes the store `degraded` (health.ts)
// until a commit succeeds again; while degraded a one-page probe commit is tried every second.

import { CaptureWriter, clearTables, probeCommit } from './capture';
import { CHECKPOINT_EVERY_MS, Checkpointer, HealthTracker, describeStoreError, type StoreHealth, type StoreProblem } from './health';
import type { BodyFiles } from './body-files';
import { bodyFilesOf, openDb, removeOrphanBodies, type Db } from './open';
import { Queries } from './queries';
import type { CaptureIds, CapturePart, CaptureRecord } from './records';
import { Waiters } from './waiters';
import { WorkerWriter, workerScript } from './writer-client';

export * from './records';
export type * from './queries';
export { StatementCache, Where, tail, parseJson } from './statements';
export { migrationFiles } from './open';
export type { Db } from './open';
export { describeStoreError, type StoreHealth } from './health';

/** How often a degraded store tries a probe commit. */
const PROBE_EVERY_MS = 1000;

export type WriterMode = 'auto' | 'worker' | 'main';

export interface StoreOptions {
  /** Every module's capture part: its statements, tables and migrations. */
  parts?: readonly CapturePart[];
  mode?: WriterMode;
  /** Runs when the store becomes degraded, changes reason, or recovers (to log it). */
  onHealth?: (health: StoreHealth) => void;
}

export class Store {
  readonly queries: Queries;
  readonly waiters = new Waiters();
  private readonly local: CaptureWriter | null = null;
  private readonly worker: WorkerWriter | null = null;
  private readonly resetHooks: (() => void)[] = [];
  private readonly recordHooks: ((record: CaptureRecord) => void)[] = [];
  private readonly commitHooks: ((record: CaptureRecord, ids: CaptureIds) => void)[] = [];
  private closed = false;
  private readonly tracker: HealthTracker;
  private probeTimer: NodeJS.Timeout | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private readonly bodies: BodyFiles | null;

  private constructor(
    readonly db: Db,
    file: string,
    private readonly parts: readonly CapturePart[],
    opts: StoreOptions,
  ) {
    const mode = opts.mode ?? 'auto';
    this.tracker = new HealthTracker(opts.onHealth);
    this.queries = new Queries(db);
    this.bodies = bodyFilesOf(file);
    if (this.bodies) removeOrphanBodies(db, this.bodies);
    const script = workerScript();
    const useWorker = file !== ':memory:' && script !== undefined && mode !== 'main';
    if (useWorker) {
      // The worker checkpoints; this connection only reads from now on.
      db.pragma('wal_autocheckpoint = 0');
      this.worker = new WorkerWriter({ file, parts }, script, {
        onCommit: () => this.waiters.notify(),
        onProblem: (problem, reason) => this.problem(problem, reason),
      });
    } else {
      // A file store written here checkpoints here too (openDb turns SQLite's own off): without it
      // the WAL grows with every commit until close.
      const checkpoints =
        file === ':memory:'
          ? null
          : new Checkpointer(
              () => db.pragma('wal_checkpoint(PASSIVE)'),
              (reason) => this.problem('checkpoint', reason),
            );
      this.local = new CaptureWriter(
        db,
        parts,
        () => {
          checkpoints?.markDirty();
          this.waiters.notify();
        },
        this.bodies,
      );
      if (checkpoints) {
        this.checkpointTimer = setInterval(() => checkpoints.tick(), CHECKPOINT_EVERY_MS);
        this.checkpointTimer.unref();
      }
    }
  }

  static open(file: string, opts: StoreOptions = {}): Store {
    const parts = opts.parts ?? [];
    return new Store(openDb(file, parts), file, parts, opts);
  }

  /** `ok`, or `degraded` with the reason while captures cannot be committed (GET /__admin/health). */
  get health(): StoreHealth {
    return this.tracker.current;
  }

  private problem(problem: StoreProblem, reason: string | null): void {
    if (reason === null) this.tracker.clear(problem);
    else this.tracker.set(problem, reason);
    const probing = this.tracker.has('commit') && !this.closed;
    if (probing && !this.probeTimer) {
      this.probeTimer = setInterval(() => void this.probe(), PROBE_EVERY_MS);
      this.probeTimer.unref();
    } else if (!probing && this.probeTimer) {
      clearInterval(this.probeTimer);
      this.probeTimer = null;
    }
  }

  /** One probe commit: clears the commit problem when it succeeds. */
  private async probe(): Promise<void> {
    try {
      if (this.worker) await this.worker.probe();
      else probeCommit(this.db);
    } catch {
      return; // still failing: the problem keeps the reason of the last failed capture
    }
    if (!this.closed) this.problem('commit', null);
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
    if (this.closed) return Promise.reject(Object.assign(new Error('capture store closed'), { code: 'STORE_CLOSED' }));
    for (const hook of this.recordHooks) hook(record);
    const committed = this.worker ? this.worker.capture(record) : this.local!.capture(record);
    return committed.then(
      (ids) => {
        if (this.tracker.has('commit')) this.problem('commit', null);
        for (const hook of this.commitHooks) hook(record, ids);
        return ids;
      },
      (e: unknown) => {
        this.problem('commit', `captures cannot be committed: ${describeStoreError(e)}`);
        throw e;
      },
    );
  }

  /** Sees each record as it is handed to the writer, before it commits (a module's in-memory index). */
  onRecord(hook: (record: CaptureRecord) => void): void {
    this.recordHooks.push(hook);
  }

  /**
   * Sees each record once it is committed, with its ids, before its capture resolves (a module's
   * cache of what the tables hold). Its byte arrays may be gone to the writer thread: read the rest.
   */
  onCommitted(hook: (record: CaptureRecord, ids: CaptureIds) => void): void {
    this.commitHooks.push(hook);
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
      clearTables(this.db, this.parts, this.bodies);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    this.waiters.cancelAll();
    if (this.worker) await this.worker.close();
    else this.local!.flush();
    if (!this.db.open) return;
    try {
      if (this.db.name !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (e) {
      // Disk full: the WAL keeps the commits, and the next open checkpoints them.
      this.tracker.set('checkpoint', `WAL checkpoint at close failed: ${describeStoreError(e)}`);
    }
    this.db.close();
  }
}
