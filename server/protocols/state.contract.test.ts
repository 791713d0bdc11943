// One contract suite per protocol state, run against both implementations (as mountebank does for
// its repositories): the SQLite state over a real store, fed by captures; the memory state, fed by
// the same capture records through apply().

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store, type CaptureRecord } from '../store';
import { conversationOf, MemoryConversation, seenRow, setupRow, type ConversationState } from '../conversation';
import { CONVERSATION_CAPTURE } from '../conversation/rows';
import { MemoryCeipState, SqliteCeipState, type CeipState } from './ceip/state';
import { bucketHitRow, CER_CAPTURE, level2Row, reportRow } from './cer/store';
import { MemoryCerState, SqliteCerState, type CerState } from './cer/state';
import { MemoryTokenState, SqliteTokenState, type TokenState } from './sqm-v2/state';
import { TOKEN_CAPTURE, tokenRow, tokenUseRow } from './sqm-v2/store';

const request = (over: Partial<CaptureRecord['request']> = {}): CaptureRecord['request'] => ({
  receivedAt: new Date('2026-01-01T00:00:00Z'),
  listener: 'main',
  protocol: 'x',
  method: 'POST',
  path: '/',
  headers: [],
  body: Buffer.from('cab'),
  bodySize: 3,
  bodyTruncated: false,
  bodySha256: 'sha-a',
  status: 200,
  responseHeaders: {},
  durationMs: 1,
  ...over,
});

/** A state and how to feed it a capture, for one implementation. */
type Harness<S> = { state: S; feed(record: CaptureRecord): Promise<void>; close(): Promise<void> };

/** The SQLite state over a real store; `cold`: made anew at each look, so every answer is read from the tables (as after a restart). */
function sqlite<S>(make: (store: Store) => S, cold = false): () => Harness<S> {
  return () => {
    const store = Store.open(':memory:', { parts: [TOKEN_CAPTURE, CER_CAPTURE, CONVERSATION_CAPTURE] });
    const made = make(store);
    return {
      get state() {
        return cold ? make(store) : made;
      },
      feed: async (r) => void (await store.capture(r)),
      close: () => store.close(),
    };
  };
}
function memory<S extends { apply(r: CaptureRecord, id: number): void }>(make: () => S): () => Harness<S> {
  return () => {
    const state = make();
    let id = 0;
    return { state, feed: (r) => Promise.resolve(state.apply(r, ++id)), close: () => Promise.resolve() };
  };
}

describe.each([
  ['sqlite (its cache, fed by the commits)', sqlite<TokenState>((s) => new SqliteTokenState(s))],
  ['sqlite (read from the tables)', sqlite<TokenState>((s) => new SqliteTokenState(s), true)],
  ['memory', memory(() => new MemoryTokenState())],
])('TokenState (%s)', (_name, make) => {
  let h: Harness<TokenState>;
  beforeEach(() => (h = make()));
  afterEach(() => h.close());
  const issue = { token: '3.abc.def', namespace: { ptr: 'windows' }, mid: '{M}', issuedAt: new Date(0), expiresAt: new Date(1000), expiresFiletime: 1n };
  it('knows an issued token and the requests that used it', async () => {
    await h.feed({ request: request(), rows: [tokenRow(issue)] });
    await h.feed({ request: request(), rows: [tokenUseRow('3.abc.def', '1', 'receipt')] });
    expect(h.state.token('3.abc.def')).toMatchObject({ requestId: 1, namespace: { ptr: 'windows' }, mid: '{M}', expiresAt: '1970-01-01T00:00:01.000Z', usedBy: [2] });
    expect(h.state.tokens().map((t) => t.token)).toEqual(['3.abc.def']);
  });
  it('follows each use as it is captured, read or not in between: uses, receipts, a second token', async () => {
    await h.feed({ request: request(), rows: [tokenRow(issue)] });
    expect(h.state.token('3.abc.def')).toMatchObject({ requestId: 1, usedBy: [], receipts: [] });
    await h.feed({ request: request(), rows: [tokenUseRow('3.abc.def', '1', 'error')] });
    expect(h.state.token('3.abc.def')).toMatchObject({ usedBy: [2], receipts: [] });
    await h.feed({ request: request(), rows: [tokenUseRow('3.abc.def', '1', 'receipt'), tokenUseRow('3.abc.def', '2', 'receipt'), tokenRow({ ...issue, token: '3.second.x' })] });
    expect(h.state.token('3.abc.def')).toMatchObject({ usedBy: [2, 3], receipts: [3] });
    expect(h.state.token('3.second.x')).toMatchObject({ requestId: 3, usedBy: [] });
    expect(h.state.tokens().map((t) => [t.token, t.usedBy])).toEqual([
      ['3.abc.def', [2, 3]],
      ['3.second.x', []],
    ]);
  });
  it('knows nothing of a token never issued', () => {
    expect(h.state.token('3.nope')).toBeUndefined();
    expect(h.state.tokens()).toEqual([]);
  });
});

describe.each([
  ['sqlite', sqlite<CerState>((s) => new SqliteCerState(s.db))],
  ['memory', memory(() => new MemoryCerState())],
])('CerState (%s)', (_name, make) => {
  let h: Harness<CerState>;
  beforeEach(() => (h = make()));
  afterEach(() => h.close());
  const report = {
    accepted: true,
    eventType: 'APPCRASH',
    reportType: '2',
    bucket: 100,
    bucketTable: 10,
    signatureKey: 'sig',
    report: { files: [] },
    instructions: { iData: 1 },
    dumpFile: '\\PersistedCabs\\x.cab',
    dumpKey: 'persistedcabs/x.cab',
    filesharePath: null,
  };
  it('keeps buckets by signature, counting hits', async () => {
    const hit = bucketHitRow({ signatureKey: 'sig', bucket: 100, bucketTable: 10, eventType: 'APPCRASH' });
    await h.feed({ request: request(), rows: [hit] });
    await h.feed({ request: request(), rows: [hit] });
    expect(h.state.bucketOf('sig')).toEqual({ bucket: 100, bucketTable: 10 });
    expect(h.state.maxBucket()).toBe(100);
    expect(h.state.buckets()).toEqual([{ bucket: 100, bucketTable: 10, eventType: 'APPCRASH', signatureKey: 'sig', hits: 2 }]);
    expect(h.state.bucketOf('other')).toBeUndefined();
  });
  it('finds a report by its DumpFile key, with its level-2 cabinet once it came', async () => {
    await h.feed({ request: request(), rows: [reportRow(report)] });
    const r = h.state.reportByDumpKey('persistedcabs/x.cab')!;
    expect(r).toMatchObject({ id: 1, requestId: 1, eventType: 'APPCRASH', bucket: 100, level2: null });
    await h.feed({
      request: request({ body: Buffer.from('CAB!') }),
      rows: [level2Row({ reportId: r.id, size: 4, sha256: 's', files: [{ name: 'a', size: 1 }], corrupt: false, filesharePath: null })],
    });
    expect(h.state.report(r.id)?.level2).toMatchObject({ requestId: 2, size: 4, files: [{ name: 'a', size: 1 }], corrupt: false });
    expect(h.state.level2Body(r.id)?.toString()).toBe('CAB!');
    expect(h.state.reports({ eventType: 'APPCRASH' })).toHaveLength(1);
    expect(h.state.countReports({ eventType: 'BEX' })).toBe(0);
    expect(h.state.reportByDumpKey('persistedcabs/other.cab')).toBeUndefined();
  });
});

describe.each([
  ['sqlite', sqlite<CeipState>((s) => new SqliteCeipState(s.db))],
  ['memory', memory(() => new MemoryCeipState())],
])('CeipState (%s)', (_name, make) => {
  let h: Harness<CeipState>;
  beforeEach(() => (h = make()));
  afterEach(() => h.close());
  it('remembers CEIP data answered with success only (MS-CCEIP 3.1.7)', async () => {
    await h.feed({ request: request({ protocol: 'ceip', bodySha256: 'ok', status: 200 }) });
    await h.feed({ request: request({ protocol: 'ceip', bodySha256: 'failed', status: 502 }) });
    await h.feed({ request: request({ protocol: 'cer', bodySha256: 'other', status: 200 }) });
    expect([h.state.successBefore('ok'), h.state.successBefore('failed'), h.state.successBefore('other')]).toEqual([1, undefined, undefined]);
  });
});

describe.each([
  ['sqlite', sqlite<ConversationState>((s) => conversationOf(s))],
  ['memory', memory(() => new MemoryConversation())],
])('ConversationState: seen digests, the latest setup of a client (%s)', (_name, make) => {
  let h: Harness<ConversationState>;
  beforeEach(() => (h = make()));
  afterEach(() => h.close());
  it('finds the first request accepted with a digest, and nothing for another digest', async () => {
    const d = '01'.repeat(20);
    await h.feed({ request: request(), rows: [seenRow(d, new Date('2026-01-02T00:00:00Z'))] });
    await h.feed({ request: request(), rows: [seenRow(d, new Date('2026-01-03T00:00:00Z'))] });
    expect(h.state.seen('01'.repeat(20))).toEqual({ requestId: 1, at: '2026-01-02T00:00:00.000Z' });
    expect(h.state.seen('02'.repeat(20))).toBeUndefined();
  });
  const accepted = (clientKey: string, manifestVersion: number) =>
    setupRow({ clientKey, protocol: 'sqm-v2', kind: 'accepted', at: new Date('2026-01-02T00:00:00Z'), data: { manifestVersion } });
  it('the latest setup is the newest of its kind for that client, asked again after each capture', async () => {
    const latest = () => h.state.setups({ kind: 'accepted', clientKey: 'A', last: true }).map((x) => x.data.manifestVersion);
    expect(latest()).toEqual([]);
    await h.feed({ request: request(), rows: [accepted('A', 1)] });
    expect(latest()).toEqual([1]);
    await h.feed({ request: request(), rows: [accepted('B', 5)] });
    expect(latest()).toEqual([1]);
    await h.feed({ request: request(), rows: [accepted('A', 2)] });
    expect(latest()).toEqual([2]);
    expect(h.state.setups({ kind: 'accepted', clientKey: 'B', last: true }).map((x) => x.requestId)).toEqual([2]);
  });
});

describe('SqliteConversation seen digests, remembered in memory', () => {
  it('a digest found once is answered again after its row is gone behind its back, and forgotten by reset', async () => {
    const store = Store.open(':memory:', { parts: [CONVERSATION_CAPTURE] });
    try {
      const state = conversationOf(store);
      const d = '07'.repeat(20);
      await store.capture({ request: request(), rows: [seenRow(d, new Date('2026-01-02T00:00:00Z'))] });
      expect(state.seen(d)).toEqual({ requestId: 1, at: '2026-01-02T00:00:00.000Z' });
      // Only reset removes rows; deleting one by hand shows the second answer came from memory.
      store.db.prepare('DELETE FROM conversation_seen_recent').run();
      expect(state.seen(d)).toEqual({ requestId: 1, at: '2026-01-02T00:00:00.000Z' });
      await store.reset();
      expect(state.seen(d)).toBeUndefined();
      await store.capture({ request: request(), rows: [seenRow(d, new Date('2026-01-05T00:00:00Z'))] });
      expect(state.seen(d)?.at).toBe('2026-01-05T00:00:00.000Z');
    } finally {
      await store.close();
    }
  });
});

describe('seen digests appended, then moved into the indexed table by the compaction', () => {
  // The conversation part with a compaction every 3 seen rows instead of thousands.
  const part = { ...CONVERSATION_CAPTURE, compactions: CONVERSATION_CAPTURE.compactions!.map((c) => ({ ...c, everyRows: 3 })) };
  const count = (store: Store, table: string) => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
  const digest = (n: number) => n.toString(16).padStart(40, '0');
  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const tick = () => new Promise((r) => setImmediate(r));

  it('finds a digest in either table, keeps the first request of a digest across the move, and after a reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seen-'));
    const file = path.join(dir, 'store.sqlite');
    let store = Store.open(file, { parts: [part] });
    try {
      let state = conversationOf(store);
      for (const n of [1, 2]) await store.capture({ request: request(), rows: [seenRow(digest(n), at(n))] });
      await tick();
      expect([count(store, 'conversation_seen_recent'), count(store, 'conversation_seen')]).toEqual([2, 0]);
      expect(state.seen(digest(2))).toEqual({ requestId: 2, at: at(2).toISOString() });
      // The third row makes the compaction due: it runs once that commit's captures have resolved.
      await store.capture({ request: request(), rows: [seenRow(digest(3), at(3))] });
      await tick();
      expect([count(store, 'conversation_seen_recent'), count(store, 'conversation_seen')]).toEqual([0, 3]);
      // Digest 1 again (as a race of two uploads would write it), then 4: the first stays the one found.
      for (const [n, day] of [
        [1, 4],
        [4, 5],
      ])
        await store.capture({ request: request(), rows: [seenRow(digest(n), at(day))] });
      expect(state.seen(digest(1))).toEqual({ requestId: 1, at: at(1).toISOString() });
      expect(state.seen(digest(4))).toEqual({ requestId: 5, at: at(5).toISOString() });
      await store.close();

      store = Store.open(file, { parts: [part] });
      state = conversationOf(store);
      // Opening runs every compaction: what was appended is in the index now.
      expect([count(store, 'conversation_seen_recent'), count(store, 'conversation_seen')]).toEqual([0, 4]);
      expect([1, 2, 3, 4].map((n) => state.seen(digest(n))?.requestId)).toEqual([1, 2, 3, 5]);
      expect(state.seen(digest(9))).toBeUndefined();
      await store.reset();
      expect([count(store, 'conversation_seen_recent'), count(store, 'conversation_seen')]).toEqual([0, 0]);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown statement in a compaction is refused by name when the store opens', () => {
    const bad = { ...part, compactions: [{ stmt: 'conversation:nope', everyRows: 1, sql: ['SELECT 1'] }] };
    expect(() => Store.open(':memory:', { parts: [bad] })).toThrow('compaction after unknown statement "conversation:nope"');
  });
});

describe('SqliteConversation latest setups, remembered in memory until a commit changes them', () => {
  it('answers again without the table, forgets on a setup of that client, on a meet, and on reset', async () => {
    const store = Store.open(':memory:', { parts: [CONVERSATION_CAPTURE] });
    try {
      const state = conversationOf(store);
      const row = (clientKey: string) => setupRow({ clientKey, protocol: 'sqm-v2', kind: 'accepted', at: new Date('2026-01-02T00:00:00Z') });
      const latest = (clientKey = 'A') => state.setups({ kind: 'accepted', clientKey, last: true }).map((x) => x.requestId);
      await store.capture({ request: request(), rows: [row('A')] });
      expect(latest()).toEqual([1]);
      // Deleted by hand: the answer still comes from memory, until a commit of that client.
      store.db.prepare('DELETE FROM conversation_setups').run();
      expect(latest()).toEqual([1]);
      await store.capture({ request: request(), rows: [row('B')] });
      expect(latest()).toEqual([1]);
      await store.capture({ request: request(), rows: [row('A')] });
      expect(latest()).toEqual([3]);
      store.db.prepare('DELETE FROM conversation_setups').run();
      await store.capture({ request: request(), rows: [{ stmt: 'conversation:meet', params: { setupId: 99 } }] });
      expect(latest()).toEqual([]);
      await store.capture({ request: request(), rows: [row('A')] });
      expect(latest()).toEqual([5]);
      await store.reset();
      expect(latest()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
