// The CEIP redirect handler (MS-CCEIP 3.1) on plain requests: the answer without an upstream, refusals,
// where it forwards (an unreachable upstream: 502 and the forward row), rules, and the 3.1.7 resend warning.

import {
  captureOf,
  handlerContext,
  removeTempDirs,
  ruleRefs,
  rowsOf,
  stmts,
  text,
  wireRequest,
  type HandlerContext,
  type RequestInit,
} from '../../../test/helpers/handler-context';
import { win7Capture } from '../../../test/helpers/fixtures';
import type { MockOptions } from '../../config';
import { buildSqmSession, buildSqmV2Message } from '../../testing';
import { ceipRoute } from './route';
import { MemoryCeipState } from './state';

const SERVICE = 'https://sqm.microsoft.com/sqm/windows/sqmserver.dll';
const URL = `/?partner="${SERVICE}"`;
const DOWN = 'http://127.0.0.1:1';
const post = (over: Partial<RequestInit> = {}) => wireRequest({ url: URL, body: 'ceip data', ...over });
const run = async (scenario: unknown = {}, req = post(), options: MockOptions = {}, state = new MemoryCeipState(), ctx: HandlerContext = handlerContext(scenario, options)) =>
  ceipRoute.handle(req, ctx, state);

afterAll(removeTempDirs);

describe('ceip: without an upstream', () => {
  it.each([
    ['the MS-CCEIP 4.1 form (quoted)', URL],
    ['Partner= as in the ABNF', `/?Partner=${SERVICE}`],
    ['percent-encoded', `/?partner=${encodeURIComponent(SERVICE)}`],
  ])('%s: 200, empty, captured with the partner URL, nothing forwarded', async (_n, url) => {
    const o = await run({}, post({ url }));
    expect(o).toMatchObject({ protocol: 'ceip', partner: SERVICE, ruleName: null, answer: { status: 200, headers: {} } });
    expect(o.answer.body.length).toBe(0);
    expect(o.rows ?? []).toEqual([]);
    expect(o.findings).toEqual([]);
  });
});

describe('ceip: refusals', () => {
  it.each<[string, Partial<RequestInit>, number, string, string]>([
    ['GET with a partner', { method: 'GET' }, 405, 'ceip.method', 'MS-CCEIP 2.2'],
    ['no Partner= at all', { url: '/' }, 400, 'ceip.partner', 'MS-CCEIP 3.1.3'],
    ['an empty partner', { url: '/?partner=' }, 400, 'ceip.partner', 'MS-CCEIP 3.1.3'],
    ['a partner that is not http(s)', { url: '/?partner=ftp://sqm.example/up' }, 400, 'ceip.partner', 'MS-CCEIP 3.1.3'],
  ])('%s → %d, not forwarded', async (_n, over, status, rule, specRef) => {
    const o = await run({}, post(over), { upstream: DOWN });
    expect(o.answer.status).toBe(status);
    expect(ruleRefs(o)).toEqual([[rule, specRef, 'error']]);
    expect(o.answer.reason).toMatch(new RegExp(`^${rule.replace('.', '\\.')} \\(${specRef}\\): `));
    expect(o.rows ?? []).toEqual([]);
  });

  it('405 names POST', async () => {
    expect((await run({}, post({ method: 'PUT' }))).answer.headers.allow).toBe('POST');
  });
});

describe('ceip: forwarding to an unreachable upstream', () => {
  it.each<[string, object, MockOptions, string]>([
    ['--upstream, path and query appended as sent', {}, { upstream: DOWN }, DOWN + URL],
    ["the scenario's ceip.upstream wins (trailing slash dropped)", { ceip: { upstream: DOWN + '/base/' } }, { upstream: 'http://127.0.0.2:1' }, DOWN + '/base' + URL],
    ['a ceip.partnerMap entry, used as is', { ceip: { partnerMap: { [SERVICE]: DOWN + '/mapped?x=1' } } }, { upstream: 'http://127.0.0.2:1' }, DOWN + '/mapped?x=1'],
  ])('%s: 502 and an upstream:forward row', async (_n, scenario, options, target) => {
    const req = post({ headers: { Host: 'mock', Connection: 'keep-alive', 'Content-Type': 'application/octet-stream', 'X-Client': 'c1' } });
    const o = await run(scenario, req, options);
    expect(o).toMatchObject({ partner: SERVICE, ruleName: null, answer: { status: 502 } });
    expect(o.answer.reason).toMatch(/^ceip\.upstream: /);
    expect(o.answer.reason).toContain(target);
    expect(stmts(o)).toEqual(['upstream:forward']);
    const p = rowsOf(o, 'upstream:forward')[0].params;
    expect(p).toMatchObject({ url: target, method: 'POST', requestSha256: req.bodySha256, status: null });
    expect(p.requestBody).toEqual(req.body);
    expect(JSON.parse(p.requestHeaders as string)).toEqual({ 'Content-Type': 'application/octet-stream', 'X-Client': 'c1' });
    expect(p.error).toMatch(/ECONNREFUSED/);
  });

  it('a rule that only delays goes with the 502 and names itself', async () => {
    const o = await run({ rules: [{ name: 'slow', when: { protocol: 'ceip' }, respond: { delayMs: 25 } }] }, post(), { upstream: DOWN });
    expect(o).toMatchObject({ ruleName: 'slow', delivery: { delayMs: 25 }, answer: { status: 502 } });
    expect(stmts(o)).toEqual(['upstream:forward']);
  });
});

describe('ceip: a rule', () => {
  it.each<[string, object, number, string | undefined, string | undefined]>([
    ['503 with a body (the MS-CCEIP 4.1 retry)', { status: 503, body: 'try again' }, 503, 'text/plain; charset=utf-8', 'scenario answered 503'],
    ['204 without a body', { status: 204 }, 204, undefined, undefined],
  ])('plain answer %s: answered without forwarding', async (_n, respond, status, contentType, reason) => {
    const o = await run({ rules: [{ name: 'plain', when: { protocol: 'ceip', partner: SERVICE }, respond }] }, post(), { upstream: DOWN });
    expect(o).toMatchObject({ ruleName: 'plain', answer: { status, reason } });
    expect(o.answer.headers['content-type']).toBe(contentType);
    expect(text(o)).toBe((respond as { body?: string }).body ?? '');
    expect(o.rows ?? []).toEqual([]);
  });

  it('a rule for another partner does not apply', async () => {
    const o = await run({ rules: [{ when: { partner: 'https://other.example/' }, respond: { status: 503 } }] });
    expect([o.answer.status, o.ruleName]).toEqual([200, null]);
  });
});

describe('ceip: the same data again (3.1.7)', () => {
  const resent: [string, string, string][] = [['ceip.resent', 'MS-CCEIP 3.1.7', 'warning']];
  /** Sends `first`, feeds its capture to the state, then sends `second`; returns the second outcome's findings. */
  const twice = async (scenario: object, options: MockOptions, first: string, second: string) => {
    const ctx = handlerContext(scenario, options);
    const state = new MemoryCeipState();
    const req = post({ body: first });
    state.apply(captureOf(req, await run(scenario, req, options, state, ctx)), 1);
    // ceip.resent is a conversation finding: it names request 1, whose success it repeats.
    const o = await run(scenario, post({ body: second }), options, state, ctx);
    expect((o.findings ?? []).filter((f) => f.kind === 'conversation').every((f) => f.relatedRequestId === 1)).toBe(true);
    return (o.findings ?? []).map((f) => [f.rule, f.specRef, f.level]);
  };
  it.each<[string, object, MockOptions, string, [string, string, string][]]>([
    ['after a 200: a warning', {}, {}, 'same', resent],
    ['other data after a 200: none', {}, {}, 'other', []],
    ['after a 502: none', {}, { upstream: DOWN }, 'same', []],
    ['after a plain 503: none', { rules: [{ times: 1, respond: { status: 503 } }] }, {}, 'same', []],
  ])('%s', async (_n, scenario, options, second, expected) => {
    expect(await twice(scenario, options, 'same', second)).toEqual(expected);
  });
});

describe("ceipRoute.claims: any path with partner=, never another protocol's (MS-CCEIP 3.1.1)", () => {
  it.each<[string, string, string, boolean]>([
    ['the 4.1 form', 'POST', URL, true],
    ['/ without a query (refused later: no Partner=)', 'POST', '/', true],
    ['a PUT to / with a partner (refused later: 405)', 'PUT', URL, true],
    ['another path (CorporateSQMUrl may be any URL)', 'POST', `/ceip/upload.aspx?partner=${SERVICE}`, true],
    ['a deep path, Partner= second', 'POST', `/any/path?x=1&Partner="${SERVICE}"`, true],
    ['another path without a partner', 'POST', '/any/path', false],
    ['another path, GET', 'GET', `/any/path?partner=${SERVICE}`, false],
    ['the SQM upload path', 'POST', `/sqm/windows/sqmserver.dll?partner=${SERVICE}`, false],
    ['any /sqm/ path', 'POST', `/SQM/windows/manifests/Sqm7.bin?partner=${SERVICE}`, false],
    ['CER level 1', 'POST', `/Stage2.htm?partner=${SERVICE}`, false],
    ['a CER level-2 PUT (an issued DumpFile)', 'PUT', `/PersistedCabs/APPCRASH/100/1.cab?partner=${SERVICE}`, false],
    ['the admin API', 'POST', `/__admin/reset?partner=${SERVICE}`, false],
    ['a partners= that is not partner=', 'POST', `/any/path?partners=${SERVICE}`, false],
  ])('%s: %s %s → %s', (_name, method, url, claimed) => {
    expect(ceipRoute.claims(wireRequest({ method, url }))).toBe(claimed);
  });
});

describe('ceip: SQM data is decoded and stored like SQM sessions', () => {
  const sessionRows = (o: Awaited<ReturnType<typeof run>>) => rowsOf(o, 'sessions:session').map((r) => r.params);

  it('the MS-SQMCS 4.1 capture posted through CEIP: one v1 session, partner "windows", context.source ceip', async () => {
    const body = win7Capture();
    const o = await run({}, post({ url: `/any/path?partner="${SERVICE}"`, body }));
    expect(o.answer.status).toBe(200);
    expect(sessionRows(o)).toEqual([
      expect.objectContaining({
        protocolVersion: 1,
        partner: 'windows',
        accepted: 1,
        bodyOffset: 0,
        bodyLength: body.length,
        context: JSON.stringify({ source: 'ceip', partnerUrl: SERVICE }),
      }),
    ]);
    expect((o.findings ?? []).filter((f) => f.level !== 'info')).toEqual([]);
  });

  it('a partner URL that is no SQM upload URL: the partner is the URL; a 502 is not accepted', async () => {
    const o = await run({}, post({ url: '/?partner=http://ceip.example/up', body: buildSqmSession() }), { upstream: DOWN });
    expect(o.answer.status).toBe(502);
    expect(sessionRows(o)).toEqual([expect.objectContaining({ partner: 'http://ceip.example/up', accepted: 0 })]);
  });

  it('an SQM v2 dataupload: each slice a v2 session', async () => {
    const [a, b] = [buildSqmSession(), buildSqmSession()];
    const body = buildSqmV2Message({ cmd: 'dataupload', token: '3.' + 'a'.repeat(32) + '.' + '0'.repeat(16), sessions: [a, b] });
    const o = await run({}, post({ body }));
    expect(sessionRows(o).map((r) => [r.protocolVersion, r.bodyLength])).toEqual([
      [2, a.length],
      [2, b.length],
    ]);
  });

  it.each([
    ['opaque CEIP data', 'ceip data'],
    ['an MSQM prefix that is no session', 'MSQM and then nothing'],
  ])('%s: no session row', async (_name, body) => {
    const o = await run({}, post({ body }));
    expect(sessionRows(o)).toEqual([]);
  });
});
