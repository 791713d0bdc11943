// Waiters behind GET /__admin/wait: each holds a check that runs after every commit and
// settles as soon as it returns a value, or with null at its deadline.

interface Waiter {
  /** A value settles the wait; null means not yet. */
  check: () => unknown;
  settle: (v: unknown) => void;
  timer: NodeJS.Timeout;
}

export class Waiters {
  private readonly waiting = new Set<Waiter>();

  /** Resolves with the check's first non-null value, or null after timeoutMs. */
  wait<T>(check: () => T | null, timeoutMs: number): Promise<T | null> {
    const first = check();
    if (first !== null) return Promise.resolve(first);
    return new Promise((resolve) => {
      const w: Waiter = {
        check,
        settle: (v) => {
          clearTimeout(w.timer);
          this.waiting.delete(w);
          resolve(v as T | null);
        },
        timer: setTimeout(() => w.settle(null), timeoutMs),
      };
      this.waiting.add(w);
    });
  }

  /** Called after each commit. */
  notify(): void {
    for (const w of [...this.waiting]) {
      const v = w.check();
      if (v !== null) w.settle(v);
    }
  }

  /** Ends every wait (shutdown): each resolves with null. */
  cancelAll(): void {
    for (const w of [...this.waiting]) w.settle(null);
  }
}
