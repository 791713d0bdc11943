// Issue 13 item 1: a full disk under the capture store. On a 64 MiB tmpfs (mounted when running as
// root; skipped with a warning otherwise), uploads fail with 503 and a reason while the disk is
// full, health says `degraded` and why, and once space is back uploads are captured and health is
// ok again, for both writers: the worker thread (the built package) and the main thread (ts-jest).

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as source from '../../server';
import { requireBuild } from '../helpers/cli';
import { mountTmpfs, unmountTmpfs } from '../helpers/tmpfs';
import { send } from '../helpers/http';
import { until } from '../helpers/raw-http';

const mnt = mountTmpfs('sqm-disk-full-', '64m', 'store-disk-full');
afterAll(() => unmountTmpfs(mnt));

/** A ~30 KB SQM v1 session. */
const upload = (i: number) => source.buildSqmSession({ sections: [{ type: 'dword', datapoints: Array.from({ length: 2500 }, (_, id) => ({ id, value: i })) }] });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Fills what is left of the tmpfs with one file. */
function fillDisk(file: string): void {
  try {
    fs.writeFileSync(file, Buffer.alloc(96 << 20));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
}

const modes: [string, () => typeof source][] = [
  [
    'worker-thread writer (dist/)',
    () => {
      requireBuild();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('../../dist/server/index.js') as typeof source;
    },
  ],
  ['main-thread writer', () => source],
];

(mnt ? describe : describe.skip).each(modes)('a full disk under --db: %s', (mode, pkg) => {
  it('503 with the reason and health degraded while full; captured and health ok once space is back', async () => {
    const db = path.join(mnt!, `${mode.split(' ')[0]}.sqlite`);
    const fill = path.join(mnt!, 'fill');
    const mock = await pkg().startMockServer({ port: 0, db, quiet: true });
    const post = (body: Buffer) => send(`${mock.url}/sqm/windows/sqmserver.dll`, { body });
    try {
      expect(mock.context.store.writerThread).toBe(mode.startsWith('worker') ? 'worker' : 'main');
      for (let i = 0; i < 20; i++) expect((await post(upload(i))).status).toBe(200);

      fillDisk(fill);
      // The WAL may still have room for a few (a checkpointed WAL is reused): upload until one fails.
      let refused: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 100; i < 200 && !refused; i++) {
        const r = await post(upload(i));
        if (r.status !== 200) refused = r;
      }
      expect(refused?.status).toBe(503);
      expect(refused?.headers.get('retry-after')).toBe('5');
      expect(refused?.text).toBe('capture store failed (SQLITE_FULL: database or disk is full): the upload was not recorded\n');
      const health = await fetch(`${mock.url}/__admin/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'degraded', reason: expect.stringContaining('SQLITE_FULL: database or disk is full'), since: expect.any(String) });

      fs.unlinkSync(fill);
      // As a client told Retry-After would: send again until accepted (the writer may need a moment,
      // a checkpoint or a probe commit, before the freed space is usable).
      let n = 1000;
      let after = upload(n);
      await until(
        'an upload accepted again',
        async () => {
          after = upload(++n);
          return (await post(after)).status === 200 ? true : undefined;
        },
        10_000,
        200,
      );
      expect((await mock.client.requests()).map((r) => r.bodySha256)).toContain(sha(after));
      await until('health ok again', async () => ((await mock.client.health()).status === 'ok' ? true : undefined), 20_000).catch(async (e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(await mock.client.health())}`);
      });
      expect(await mock.client.health()).toEqual({ status: 'ok' });
    } finally {
      if (fs.existsSync(fill)) fs.unlinkSync(fill);
      await mock.close();
    }
    const check = new Database(db, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  }, 60_000);
});
