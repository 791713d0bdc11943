// Scenario faults and delays (INTERFACE.md section 3, respond.fault / delayMs / jitterMs) as a
// plain node:http client sees them, and each request captured, with its rule and fault, before
// the fault fires.

import { startMockServer, type RequestSummary } from '../../server';
import { buildSqmSession } from '../../server/testing';
import type { Scenario } from '../../server/protocols/scenario';
import { rawExchange, rawPost } from '../helpers/raw-http';
import { useMock, withMock } from '../helpers/lifecycle';

const UPLOAD = '/sqm/windows/sqmserver.dll';
const body = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }] });

const mock = useMock();
const faultRule = (fault: string, extra: Record<string, unknown> = {}): Scenario => ({ seed: 42, rules: [{ name: `f-${fault}`, respond: { fault, ...extra } }] }) as Scenario;
/** The only captured request, read right after the client saw the fault (no waiting). */
const onlyCapture = async (): Promise<RequestSummary> => {
  const rows = await mock.client.requests();
  expect(rows).toHaveLength(1);
  return rows[0];
};

describe('each fault as a client sees it', () => {
  it('reset: the client gets ECONNRESET (a TCP reset, no status line)', async () => {
    await mock.client.setScenario(faultRule('reset'));
    const r = await rawPost(mock.url + UPLOAD, body);
    expect(r.status).toBeUndefined();
    expect(r.error).toEqual({ code: 'ECONNRESET', message: 'read ECONNRESET' });
    expect(await onlyCapture()).toMatchObject({ ruleName: 'f-reset', fault: 'reset', status: -1, partner: 'windows' });
  });

  it('close: the connection is closed without an answer (socket hang up)', async () => {
    await mock.client.setScenario(faultRule('close'));
    const r = await rawPost(mock.url + UPLOAD, body);
    expect(r.status).toBeUndefined();
    expect(r.error?.message).toBe('socket hang up');
    expect(await onlyCapture()).toMatchObject({ ruleName: 'f-close', fault: 'close', status: -1 });
  });

  it('empty: a status line and headers, then an empty body', async () => {
    // A body beside fault: empty is refused at load (it would never be sent: scenario/rule-checks.ts).
    await mock.client.setScenario(faultRule('empty', { status: 503, headers: { 'Retry-After': '9' } }));
    const r = await rawPost(mock.url + UPLOAD, body);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(503);
    expect(r.headers?.['retry-after']).toBe('9');
    expect(r.headers?.['content-length']).toBe('0');
    expect(r.body.length).toBe(0);
    const c = await onlyCapture();
    expect(c).toMatchObject({ ruleName: 'f-empty', fault: 'empty', status: 503 });
    expect(r.headers?.['x-mock-request-id']).toBe(String(c.id));
  });

  it('garbage: the client gets an HTTP parse error (HPE_*)', async () => {
    await mock.client.setScenario(faultRule('garbage'));
    const r = await rawPost(mock.url + UPLOAD, body);
    expect(r.status).toBeUndefined();
    expect(r.error?.code).toMatch(/^HPE_/);
    expect(await onlyCapture()).toMatchObject({ ruleName: 'f-garbage', fault: 'garbage', status: -1 });
  });

  it('truncate: Content-Length promises more than arrives, then the connection ends', async () => {
    const text = 'this answer is cut off half way';
    await mock.client.setScenario(faultRule('truncate', { status: 200, body: text }));
    const r = await rawPost(mock.url + UPLOAD, body);
    expect(r.status).toBe(200);
    expect(Number(r.headers?.['content-length'])).toBe(text.length);
    expect(r.body.length).toBeLessThan(text.length);
    expect(text.startsWith(r.body.toString('utf8'))).toBe(true);
    expect(r.error?.message).toBe('aborted');
    expect(await onlyCapture()).toMatchObject({ ruleName: 'f-truncate', fault: 'truncate', status: 200 });
  });

  it('truncate of an empty default answer still cuts a body short', async () => {
    await mock.client.setScenario(faultRule('truncate'));
    const r = await rawPost(mock.url + UPLOAD, body);
    expect(r.status).toBe(200);
    expect(r.body.length).toBeLessThan(Number(r.headers?.['content-length']));
    expect(r.error?.message).toBe('aborted');
  });

  it('hang: no answer until the client gives up; captured while it hangs', async () => {
    await mock.client.setScenario(faultRule('hang'));
    const pending = rawPost(mock.url + UPLOAD, body, { timeoutMs: 300 });
    // Captured before the fault: the row is there while the client is still waiting.
    const [row] = await mock.client.waitFor('request', { count: 1, timeoutMs: 5000 });
    expect(row).toMatchObject({ ruleName: 'f-hang', fault: 'hang', status: -1 });
    const r = await pending;
    expect(r.status).toBeUndefined();
    expect(r.error?.code).toBe('CLIENT_TIMEOUT');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(300);
  });
});

describe('garbage bytes', () => {
  const scenario = (seed: number): Scenario => ({ seed, rules: [{ respond: { fault: 'garbage' } }] });
  const garbageFrom = (seed: number): Promise<Buffer> => withMock({ scenario: scenario(seed) }, (m) => rawExchange(m.url, UPLOAD, body));

  it('are random, and the same for the same seed on two servers', async () => {
    const [a, b, other] = [await garbageFrom(42), await garbageFrom(42), await garbageFrom(43)];
    expect(a.length).toBe(256);
    expect(a.subarray(0, 5).toString('latin1')).not.toBe('HTTP/');
    expect(new Set(a).size).toBeGreaterThan(100); // 256 random bytes hold ~160 distinct values
    expect(b.equals(a)).toBe(true);
    expect(other.equals(a)).toBe(false);
  });
});

describe('delayMs and jitterMs', () => {
  it('answer no earlier than delayMs (+ the seeded jitter recorded as delayMs)', async () => {
    await mock.client.setScenario({ seed: 7, rules: [{ name: 'slow', respond: { delayMs: 200, jitterMs: 100, status: 202 } }] });
    for (let i = 0; i < 3; i++) {
      const r = await rawPost(mock.url + UPLOAD, body);
      expect(r.status).toBe(202);
      const row = (await mock.client.requests({ limit: 1 }))[0];
      expect(row).toMatchObject({ ruleName: 'slow', fault: null, status: 202 });
      expect(row.delayMs).toBeGreaterThanOrEqual(200);
      expect(row.delayMs).toBeLessThanOrEqual(300);
      expect(r.elapsedMs).toBeGreaterThanOrEqual(row.delayMs);
    }
  });

  it('delay a fault too: the reset comes no earlier than delayMs', async () => {
    await mock.client.setScenario(faultRule('reset', { delayMs: 150 }));
    const r = await rawPost(mock.url + UPLOAD, body);
    expect(r.error?.code).toBe('ECONNRESET');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(150);
    expect(await onlyCapture()).toMatchObject({ fault: 'reset', delayMs: 150, status: -1 });
  });

  it('apply to an answer that validation chose (400), naming the rule', async () => {
    await mock.client.setScenario({ rules: [{ name: 'slow', respond: { delayMs: 100 } }] });
    const r = await rawPost(mock.url + UPLOAD, buildSqmSession({ header: { dataChecksum: 1 } }));
    expect(r.status).toBe(400);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(100);
    expect(await onlyCapture()).toMatchObject({ ruleName: 'slow', status: 400, delayMs: 100 });
  });
});

describe('close() while answers are pending', () => {
  it('returns promptly while a request hangs and another waits out a long delay', async () => {
    const m = await startMockServer({
      port: 0,
      db: ':memory:',
      quiet: true,
      scenario: { rules: [{ when: { partner: 'hang' }, respond: { fault: 'hang' } }, { respond: { delayMs: 600_000 } }] },
    });
    const hanging = rawPost(`${m.url}/sqm/hang/sqmserver.dll`, body);
    const delayed = rawPost(m.url + UPLOAD, body);
    await m.client.waitFor('request', { count: 2, timeoutMs: 5000 });
    // A bound only to fail with a clear message instead of jest's timeout: without the fix,
    // close() would wait for the hang forever and the delay for 10 minutes.
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      m.close().then(() => 'closed'),
      new Promise((resolve) => {
        timer = setTimeout(resolve, 5000, 'still open after 5 s');
      }),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe('closed');
    for (const r of [await hanging, await delayed]) {
      expect(r.status).toBeUndefined();
      expect(r.error?.message).toBe('socket hang up');
    }
  });
});
