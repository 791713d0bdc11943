// The built package with a file store: captures are written by the worker thread, hashed there,
// and survive a restart. (Under ts-jest the store writes on the main thread; dist/ uses the worker.)

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireBuild } from '../helpers/cli';
import { send } from '../helpers/http';

requireBuild();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dist = require('../../dist/server/index.js') as typeof import('../../server');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqm-worker-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('writes through the worker thread, commits before answering, and keeps it all across a restart', async () => {
  const db = path.join(dir, 'c.sqlite');
  const mock = await dist.startMockServer({ port: 0, db, quiet: true });
  expect(mock.context.store.writerThread).toBe('worker');
  const bodies = Array.from({ length: 20 }, (_, i) => dist.buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: i }] }] }));
  const answers = await Promise.all(bodies.map((body) => send(`${mock.url}/sqm/windows/sqmserver.dll`, { body })));
  expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));
  // Every answered upload is already readable: no wait needed.
  const requests = await mock.client.requests();
  expect(requests).toHaveLength(20);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  expect(requests.map((r) => r.bodySha256).sort()).toEqual(bodies.map(sha).sort());
  await mock.close();

  const again = await dist.startMockServer({ port: 0, db, quiet: true });
  const sessions = await again.client.sqmSessions();
  expect(sessions.map((s) => s.sections[0].datapoints![0].value).sort((a, b) => Number(a) - Number(b))).toEqual(bodies.map((_, i) => i));
  await again.client.reset();
  expect(await again.client.requests()).toEqual([]);
  await again.close();
});

describe('the worker writer after a failure (issue 13 item 1)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Store } = require('../../dist/server/store/index.js') as typeof import('../../server/store');
  const failSwitch = {
    migrations: [
      {
        id: 'test/fail-switch',
        sql: `CREATE TABLE fail_switch (why TEXT);
          CREATE TRIGGER fail_requests BEFORE INSERT ON requests WHEN EXISTS (SELECT 1 FROM fail_switch)
          BEGIN SELECT RAISE(ABORT, 'injected failure'); END;`,
      },
    ],
  };
  const record = (p: string) => ({
    request: {
      receivedAt: new Date(),
      listener: 'main',
      protocol: 'unknown',
      method: 'POST',
      path: p,
      headers: [] as [string, string][],
      body: Buffer.from(p),
      bodySize: p.length,
      bodyTruncated: false,
      bodySha256: '',
      status: 200,
      responseHeaders: {},
      durationMs: 0,
    },
  });
  const until = async <T>(what: string, get: () => T | undefined, ms = 5000): Promise<T> => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
      const v = get();
      if (v !== undefined) return v;
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it('a failed commit in the worker: the error keeps its SQLite code, health is degraded, the next commit clears it', async () => {
    const store = Store.open(path.join(dir, 'inject.sqlite'), { parts: [failSwitch] });
    try {
      expect(store.writerThread).toBe('worker');
      store.db.prepare('INSERT INTO fail_switch VALUES (1)').run();
      await expect(store.capture(record('/refused'))).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'injected failure' });
      expect(store.health).toMatchObject({ status: 'degraded', reason: 'captures cannot be committed: SQLITE_CONSTRAINT_TRIGGER: injected failure' });
      store.db.prepare('DELETE FROM fail_switch').run();
      await store.capture(record('/ok'));
      expect(store.health).toEqual({ status: 'ok' });
      expect(store.queries.requests().map((r) => r.path)).toEqual(['/ok']);
    } finally {
      await store.close();
    }
  }, 20_000);

  it('a worker thread that dies is started again: degraded meanwhile, captures work after', async () => {
    const store = Store.open(path.join(dir, 'restart.sqlite'));
    try {
      await store.capture(record('/before'));
      // The thread dies as it did on an uncaught SQLITE_FULL from its checkpoint timer.
      const thread = (store as unknown as { worker: { worker: { terminate(): Promise<number> } } }).worker.worker;
      await thread.terminate();
      expect(store.health).toMatchObject({ status: 'degraded', reason: expect.stringContaining('capture writer stopped') });
      await until('health ok after the restart', () => (store.health.status === 'ok' ? true : undefined));
      await store.capture(record('/after'));
      expect(store.queries.requests().map((r) => r.path)).toEqual(['/before', '/after']);
    } finally {
      await store.close();
    }
  }, 20_000);

  it('captures that queue while the worker is busy are committed together; a record that fails fails only its own capture', async () => {
    const slowAndPoison = {
      migrations: [
        {
          id: 'test/slow-and-poison',
          sql: `CREATE TRIGGER slow_request BEFORE INSERT ON requests WHEN NEW.path = '/slow'
              BEGIN SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT i FROM n); END;
            CREATE TRIGGER poison_request BEFORE INSERT ON requests WHEN NEW.path = '/poison'
              BEGIN SELECT RAISE(ABORT, 'poison'); END;`,
        },
      ],
    };
    const store = Store.open(path.join(dir, 'group.sqlite'), { parts: [slowAndPoison] });
    try {
      expect(store.writerThread).toBe('worker');
      const slow = store.capture(record('/slow'));
      // Each in a later turn of the event loop: one message each, queued behind the slow one.
      const paths = ['/a', '/b', '/poison', '/c', '/d'];
      const later: Promise<unknown>[] = [];
      for (const p of paths) {
        await new Promise((r) => setImmediate(r));
        later.push(store.capture(record(p)).then(() => p));
      }
      await slow;
      const settled = await Promise.allSettled(later);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ message: 'poison' });
      expect(store.queries.requests().map((r) => r.path)).toEqual(['/slow', '/a', '/b', '/c', '/d']);
      expect(store.health).toEqual({ status: 'ok' });
    } finally {
      await store.close();
    }
  }, 30_000);
});
