// Whether the capture store can commit (GET /__admin/health): each problem the writer meets (a
// failed commit, a failed WAL checkpoint, a writer thread that died) is kept until the same thing
// succeeds again, and the store is `degraded` while any is kept.

/** What went wrong, by what it stops: commits, WAL checkpoints, or the writer thread itself. */
export type StoreProblem = 'commit' | 'checkpoint' | 'writer';

export interface StoreHealth {
  status: 'ok' | 'degraded';
  /** While degraded: every kept problem, `; `-separated. */
  reason?: string;
  /** While degraded: when it began (ISO, real time). */
  since?: string;
}

/** `SQLITE_FULL: database or disk is full`, the SQLite code first when there is one. */
export function describeStoreError(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown } | null;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return typeof err?.code === 'string' && !message.startsWith(err.code) ? `${err.code}: ${message}` : message;
}

export class HealthTracker {
  private readonly problems = new Map<StoreProblem, string>();
  private since: Date | null = null;

  /** `onChange` runs when the set of problems (or a reason) changes, not on every repeat. */
  constructor(private readonly onChange: (health: StoreHealth) => void = () => {}) {}

  get degraded(): boolean {
    return this.problems.size > 0;
  }

  has(problem: StoreProblem): boolean {
    return this.problems.has(problem);
  }

  set(problem: StoreProblem, reason: string): void {
    if (this.problems.get(problem) === reason) return;
    this.since ??= new Date();
    this.problems.set(problem, reason);
    this.onChange(this.current);
  }

  clear(problem: StoreProblem): void {
    if (!this.problems.delete(problem)) return;
    if (this.problems.size === 0) this.since = null;
    this.onChange(this.current);
  }

  get current(): StoreHealth {
    if (!this.since) return { status: 'ok' };
    return { status: 'degraded', reason: [...this.problems.values()].join('; '), since: this.since.toISOString() };
  }
}

/** How often the writer (either thread) checkpoints the WAL after commits. */
export const CHECKPOINT_EVERY_MS = 500;

/**
 * Runs a WAL checkpoint on each tick after a commit. A failure (SQLITE_FULL when the disk is full)
 * is reported, never thrown (an uncaught one killed the writer thread for good), and the
 * checkpoint is tried again on the next tick until it succeeds.
 */
export class Checkpointer {
  private dirty = false;
  private failing: string | null = null;

  constructor(
    private readonly run: () => void,
    private readonly report: (reason: string | null) => void,
  ) {}

  markDirty(): void {
    this.dirty = true;
  }

  tick(): void {
    if (!this.dirty) return;
    try {
      this.run();
    } catch (e) {
      const reason = `WAL checkpoint failed: ${describeStoreError(e)}`;
      if (reason !== this.failing) this.report(reason);
      this.failing = reason;
      return;
    }
    this.dirty = false;
    if (this.failing !== null) this.report(null);
    this.failing = null;
  }
}
