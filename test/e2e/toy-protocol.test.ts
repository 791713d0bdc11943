// The module contract measured: a toy protocol — one module object (what its folder's index.ts would
// export), one registry line, one migration — runs through dispatch, the answer core, capture,
// reset, the scenario schema and the admin API without a change to any other file.

import { z } from 'zod';
import { startMockServer, type MockServer } from '../../server';
import { answerWith, ownPart } from '../../server/core/answer';
import { defineModule } from '../../server/core/module';
import { MODULES } from '../../server/protocols/registry';
import { StatementCache } from '../../server/store';

interface ToyState {
  names(): string[];
}

/** The toy's whole folder: a route, a respond part, a table with its migration, state and admin. */
const toyModule = defineModule<ToyState>({
  name: 'toy',
  routes: [
    {
      name: 'toy',
      claims: (head) => head.pathname.startsWith('/toy/'),
      bodyLimit: () => 1024,
      handle: (req, ctx) => {
        const decision = ctx.engine.decide({ protocol: 'toy', method: req.method, path: req.url });
        const name = req.pathname.slice('/toy/'.length);
        const echo = ownPart<{ echo: string }>(decision, 'toy')?.echo ?? name;
        const result = answerWith(decision, { key: 'toy' }, () => ({ answer: { status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.from(echo) }, byRule: true }));
        return { protocol: 'toy', ...result, rows: [{ stmt: 'toy:thing', params: { name } }] };
      },
    },
  ],
  scenario: { respond: { toy: z.strictObject({ echo: z.string() }) } },
  capture: {
    statements: { 'toy:thing': 'INSERT INTO toy_things (request_id, name) VALUES (@requestId, @name)' },
    tables: ['toy_things'],
    migrations: [{ id: 'toy/001-things', sql: 'CREATE TABLE toy_things (request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE, name TEXT NOT NULL)' }],
  },
  openState: (store) => {
    const cache = new StatementCache(store.db);
    return { names: () => (cache.prepare('SELECT name FROM toy_things ORDER BY rowid').all() as { name: string }[]).map((r) => r.name) };
  },
  admin: {
    routes: [{ method: 'GET', path: '/toy/things', handle: (_req, s) => ({ json: { things: s.names() } }) }],
    waitKinds: { 'toy-thing': (_q, s) => ({ count: () => s.names().length, records: () => s.names() }) },
  },
  client: (api) => ({ toyThings: async () => (await api.json<{ things: string[] }>('GET', '/toy/things')).things }),
});

// The one registry line: the toy goes before the fallback module.
const modules = [...MODULES.slice(0, -1), toyModule, MODULES[MODULES.length - 1]];

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, db: ':memory:', quiet: true, modules });
});
afterAll(() => mock.close());

const admin = async (path: string) => (await fetch(`${mock.url}/__admin${path}`)).json();

it('answers, captures its rows in its own table, and shows them through its admin route and wait kind', async () => {
  const res = await fetch(`${mock.url}/toy/alpha`);
  expect([res.status, await res.text()]).toEqual([200, 'alpha']);
  expect(await admin('/toy/things')).toEqual({ things: ['alpha'] });
  // Its client method is on the server's typed client too.
  expect(await (mock.client as unknown as { toyThings(): Promise<string[]> }).toyThings()).toEqual(['alpha']);
  expect(await admin('/wait?kind=toy-thing&count=1&timeoutMs=1000')).toMatchObject({ count: 1, records: ['alpha'] });
  const [req] = await mock.client.requests({ protocol: 'toy' });
  expect(req).toMatchObject({ method: 'GET', status: 200, ruleName: null });
});

it('takes scenario rules with its own respond part, and plain answers from the answer core', async () => {
  await mock.client.setScenario({
    rules: [
      { name: 'echo', when: { protocol: 'toy', path: '/toy/echo' }, respond: { toy: { echo: 'scripted' } } as never },
      { name: 'down', when: { path: '/toy/down' }, respond: { status: 503, body: 'down' } },
    ],
  });
  const echo = await fetch(`${mock.url}/toy/echo`);
  expect(await echo.text()).toBe('scripted');
  const down = await fetch(`${mock.url}/toy/down`);
  expect([down.status, down.headers.get('content-type'), await down.text()]).toEqual([503, 'text/plain; charset=utf-8', 'down']);
  const rows = await mock.client.requests({ protocol: 'toy' });
  expect(rows.slice(-2).map((r) => r.ruleName)).toEqual(['echo', 'down']);
});

it("is refused by a server without the module: its scenario keys are the module's", async () => {
  const plain = await startMockServer({ port: 0, db: ':memory:', quiet: true });
  try {
    await expect(plain.client.setScenario({ rules: [{ respond: { toy: { echo: 'x' } } as never }] })).rejects.toThrow(/unknown key "toy"/);
    expect((await fetch(`${plain.url}/toy/alpha`)).status).toBe(404);
  } finally {
    await plain.close();
  }
});

it('is emptied by reset with every other table', async () => {
  await fetch(`${mock.url}/toy/beta`);
  await mock.client.reset();
  expect(await admin('/toy/things')).toEqual({ things: [] });
});
