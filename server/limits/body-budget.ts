// A global budget for request-body bytes held in memory (issue 13 item 5). Bytes count from
// arrival until the request's capture is committed. Over the budget, readers are paused (their
// sockets stop being read, so clients are slowed, not refused), except the oldest still reading,
// so one request always makes progress; a new request waits for room, and gets a 503 with
// Retry-After (from the dispatcher) when none comes within the wait.

/** One request's share of the budget. */
export interface BudgetEntry {
  /** Counts `n` more bytes kept; false when the reader should pause (it is resumed by `onResume`). */
  add(n: number): boolean;
  /** Called when a paused reader may read again. */
  onResume(fn: () => void): void;
  /** The body has ended (or was cut): it no longer needs to make progress. */
  doneReading(): void;
  /** Gives every byte back (after the capture is committed). Idempotent. */
  release(): void;
}

interface Entry extends BudgetEntry {
  held: number;
  reading: boolean;
  paused: boolean;
  resume: () => void;
}

interface Waiter {
  admit: (e: BudgetEntry | null) => void;
  timer: NodeJS.Timeout;
}

export class BodyBudget {
  private used = 0;
  /** Entries in arrival order. */
  private readonly entries: Entry[] = [];
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly limitBytes: number,
    readonly waitMs: number,
    /** Told how many bytes each released entry gave back (start.ts: collect garbage after big bodies). */
    private readonly onRelease: (bytes: number) => void = () => undefined,
  ) {}

  /** Bytes held now (for tests and health). */
  get heldBytes(): number {
    return this.used;
  }

  /** An entry at once when there is room, else when room comes; null when none came within waitMs. */
  enter(): Promise<BudgetEntry | null> {
    if (this.used < this.limitBytes && this.waiting.length === 0) return Promise.resolve(this.newEntry());
    return new Promise((admit) => {
      const waiter: Waiter = {
        admit,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          admit(null);
        }, this.waitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private newEntry(): Entry {
    const e: Entry = {
      held: 0,
      reading: true,
      paused: false,
      resume: () => undefined,
      add: (n) => {
        e.held += n;
        this.used += n;
        if (this.used <= this.limitBytes || this.oldestReading() === e) return true;
        e.paused = true;
        return false;
      },
      onResume: (fn) => {
        e.resume = fn;
      },
      doneReading: () => {
        e.reading = false;
        e.paused = false;
        this.wake();
      },
      release: () => {
        const at = this.entries.indexOf(e);
        if (at < 0) return;
        this.entries.splice(at, 1);
        this.used -= e.held;
        this.onRelease(e.held);
        e.held = 0;
        this.wake();
      },
    };
    this.entries.push(e);
    return e;
  }

  private oldestReading(): Entry | undefined {
    return this.entries.find((e) => e.reading);
  }

  /** Resumes paused readers (the oldest always, the others while there is room), then admits waiters. */
  private wake(): void {
    const oldest = this.oldestReading();
    for (const e of this.entries) {
      if (!e.paused || (e !== oldest && this.used >= this.limitBytes)) continue;
      e.paused = false;
      e.resume();
    }
    while (this.waiting.length > 0 && this.used < this.limitBytes) {
      const w = this.waiting.shift()!;
      clearTimeout(w.timer);
      w.admit(this.newEntry());
    }
  }
}
