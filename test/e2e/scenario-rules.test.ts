// Scenario rule counting on a real server: `times` and sequences under 50 concurrent uploads,
// seeded `probability` repeatable across runs, and counters restarted by POST /__admin/reset.

import { buildSqmSession } from '../../server/testing';
import type { Scenario } from '../../server/protocols/scenario';
import { rawPost } from '../helpers/raw-http';
import { useMock, withMock } from '../helpers/lifecycle';

const UPLOAD = '/sqm/windows/sqmserver.dll';
const body = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 1, value: 2 }] }] });

const mock = useMock();
const upload = async (url = mock.url): Promise<number> => {
  const r = await rawPost(url + UPLOAD, body);
  if (r.status === undefined) throw new Error(`no answer: ${r.error?.message}`);
  return r.status;
};
const concurrently = (n: number): Promise<number[]> => Promise.all(Array.from({ length: n }, () => upload()));
const count = (xs: readonly unknown[], x: unknown): number => xs.filter((v) => v === x).length;

describe('under 50 concurrent uploads', () => {
  it('a rule with times: 10 answers exactly 10 of them', async () => {
    await mock.client.setScenario({ rules: [{ name: 'ten', times: 10, respond: { status: 503 } }] });
    const statuses = await concurrently(50);
    expect(count(statuses, 503)).toBe(10);
    expect(count(statuses, 200)).toBe(40);
    const rows = await mock.client.requests();
    expect(rows).toHaveLength(50);
    expect(rows.filter((r) => r.ruleName === 'ten')).toHaveLength(10);
    expect(rows.filter((r) => r.ruleName === 'ten').every((r) => r.status === 503)).toBe(true);
  });

  it('a sequence [503, 503, 200] without times gives exactly two 503s, then its last step repeats', async () => {
    await mock.client.setScenario({ rules: [{ name: 'seq', respond: [{ status: 503 }, { status: 503 }, { status: 200, body: 'ok' }] }] });
    const statuses = await concurrently(50);
    expect(count(statuses, 503)).toBe(2);
    expect(count(statuses, 200)).toBe(48);
    expect((await mock.client.requests({ ruleName: 'seq' })).length).toBe(50);
  });

  it('a sequence with times: 2 answers two, then falls through to the next rule', async () => {
    await mock.client.setScenario({
      rules: [
        { name: 'first', times: 2, respond: [{ status: 502 }, { status: 504 }] },
        { name: 'rest', respond: { sqm: { throttleInterval: 3 } } },
      ],
    });
    const statuses = await concurrently(50);
    expect([count(statuses, 502), count(statuses, 504), count(statuses, 201)]).toEqual([1, 1, 48]);
    expect((await mock.client.requests({ ruleName: 'rest' })).length).toBe(48);
  });
});

describe('seeded probability', () => {
  const scenario = (seed: number): Scenario => ({ seed, rules: [{ name: 'coin', probability: 0.5, respond: { status: 503 } }] });
  /** 100 sequential uploads to a fresh server running `s`. */
  const run = (s: Scenario): Promise<number[]> =>
    withMock({ scenario: s }, async (m) => {
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) statuses.push(await upload(m.url));
      return statuses;
    });

  it('gives the same statuses on two fresh servers with the same seed, other ones with another seed', async () => {
    const a = await run(scenario(42));
    const b = await run(scenario(42));
    const c = await run(scenario(43));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // A fair coin: both answers show up (fixed by the seed, so this never flakes).
    expect(count(a, 503)).toBeGreaterThan(25);
    expect(count(a, 200)).toBeGreaterThan(25);
  });

  it('starts the same draws again after POST /__admin/reset', async () => {
    await mock.client.setScenario(scenario(42));
    const first: number[] = [];
    for (let i = 0; i < 20; i++) first.push(await upload());
    await mock.client.reset();
    const again: number[] = [];
    for (let i = 0; i < 20; i++) again.push(await upload());
    expect(again).toEqual(first);
  });

  it('probability 0 never applies and probability 1 always does', async () => {
    await mock.client.setScenario({
      rules: [
        { name: 'never', probability: 0, respond: { status: 500 } },
        { name: 'always', probability: 1, respond: { status: 202 } },
      ],
    });
    expect(await concurrently(10)).toEqual(Array(10).fill(202));
  });
});

describe('counters and POST /__admin/reset', () => {
  it('a times: 1 rule answers again after reset', async () => {
    await mock.client.setScenario({ rules: [{ name: 'once', times: 1, respond: { status: 503 } }] });
    expect([await upload(), await upload()]).toEqual([503, 200]);
    await mock.client.reset();
    expect([await upload(), await upload()]).toEqual([503, 200]);
    expect((await mock.client.requests()).map((r) => r.ruleName)).toEqual(['once', null]);
  });

  it('a sequence starts from its first step again after reset', async () => {
    await mock.client.setScenario({ rules: [{ respond: [{ status: 503 }, { status: 200 }] }] });
    expect([await upload(), await upload(), await upload()]).toEqual([503, 200, 200]);
    await mock.client.reset();
    expect(await upload()).toBe(503);
  });
});
