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
