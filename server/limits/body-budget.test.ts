// The body budget as plain state: who may read, who pauses, who waits, and the oldest reader that
// always makes progress (so the budget can slow clients but never deadlock them).

import { BodyBudget, type BudgetEntry } from './body-budget';

/** An entry whose resumes are counted. */
async function entry(b: BodyBudget): Promise<BudgetEntry & { resumes: number }> {
  const e = (await b.enter()) as BudgetEntry & { resumes: number };
  e.resumes = 0;
  e.onResume(() => e.resumes++);
  return e;
}

describe('BodyBudget', () => {
  it('lets readers read while the bytes held stay within the limit', async () => {
    const b = new BodyBudget(100, 1000);
    const [x, y] = [await entry(b), await entry(b)];
    expect(x.add(50)).toBe(true);
    expect(y.add(50)).toBe(true);
    expect(b.heldBytes).toBe(100);
  });

  it('pauses all but the oldest reader once over; the oldest goes on to its end', async () => {
    const b = new BodyBudget(100, 1000);
    const [x, y] = [await entry(b), await entry(b)];
    expect(x.add(60)).toBe(true);
    expect(y.add(60)).toBe(false);
    // The oldest is never paused, however far over it goes.
    expect(x.add(500)).toBe(true);
    x.doneReading();
    // x no longer reads: y is the oldest reader now, so it resumes although the budget is still over.
    expect(y.resumes).toBe(1);
    expect(y.add(10)).toBe(true);
  });

  it('resumes paused readers when bytes are released', async () => {
    const b = new BodyBudget(100, 1000);
    const [x, y, z] = [await entry(b), await entry(b), await entry(b)];
    x.add(90);
    expect(y.add(20)).toBe(false);
    expect(z.add(20)).toBe(false);
    x.doneReading();
    expect([y.resumes, z.resumes]).toEqual([1, 0]);
    x.release();
    expect(b.heldBytes).toBe(40);
    expect(z.resumes).toBe(1);
    x.release(); // idempotent
    expect(b.heldBytes).toBe(40);
  });

  it('a new request waits while the budget is full and is admitted when room comes', async () => {
    const b = new BodyBudget(100, 1000);
    const x = await entry(b);
    x.add(100);
    let admitted: BudgetEntry | null | undefined;
    void b.enter().then((e) => (admitted = e));
    await new Promise((r) => setImmediate(r));
    expect(admitted).toBeUndefined();
    x.release();
    await new Promise((r) => setImmediate(r));
    expect(admitted).not.toBeNull();
    expect(admitted).toBeDefined();
  });

  it('a new request that finds no room within waitMs gets null (the dispatcher answers 503)', async () => {
    const b = new BodyBudget(100, 20);
    (await entry(b)).add(100);
    const started = Date.now();
    expect(await b.enter()).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('tells onRelease how many bytes each entry gave back', async () => {
    const released: number[] = [];
    const b = new BodyBudget(100, 20, (n) => released.push(n));
    const x = await entry(b);
    x.add(7);
    x.add(5);
    x.release();
    expect(released).toEqual([12]);
  });
});
