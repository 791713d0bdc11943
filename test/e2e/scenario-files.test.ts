// The ready-made scenarios in scenarios/, each loaded from its FILE and checked against what its
// header comment (and docs/scenarios.md) says it does. A new file there without a case here fails.

import fs from 'node:fs';
import path from 'node:path';
import type { MockServer } from '../../server';
import { buildSqmSession } from '../../server/testing';
import { withMock } from '../helpers/lifecycle';
import { rawPost, type RawReply } from '../helpers/raw-http';

const SCENARIOS = path.resolve(__dirname, '../../scenarios');
const body = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }] });

type Upload = (partner?: string) => Promise<RawReply>;

/** Each case runs on a fresh server started on scenarios/<name>.yaml; `upload` posts the session. */
const cases: Record<string, (mock: MockServer, upload: Upload) => Promise<void>> = {
  'happy-path': async (mock, upload) => {
    const r = await upload();
    expect([r.status, r.body.length]).toEqual([200, 0]);
    // strict: an invalid upload still gets 400.
    const bad = await rawPost(`${mock.url}/sqm/windows/sqmserver.dll`, buildSqmSession({ header: { dataChecksum: 1 } }));
    expect(bad.status).toBe(400);
    expect((await mock.client.requests()).map((x) => x.ruleName)).toEqual([null, null]);
  },

  'throttle-403': async (mock, upload) => {
    expect((await upload()).status).toBe(403);
    expect((await upload('office')).status).toBe(403);
    expect((await mock.client.requests()).map((x) => x.ruleName)).toEqual(['fixed-throttle', 'fixed-throttle']);
    expect((await mock.client.sqmSessions()).every((s) => s.accepted)).toBe(true);
  },

  'throttle-201': async (mock, upload) => {
    const r = await upload();
    expect(r.status).toBe(201);
    expect(r.body.toString('utf8')).toBe('ThrottleInterval:"7"\r\n');
    expect(r.headers?.throttleinterval).toBe('"7"');
    expect((await mock.client.requests())[0].ruleName).toBe('throttle-7-days');
  },

  'flaky-503-then-ok': async (mock, upload) => {
    const replies = [await upload(), await upload(), await upload(), await upload()];
    expect(replies.map((r) => r.status)).toEqual([503, 503, 200, 200]);
    expect(replies[0].headers?.['retry-after']).toBe('1');
    expect(replies[0].body.toString('utf8')).toBe('service busy, retry later');
    // POST /__admin/reset starts the count again.
    await mock.client.reset();
    expect((await upload()).status).toBe(503);
  },

  'slow-network': async (mock, upload) => {
    const r = await upload();
    expect(r.status).toBe(200);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(1500);
    const [row] = await mock.client.requests();
    expect(row).toMatchObject({ ruleName: 'slow', status: 200 });
    expect(row.delayMs).toBeGreaterThanOrEqual(1500);
    expect(row.delayMs).toBeLessThanOrEqual(2000);
  },

  'connection-drops': async (mock, upload) => {
    const [reset, close, truncate, ok] = [await upload(), await upload(), await upload(), await upload()];
    expect(reset.error?.code).toBe('ECONNRESET');
    expect(reset.status).toBeUndefined();
    expect(close.error?.message).toBe('socket hang up');
    expect(close.status).toBeUndefined();
    expect(truncate.status).toBe(200);
    expect(truncate.body.length).toBeLessThan(Number(truncate.headers?.['content-length']));
    expect(truncate.error?.message).toBe('aborted');
    expect([ok.status, ok.error]).toEqual([200, undefined]);
    const rows = await mock.client.requests();
    expect(rows.map((x) => [x.fault, x.status, x.ruleName])).toEqual([
      ['reset', -1, 'drops'],
      ['close', -1, 'drops'],
      ['truncate', 200, 'drops'],
      [null, 200, null],
    ]);
    // Every upload was captured whole, whatever happened to its answer.
    expect(await mock.client.sqmSessions()).toHaveLength(4);
  },
};

/** Protocol scenarios are exercised beside their protocol's tests. */
const ELSEWHERE: Record<string, string> = {
  'v2-throttle-ptr': 'test/e2e/sqm-v2-scenarios.test.ts',
  'v2-token-expiry': 'test/e2e/sqm-v2-scenarios.test.ts',
  'v2-partial-outage': 'test/e2e/sqm-v2-scenarios.test.ts',
  'ceip-retry': 'test/e2e/ceip.test.ts',
  'relay-flaky': 'test/e2e/relay.test.ts',
  'cer-collect-files': 'test/e2e/cer-scenarios.test.ts',
  'cer-no-level2': 'test/e2e/cer-scenarios.test.ts',
  'cer-support-url': 'test/e2e/cer-scenarios.test.ts',
};

it("every file in scenarios/ has a case here or in its protocol's tests", () => {
  const files = fs
    .readdirSync(SCENARIOS)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .map((f) => f.replace(/\.(ya?ml|json)$/i, ''))
    .sort();
  expect(files).toEqual([...Object.keys(cases), ...Object.keys(ELSEWHERE)].sort());
  for (const [name, test] of Object.entries(ELSEWHERE)) {
    expect(fs.readFileSync(path.resolve(__dirname, '../..', test), 'utf8')).toContain(`${name}.yaml`);
  }
});

it.each(Object.keys(cases))('scenarios/%s.yaml', (name) =>
  withMock({ scenario: path.join(SCENARIOS, `${name}.yaml`) }, async (mock) => {
    expect((await mock.client.scenario()).name).toBe(name);
    await cases[name](mock, (partner = 'windows') => rawPost(`${mock.url}/sqm/${partner}/sqmserver.dll`, body));
  }),
);
