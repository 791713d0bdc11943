// The typed admin client (issue 14 item 6): waitFor resolves with the records of its kind, each
// list takes only its own filters, and the server refuses a query parameter a route does not take.
// This file is also a type-level test: ts-jest typechecks it, so it fails if waitFor returned
// unknown[] (the fields below are read without a cast) or if a mistyped filter compiled.

import { AdminApiError, type SessionJson, type Violation } from '../../server';
import { buildSqmSession, buildWerReport } from '../../server/testing';
import { send } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const uploadV1 = (partner = 'windows') => send(`${mock.url}/sqm/${partner}/sqmserver.dll`, { body: buildSqmSession() });
const admin = async (path: string) => {
  const res = await fetch(`${mock.url}/__admin${path}`);
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
};

describe('waitFor is typed by kind', () => {
  it('sqm-session: the session, its header and partner without a cast', async () => {
    await uploadV1();
    const [session] = await mock.client.waitFor('sqm-session', { partner: 'windows', timeoutMs: 5000 });
    const mid: string = session.header.clientUniqueIdentifier;
    const partner: string | null = session.partner;
    expect({ mid, partner }).toEqual({ mid: expect.stringMatching(/^\{[0-9A-F-]{36}\}$/), partner: 'windows' });
    const whole: SessionJson = session;
    expect(Array.isArray(whole.sections)).toBe(true);
  });

  it('request: the request row', async () => {
    await uploadV1();
    const [r] = await mock.client.waitFor('request', { protocol: 'sqm-v1', status: 200 });
    const status: number = r.status;
    expect({ status, protocol: r.protocol, bodySha256: r.bodySha256 }).toMatchObject({ status: 200, protocol: 'sqm-v1', bodySha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('cer-report: the report with its signature', async () => {
    await send(`${mock.url}/stage2.htm`, { body: buildWerReport() });
    const [report] = await mock.client.waitFor('cer-report', { count: 1 });
    const bucket: number | null = report.bucket;
    expect(bucket).toBeGreaterThan(0);
    expect(Array.isArray(report.signature.parameters)).toBe(true);
  });

  it('violation: the finding, level and rule (the wait kind is not the finding kind filter)', async () => {
    await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: Buffer.from('not a session') });
    const [v] = await mock.client.waitFor('violation', { protocol: 'sqm-v1', level: 'error' });
    const found: Violation = v;
    expect(found).toMatchObject({ protocol: 'sqm-v1', level: 'error', rule: expect.stringMatching(/^sqm-v1\./) });
  });

  it('filters are typed per list (a mistyped key does not compile)', async () => {
    // @ts-expect-error `partnr` is no filter of sqm sessions
    await expect(mock.client.sqmSessions({ partnr: 'windows' })).rejects.toThrow(/partnr: unknown query parameter \(did you mean "partner"\?\)/);
    // @ts-expect-error `eventType` filters CER reports, not requests
    await expect(mock.client.waitFor('request', { eventType: 'APPCRASH', timeoutMs: 100 })).rejects.toThrow(/eventType: unknown query parameter/);
    // @ts-expect-error a violation kind is request, conversation or expectation
    await expect(mock.client.violations({ kind: 'warning' })).rejects.toThrow(/kind: expected request, conversation or expectation/);
    expect(await mock.client.cerReports({ eventType: 'APPCRASH', bucket: 100 })).toEqual([]);
  });
});

describe('unknown query parameters: 400 naming the parameter and the accepted ones', () => {
  it.each<[string, RegExp]>([
    ['/sqm/sessions?partnr=windows', /^partnr: unknown query parameter \(did you mean "partner"\?\); this route takes partner, mid, protocol, requestId, limit, since$/],
    [
      '/requests?protocl=sqm-v1',
      /^protocl: unknown query parameter \(did you mean "protocol"\?\); this route takes protocol, method, path, status, ruleName, limit, since, format$/,
    ],
    ['/violations?levl=all', /^levl: unknown query parameter \(did you mean "level"\?\); this route takes requestId, protocol, rule, level, kind, clientKey, limit, since$/],
    ['/cer/reports?eventtyp=APPCRASH', /^eventtyp: unknown query parameter \(did you mean "eventType"\?\)/],
    ['/cer/buckets?bucket=100', /^bucket: unknown query parameter; this route takes no query parameters$/],
    ['/cer/auth?request=1', /^request: unknown query parameter \(did you mean "requestId"\?\); this route takes requestId$/],
    ['/sqm/tokens?mid=x', /^mid: unknown query parameter; this route takes no query parameters$/],
    ['/conformance?fromat=junit', /^fromat: unknown query parameter \(did you mean "format"\?\); this route takes format$/],
    [
      '/wait?kind=sqm-session&partnr=windows',
      /^partnr: unknown query parameter \(did you mean "partner"\?\); this route takes kind, count, timeoutMs, partner, mid, protocol, requestId, limit, since$/,
    ],
    ['/wait?kind=violation&kind2=x', /^kind2: unknown query parameter \(did you mean "kind"\?\)/],
    ['/requests/1?x=1', /^x: unknown query parameter; this route takes no query parameters$/],
    ['/scenario?name=x', /^name: unknown query parameter; this route takes no query parameters$/],
  ])('GET %s', async (path, message) => {
    const r = await admin(path);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_QUERY');
    expect(r.body.error.message).toMatch(message);
  });

  it('the known ones still filter', async () => {
    await uploadV1('windows');
    await uploadV1('office');
    expect((await mock.client.sqmSessions({ partner: 'office' })).map((s) => s.partner)).toEqual(['office']);
    expect((await admin('/sqm/sessions?partner=office&limit=5')).status).toBe(200);
  });
});

describe('GET /__admin/wait timeoutMs', () => {
  it('over the maximum is a 400 naming the maximum, not a silent cap', async () => {
    const r = await admin('/wait?kind=request&timeoutMs=600001');
    expect(r).toEqual({ status: 400, body: { error: { code: 'BAD_QUERY', message: 'timeoutMs: expected at most 600000 (10 minutes, the longest wait), got 600001' } } });
    const e = await mock.client.waitFor('request', { timeoutMs: 3_600_000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AdminApiError);
    expect(e).toMatchObject({ status: 400, code: 'BAD_QUERY' });
  });

  it('the maximum itself waits (answered at once when the records are there)', async () => {
    await uploadV1();
    expect((await admin('/wait?kind=request&timeoutMs=600000')).status).toBe(200);
  });
});
