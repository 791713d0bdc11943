// The mock's clock (INTERFACE.md section 5): real time plus an offset a test controls, so a 7-day
// throttle or a 4-day token can be checked in milliseconds. Everything the mock issues (FILETIMEs,
// token expiry, receipts, receivedAt) or judges (conversation windows) reads this clock.

export class Clock {
  private offsetMs = 0;

  /** @param real the real time source (tests pass a fixed one) */
  constructor(private readonly real: () => number = () => Date.now()) {}

  nowMs(): number {
    return this.real() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  /** Moves the clock forward (or back, for a negative number) by this many seconds. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Sets the clock to this instant; it runs on from there at real speed. */
  set(at: Date): void {
    this.offsetMs = at.getTime() - this.real();
  }

  /** Back to real time (POST /__admin/reset). */
  reset(): void {
    this.offsetMs = 0;
  }

  /** What GET /__admin/clock answers. */
  toJSON(): { now: string; offsetSeconds: number } {
    return { now: this.now().toISOString(), offsetSeconds: this.offsetSeconds };
  }
}
