// startMockServer leaves nothing behind by default (issue 14 item 3): the store is `:memory:` and,
// with a `:memory:` store, the CER fileshare is a temporary folder that close() removes; a
// fileshare or a file store the caller names is used as given and kept.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMockServer } from '../../server';
import { buildWerReport } from '../../server/testing';
import { listTree } from '../helpers/cer';
import { send } from '../helpers/http';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ephemeral-e2e-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it.each<[string, { db?: string }]>([
  ['no db', {}],
  ["db ':memory:'", { db: ':memory:' }],
])('%s: an in-memory store and a temporary fileshare, removed by close()', async (_name, options) => {
  const mock = await startMockServer({ port: 0, quiet: true, ...options });
  expect(mock.context.config.db).toBe(':memory:');
  expect(path.dirname(mock.fileshare)).toBe(os.tmpdir());
  expect(path.basename(mock.fileshare)).toMatch(/^sqm-cer-mock-fileshare-/);
  expect((await send(`${mock.url}/stage2.htm`, { body: buildWerReport() })).status).toBe(200);
  expect(listTree(mock.fileshare).length).toBeGreaterThan(0);
  await mock.close();
  expect(fs.existsSync(mock.fileshare)).toBe(false);
});

it('a fileshare given is used and kept', async () => {
  const fileshare = path.join(dir, 'share');
  const mock = await startMockServer({ port: 0, quiet: true, fileshare });
  expect(mock.fileshare).toBe(fileshare);
  expect((await send(`${mock.url}/stage2.htm`, { body: buildWerReport() })).status).toBe(200);
  await mock.close();
  expect(listTree(fileshare).length).toBeGreaterThan(0);
});

it('a file store without a fileshare keeps the documented ./data/fileshare (not removed)', async () => {
  const mock = await startMockServer({ port: 0, quiet: true, db: path.join(dir, 'c.sqlite') });
  expect(mock.fileshare).toBe('./data/fileshare');
  await mock.close();
});

it('a start that fails leaves no temporary fileshare behind', async () => {
  const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('sqm-cer-mock-fileshare-'));
  await expect(startMockServer({ port: 0, quiet: true, tlsCert: path.join(dir, 'missing.pem'), tlsKey: path.join(dir, 'missing.pem') })).rejects.toThrow(/^--tls-cert /);
  const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('sqm-cer-mock-fileshare-'));
  expect(after.filter((f) => !before.includes(f))).toEqual([]);
});
