// The capture store on :memory: — group commit, ids, filters, waiters, reset, health after a failed commit.

import { Store, type CaptureRecord, type StoreHealth } from '.';
import { Checkpointer } from './health';
import { SESSION_CAPTURE, SessionQueries } from '../sessions/store';
import { requestRecord, sessionRow } from '../../test/helpers/capture-record';

const record = (over: Partial<CaptureRecord['request']> = {}, extra: Partial<CaptureRecord> = {}): CaptureRecord => ({
  request: requestRecord({ headers: [['Host', 'x']], partner: 'windows', ...over }),
  ...extra,
});

let store: Store;
let sessions: SessionQueries;
beforeEach(() => {
  store = Store.open(':memory:', { parts: [SESSION_CAPTURE] });
  sessions = new SessionQueries(store.db);
});
afterEach(() => store.close());

describe('clients (the conformance report)', () => {
  it("each client key once, in the order of its first request, with that request's protocol and the count", async () => {
    for (const [protocol, clientKey] of [
      ['sqm-v1', 'windows/{B}'],
      ['sqm-v2', 'office/{A}'],
      ['sqm-v1', 'windows/{B}'],
      ['unknown', null],
      ['cer', 'office/{A}'],
      ['sqm-v1', 'windows/{B}'],
    ] as const) {
      await store.capture(record({ protocol, clientKey }));
    }
    expect(store.queries.clients()).toEqual([
      { clientKey: 'windows/{B}', protocol: 'sqm-v1', requests: 3 },
      { clientKey: 'office/{A}', protocol: 'sqm-v2', requests: 2 },
    ]);
    expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'requests_client'").get()).toEqual({ n: 0 });
  });
});

describe('capture', () => {
  it('writes concurrent captures in one batch and resolves each with its own ids', async () => {
    const ids = await Promise.all([1, 2, 3].map((i) => store.capture(record({ path: `/p${i}` }))));
    expect(ids.map((x) => x.requestId)).toEqual([1, 2, 3]);
    expect(store.queries.requests().map((r) => r.path)).toEqual(['/p1', '/p2', '/p3']);
  });
  it('computes the body sha256 when the caller did not', async () => {
    const { requestId } = await store.capture(record());
    expect(store.queries.requests()[0].bodySha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(store.queries.requestBody(requestId)!.toString()).toBe('abc');
  });
  it('links sessions, sections and findings', async () => {
    const body = Buffer.alloc(200, 1);
    const { requestId, rowIds } = await store.capture(
      record(
        { body, bodySize: 200 },
        {
          rows: [sessionRow({ partner: 'windows', mid: '{AB}', bodyOffset: 10, bodyLength: 50 }, [{ type: 0, typeName: 'dword', offset: 0, length: 24, entries: 2 }])],
          findings: [
            { protocol: 'sqm-v1', level: 'error', rule: 'r.session', specRef: 'X 1', message: 'm', sessionIndex: 0 },
            { protocol: 'sqm-v1', level: 'info', rule: 'r.request', specRef: 'X 2', message: 'n' },
          ],
        },
      ),
    );
    const sessionIds = [rowIds['session:0']];
    const [s] = sessions.sessions({ partner: 'windows' });
    expect(s).toMatchObject({ id: sessionIds[0], requestId, mid: '{AB}', accepted: true });
    expect(s.sessionBytes.equals(body.subarray(10, 60))).toBe(true);
    expect(s.sections).toEqual([expect.objectContaining({ idx: 0, type: 0, entries: 2 })]);
    expect(store.queries.findings().map((f) => f.rule)).toEqual(['r.session']);
    expect(store.queries.findings({ levels: ['error', 'warning', 'info'] }).map((f) => [f.rule, f.sessionId])).toEqual([
      ['r.session', sessionIds[0]],
      ['r.request', null],
    ]);
    expect(store.queries.sessionFindings(sessionIds).get(sessionIds[0])).toHaveLength(1);
  });
  it('binds a row by position, and refuses one that lacks a parameter, naming the row and the parameter (nothing of it committed)', async () => {
    const { sections: _left, ...withoutSections } = sessionRow({ bodyOffset: 0, bodyLength: 3 }).params;
    const row = { stmt: 'sessions:session', key: 'session:0', params: withoutSections };
    await expect(store.capture(record({}, { rows: [row] }))).rejects.toThrow('capture row "sessions:session" has no value for @sections');
    expect(store.queries.requests()).toEqual([]);
    await store.capture(record({}, { rows: [sessionRow({ bodyOffset: 1, bodyLength: 2, partner: 'office' })] }));
    expect(sessions.sessions()).toMatchObject([{ partner: 'office', bodyOffset: 1 }]);
  });
});

describe('queries', () => {
  beforeEach(async () => {
    for (const [protocol, status] of [
      ['sqm-v1', 200],
      ['unknown', 404],
      ['sqm-v1', 400],
      ['sqm-v1', 200],
    ] as const) {
      await store.capture(record({ protocol, status }));
    }
  });
  const cases: [string, Parameters<Store['queries']['requests']>[0], number[]][] = [
    ['all, oldest first', {}, [1, 2, 3, 4]],
    ['by protocol', { protocol: 'sqm-v1' }, [1, 3, 4]],
    ['by status', { status: 200 }, [1, 4]],
    ['newest N, still oldest first', { limit: 2 }, [3, 4]],
    ['since an id', { sinceId: 2 }, [3, 4]],
    ['by method, any case', { method: 'post' }, [1, 2, 3, 4]],
  ];
  it.each(cases)('%s', (_name, filter, ids) => {
    expect(store.queries.requests(filter).map((r) => r.id)).toEqual(ids);
    expect(store.queries.countRequests(filter)).toBe(filter?.limit ? 4 : ids.length);
  });
});

describe('waiters and reset', () => {
  it('settles a wait on the commit that reaches the count', async () => {
    const wait = store.waiters.wait(() => (store.queries.countRequests() >= 2 ? store.queries.requests() : null), 2000);
    await store.capture(record());
    await store.capture(record());
    expect(await wait).toHaveLength(2);
  });
  it('settles with null at the deadline', async () => {
    expect(await store.waiters.wait(() => null, 20)).toBeNull();
  });
  it('reset empties every table', async () => {
    await store.capture(record({}, { rows: [sessionRow({ bodyOffset: 0, bodyLength: 3 })] }));
    await store.reset();
    expect(store.queries.countRequests()).toBe(0);
    expect(sessions.countSessions()).toBe(0);
  });
});

/** A capture whose row names a statement no part declares: its transaction fails and is rolled back (an injected commit failure). */
const failingRecord = () => record({ path: '/refused' }, { rows: [{ stmt: 'test:missing', params: {} }] });
const INJECTED = 'capture row for unknown statement "test:missing" (no capture part declares it)';

describe('health: the writer survives a failed commit (issue 13 item 1)', () => {
  let failing: Store;
  const changes: StoreHealth[] = [];
  beforeEach(() => {
    changes.length = 0;
    failing = Store.open(':memory:', { onHealth: (h) => changes.push(h) });
  });
  afterEach(() => failing.close());

  it('is degraded with the reason while commits fail, and ok again after the next commit', async () => {
    expect(failing.health).toEqual({ status: 'ok' });
    await expect(failing.capture(failingRecord())).rejects.toThrow(INJECTED);
    expect(failing.health).toEqual({
      status: 'degraded',
      reason: `captures cannot be committed: ${INJECTED}`,
      since: expect.any(String),
    });
    await expect(failing.capture(failingRecord())).rejects.toThrow();
    expect((await failing.capture(record({ path: '/after' }))).requestId).toBe(1);
    expect(failing.health).toEqual({ status: 'ok' });
    expect(failing.queries.requests().map((r) => r.path)).toEqual(['/after']);
    // Reported once when it began (not per failed capture) and once when it ended.
    expect(changes.map((h) => h.status)).toEqual(['degraded', 'ok']);
  });

  it('a closed connection: the capture fails, health says why, and the probe keeps it degraded', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      failing.db.close();
      await expect(failing.capture(record())).rejects.toThrow('The database connection is not open');
      jest.advanceTimersByTime(3000);
      expect(failing.health).toMatchObject({ status: 'degraded', reason: 'captures cannot be committed: The database connection is not open' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('the probe commit clears a commit problem once the store can commit, without waiting for an upload', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      await expect(failing.capture(failingRecord())).rejects.toThrow();
      expect(failing.health.status).toBe('degraded');
      jest.advanceTimersByTime(1000);
      await Promise.resolve();
      // The probe writes a page, not a request row: it succeeds, as it does once a full disk has room again.
      expect(failing.health).toEqual({ status: 'ok' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses a capture after close instead of leaving it pending', async () => {
    await failing.close();
    await expect(failing.capture(record())).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});

describe('Checkpointer: a failing WAL checkpoint is reported, never thrown, and retried', () => {
  it('reports the failure once, retries on each tick, and reports the recovery', () => {
    const reports: (string | null)[] = [];
    let fail: Error | null = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    let runs = 0;
    const c = new Checkpointer(
      () => {
        runs++;
        if (fail) throw fail;
      },
      (r) => reports.push(r),
    );
    c.tick();
    expect(runs).toBe(0); // nothing committed, nothing to checkpoint
    c.markDirty();
    expect(() => c.tick()).not.toThrow();
    c.tick();
    expect(reports).toEqual(['WAL checkpoint failed: SQLITE_FULL: database or disk is full']);
    fail = null;
    c.tick();
    c.tick();
    expect(runs).toBe(3);
    expect(reports).toEqual(['WAL checkpoint failed: SQLITE_FULL: database or disk is full', null]);
  });

  it('on a closed connection', () => {
    const db = Store.open(':memory:').db;
    db.close();
    const reports: (string | null)[] = [];
    const c = new Checkpointer(
      () => db.pragma('wal_checkpoint(PASSIVE)'),
      (r) => reports.push(r),
    );
    c.markDirty();
    expect(() => c.tick()).not.toThrow();
    expect(reports).toEqual(['WAL checkpoint failed: The database connection is not open']);
  });
});
