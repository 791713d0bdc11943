// The CEIP corporate redirect (MS-CCEIP) end to end: POST /?partner=<service url> with the partner
// in every form clients send it, refused without a valid one (3.1.3), captured, forwarded to an
// upstream (a second instance) or through `ceip.partnerMap`, the upstream's status passed back, and
// the 3.1.7 rule (no upload of the same data after a success). Also scenarios/ceip-retry.yaml (4.1).

import http from 'node:http';
import path from 'node:path';
import type { MockServer } from '../../server';
import { buildCabinet, buildSqmSession, buildWerReport } from '../../server/testing';
import { win7Capture } from '../helpers/fixtures';
import { closedPort } from '../helpers/http';
import { useMock, withMock } from '../helpers/lifecycle';

/** `forward` on a request record (GET /__admin/requests/:id). */
interface ForwardJson {
  url: string;
  method: string;
  status: number | null;
  error: string | null;
  requestSize: number;
  responseSize: number;
  responseHeaders: Record<string, string> | null;
}
interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The answering instance's request id (x-mock-request-id). */
  id: number;
}

const SERVICE_URL = 'https://sqm.microsoft.com/sqm/windows/sqmserver.dll';
/** MS-CCEIP 4.1: the service URL in double quotes, as Windows sends it. */
const EXAMPLE_PATH = `/?partner="${SERVICE_URL}"`;
const DATA = Buffer.from('CEIP data: a set of files, opaque to the redirect\r\n\u0000\u0001\u00ff', 'latin1');

/** POSTs with the path exactly as given (fetch would percent-encode the quotes). */
function post(base: string, rawPath: string, body: Uint8Array = DATA, method = 'POST'): Promise<RawReply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method, agent: false, headers: { 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body: b, text: b.toString('utf8'), id: Number(res.headers['x-mock-request-id']) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

type Detail = Awaited<ReturnType<MockServer['client']['request']>> & { forward?: ForwardJson };
const detail = async (m: MockServer, id: number) => (await m.client.request(id)) as Detail;

const service = useMock(); // the upstream: a second instance
const ceip = useMock(); // no --upstream
const ceipUp = useMock(() => ({ upstream: service.url })); // --upstream = the service

describe('the Partner query string (MS-CCEIP 2.2.1, 3.1.3)', () => {
  it('POST / without partner: 400 ceip.partner (MS-CCEIP 3.1.3), captured with a violation', async () => {
    const r = await post(ceip.url, '/');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^ceip\.partner \(MS-CCEIP 3\.1\.3\): no Partner= in the query string/);
    const d = await detail(ceip, r.id);
    expect(d).toMatchObject({ protocol: 'ceip', status: 400, partner: null, path: '/' });
    expect((await ceip.client.requestBody(r.id)).equals(DATA)).toBe(true);
    expect((await ceip.client.violations({ requestId: r.id })).map((v) => [v.rule, v.specRef, v.level])).toEqual([['ceip.partner', 'MS-CCEIP 3.1.3', 'error']]);
    expect(d.forward).toBeUndefined();
  });

  const accepted: [string, string][] = [
    ['quoted, as in the 4.1 example', EXAMPLE_PATH],
    ['Partner= (the 2.2.1 ABNF), unquoted', `/?Partner=${SERVICE_URL}`],
    ['quotes percent-encoded', `/?partner=%22${SERVICE_URL}%22`],
    ['fully percent-encoded, quoted', `/?partner=${encodeURIComponent(`"${SERVICE_URL}"`)}`],
    ['fully percent-encoded, unquoted, upper-case name', `/?PARTNER=${encodeURIComponent(SERVICE_URL)}`],
    ['after another pair', `/?lang=en&partner="${SERVICE_URL}"`],
  ];
  it.each(accepted)('%s → 200, partner recorded without quotes', async (_name, p) => {
    const r = await post(ceip.url, p);
    expect([r.status, r.body.length]).toEqual([200, 0]);
    expect(await detail(ceip, r.id)).toMatchObject({ protocol: 'ceip', path: p, partner: SERVICE_URL, status: 200 });
    expect(await ceip.client.violations()).toEqual([]);
  });

  const refused: [string, string, RegExp][] = [
    ['ftp', '/?partner="ftp://sqm.microsoft.com/sqm/windows/sqmserver.dll"', /not an http or https URL/],
    ['not a url', '/?partner=not%20a%20url', /not an absolute URL/],
    ['not a url, quoted', '/?partner=%22not%20a%20url%22', /not an absolute URL/],
    ['empty', '/?partner=', /empty/],
    ['empty quotes', '/?partner=""', /empty/],
    ['a relative path', '/?partner=/sqm/windows/sqmserver.dll', /not an absolute URL/],
  ];
  it.each(refused)('%s → 400 ceip.partner', async (_name, p, reason) => {
    const r = await post(ceip.url, p);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/^ceip\.partner \(MS-CCEIP 3\.1\.3\): /);
    expect(r.text).toMatch(reason);
    expect((await ceip.client.violations({ requestId: r.id })).map((v) => v.rule)).toEqual(['ceip.partner']);
  });

  it('a GET with a partner: 405 (MS-CCEIP 2.2: CEIP data is sent with POST)', async () => {
    const r = await post(ceip.url, EXAMPLE_PATH, Buffer.alloc(0), 'GET');
    expect([r.status, r.headers.allow]).toEqual([405, 'POST']);
    expect((await ceip.client.violations({ requestId: r.id })).map((v) => [v.rule, v.specRef])).toEqual([['ceip.method', 'MS-CCEIP 2.2']]);
  });
});

describe('without an upstream', () => {
  it('answers 200 and captures the data byte for byte', async () => {
    const r = await post(ceip.url, EXAMPLE_PATH);
    expect([r.status, r.body.length]).toEqual([200, 0]);
    expect((await ceip.client.requestBody(r.id)).equals(DATA)).toBe(true);
    expect((await detail(ceip, r.id)).forward).toBeUndefined();
    expect(await service.client.requests()).toEqual([]);
  });
});

describe("with an upstream (--upstream: base URL, the request's path and query appended)", () => {
  it("forwards the data; the upstream's status passes back; both legs captured", async () => {
    const r = await post(ceipUp.url, EXAMPLE_PATH);
    expect(r.status).toBe(200);
    const d = await detail(ceipUp, r.id);
    expect(d.forward).toMatchObject({ url: `${service.url}${EXAMPLE_PATH}`, method: 'POST', status: 200, error: null, requestSize: DATA.length });
    const serviceId = Number(d.forward!.responseHeaders!['x-mock-request-id']);
    // The service is a CEIP server too: it got the same path, query and bytes.
    expect(await detail(service, serviceId)).toMatchObject({ protocol: 'ceip', method: 'POST', path: EXAMPLE_PATH, partner: SERVICE_URL });
    expect((await service.client.requestBody(serviceId)).equals(DATA)).toBe(true);
    expect((await ceipUp.client.forwardBody(r.id, 'sent')).equals(DATA)).toBe(true);
  });

  it("a base URL with a path: path and query are appended; the upstream's 404 and its body come back", async () => {
    // The service is a CEIP server on every path (3.1.1); a rule makes it answer 404 there.
    await service.client.setScenario({ rules: [{ when: { protocol: 'ceip', path: '/corp/*' }, respond: { status: 404, body: 'no CEIP here' } }] });
    await withMock({ upstream: `${service.url}/corp/ceip/` }, async (m) => {
      const r = await post(m.url, EXAMPLE_PATH);
      const d = await detail(m, r.id);
      expect(d.forward!.url).toBe(`${service.url}/corp/ceip${EXAMPLE_PATH}`);
      const serviceRecord = await detail(service, Number(d.forward!.responseHeaders!['x-mock-request-id']));
      expect(serviceRecord).toMatchObject({ protocol: 'ceip', path: `/corp/ceip${EXAMPLE_PATH}`, status: 404, responseBody: 'no CEIP here' });
      expect([r.status, r.text]).toEqual([404, serviceRecord.responseBody]);
    });
  });

  it('the upstream answering 503 (a scenario rule on it): 503 comes back, with its headers and body', async () => {
    await service.client.setScenario({
      rules: [{ name: 'busy', when: { protocol: 'ceip' }, respond: { status: 503, headers: { 'Retry-After': '5', 'X-Upstream': 'service' }, body: 'try later' } }],
    });
    const r = await post(ceipUp.url, EXAMPLE_PATH);
    expect([r.status, r.headers['retry-after'], r.headers['x-upstream'], r.text]).toEqual([503, '5', 'service', 'try later']);
    const d = await detail(ceipUp, r.id);
    expect([d.status, d.forward!.status]).toEqual([503, 503]);
  });

  it('the upstream down: 502, captured, the error in forward.error', async () => {
    await withMock({ upstream: `http://127.0.0.1:${await closedPort()}` }, async (m) => {
      const r = await post(m.url, EXAMPLE_PATH);
      expect(r.status).toBe(502);
      expect(r.text).toMatch(/^ceip\.upstream: http:\/\/127\.0\.0\.1:\d+\/\?partner=.* could not be reached \(ECONNREFUSED/);
      const d = await detail(m, r.id);
      expect(d.status).toBe(502);
      expect(d.forward).toMatchObject({ status: null, responseSize: 0, requestSize: DATA.length });
      expect(d.forward!.error).toMatch(/^ECONNREFUSED/);
      expect((await m.client.requestBody(r.id)).equals(DATA)).toBe(true);
    });
  });

  it("the scenario's ceip.upstream is used when there is no --upstream", async () => {
    await ceip.client.setScenario({ ceip: { upstream: service.url } });
    const r = await post(ceip.url, EXAMPLE_PATH);
    expect(r.status).toBe(200);
    expect((await detail(ceip, r.id)).forward!.url).toBe(`${service.url}${EXAMPLE_PATH}`);
    expect(await service.client.requests({ protocol: 'ceip' })).toHaveLength(1);
  });
});

describe('ceip.partnerMap: the real service URL → the second instance', () => {
  it("an SQM v1 session posted through CEIP lands decoded in the second instance's sessions", async () => {
    await ceip.client.setScenario({ ceip: { partnerMap: { [SERVICE_URL]: `${service.url}/sqm/windows/sqmserver.dll` } } });
    const session = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 6, value: 7601 }] }] });
    const r = await post(ceip.url, EXAMPLE_PATH, session);
    expect([r.status, r.body.length]).toEqual([200, 0]);
    const d = await detail(ceip, r.id);
    expect(d.forward).toMatchObject({ url: `${service.url}/sqm/windows/sqmserver.dll`, status: 200 });
    const [s] = await service.client.sqmSessions();
    expect(s).toMatchObject({ partner: 'windows', protocolVersion: 1, accepted: true });
    expect(s.sections[0].datapoints).toEqual([{ id: 6, value: 7601, tickCount: 0 }]);
    // The redirect does not change the data (only the SQM relay does).
    expect((await service.client.requestBody(s.requestId)).equals(session)).toBe(true);
    expect(s.header.flags).toBe(0);
    expect((await detail(service, s.requestId)).path).toBe('/sqm/windows/sqmserver.dll');
  });

  it('a partner that is not in the map is not forwarded (no upstream)', async () => {
    await ceip.client.setScenario({ ceip: { partnerMap: { [SERVICE_URL]: `${service.url}/sqm/windows/sqmserver.dll` } } });
    const r = await post(ceip.url, '/?partner="https://sqm.microsoft.com/sqm/office/sqmserver.dll"');
    expect(r.status).toBe(200);
    expect((await detail(ceip, r.id)).forward).toBeUndefined();
    expect(await service.client.requests()).toEqual([]);
  });
});

describe('the same data after a success (MS-CCEIP 3.1.7)', () => {
  it('is recorded as a ceip.resent violation; other data is not', async () => {
    const first = await post(ceip.url, EXAMPLE_PATH);
    const other = await post(ceip.url, EXAMPLE_PATH, Buffer.from('other data'));
    const again = await post(ceip.url, `/?Partner=${SERVICE_URL}`);
    expect([first.status, other.status, again.status]).toEqual([200, 200, 200]);
    const v = await ceip.client.violations();
    expect(v.map((x) => [x.requestId, x.rule, x.specRef, x.level])).toEqual([[again.id, 'ceip.resent', 'MS-CCEIP 3.1.7', 'warning']]);
  });

  it('after a failure answer a retry is no violation', async () => {
    await service.client.setScenario({ rules: [{ when: { protocol: 'ceip' }, times: 1, respond: { status: 500 } }] });
    const replies = [await post(ceipUp.url, EXAMPLE_PATH), await post(ceipUp.url, EXAMPLE_PATH)];
    expect(replies.map((r) => r.status)).toEqual([500, 200]);
    expect(await ceipUp.client.violations()).toEqual([]);
  });
});

describe('scenarios/ceip-retry.yaml: the MS-CCEIP 4.1 redirection example', () => {
  it('fail, retry, success; a further upload of the same data is a ceip.resent violation', async () => {
    await withMock({ scenario: path.resolve(__dirname, '../../scenarios/ceip-retry.yaml') }, async (m) => {
      expect((await m.client.scenario()).name).toBe('ceip-retry');
      // A request without a partner is refused and does not use up the failure.
      expect((await post(m.url, '/')).status).toBe(400);
      // 2-3: the CEIP client uploads; the CEIP server returns a failure code.
      const failed = await post(m.url, EXAMPLE_PATH);
      expect([failed.status, failed.headers['retry-after'], failed.text]).toEqual([503, '1', 'CEIP server busy, retry later']);
      // 4-5: the client reattempts; the server returns a success code.
      const ok = await post(m.url, EXAMPLE_PATH);
      expect([ok.status, ok.body.length]).toEqual([200, 0]);
      expect(await m.client.violations({ protocol: 'ceip', level: 'warning' })).toEqual([]);
      // 6: having received success, the client must not upload the same data again.
      const resent = await post(m.url, EXAMPLE_PATH);
      expect(resent.status).toBe(200);
      expect((await m.client.violations({ level: 'warning' })).map((v) => [v.requestId, v.rule, v.specRef])).toEqual([[resent.id, 'ceip.resent', 'MS-CCEIP 3.1.7']]);
      expect((await m.client.requests()).map((x) => [x.status, x.ruleName])).toEqual([
        [400, null],
        [503, 'first-upload-fails'],
        [200, null],
        [200, null],
      ]);
      // POST /__admin/reset starts the count again.
      await m.client.reset();
      expect((await post(m.url, EXAMPLE_PATH)).status).toBe(503);
    });
  });
});

describe('every form of the redirect URL (MS-CCEIP 2.2.1, 3.1.1: CorporateSQMUrl may be any URL)', () => {
  const forms: [string, string, string][] = [
    ['any path, unquoted', '/any/path?partner=http://x/y', 'http://x/y'],
    ['quoted, the URL with its own query kept whole', '/?Partner="http://x/a?b=1&c=2"', 'http://x/a?b=1&c=2'],
    ['unquoted and literal: the rest of the query is the URL', '/?partner=http://x/a?b=1&c=2', 'http://x/a?b=1&c=2'],
    ['a + is part of the URL, not a space', '/corp/sqm?partner=http://x/a+b', 'http://x/a+b'],
  ];
  it.each(forms)('%s → 200, partner %s', async (_name, p, partner) => {
    const r = await post(ceip.url, p);
    expect(r.status).toBe(200);
    expect(await detail(ceip, r.id)).toMatchObject({ protocol: 'ceip', path: p, partner });
  });

  it('forwards a request on another path with its path and query appended to the upstream', async () => {
    const p = '/corp/ceip/upload?Partner="http://x/a?b=1&c=2"';
    const r = await post(ceipUp.url, p);
    expect(r.status).toBe(200);
    const d = await detail(ceipUp, r.id);
    expect(d.forward).toMatchObject({ url: `${service.url}${p}`, status: 200 });
    expect(await detail(service, Number(d.forward!.responseHeaders!['x-mock-request-id']))).toMatchObject({ protocol: 'ceip', path: p, partner: 'http://x/a?b=1&c=2' });
  });
});

describe('SQM data posted through CEIP is decoded (MS-CCEIP 1.3, MS-SQMCS 2.2.4)', () => {
  it('the MS-SQMCS 4.1 capture: listed by /__admin/sqm/sessions with the partner and source ceip', async () => {
    const r = await post(ceip.url, `/any/path?partner="${SERVICE_URL}"`, win7Capture());
    expect(r.status).toBe(200);
    const sessions = await ceip.client.sqmSessions({ partner: 'windows' });
    expect(sessions).toHaveLength(1);
    const [s] = sessions;
    expect(s).toMatchObject({ requestId: r.id, protocolVersion: 1, partner: 'windows', accepted: true, context: { source: 'ceip', partnerUrl: SERVICE_URL } });
    expect(s.sections.map((c) => c.typeName)).toEqual(['dword', 'string', 'stream', 'raw', 'stream']);
    expect(s.sections[0].datapoints).toHaveLength(41);
    expect(await ceip.client.violations({ requestId: r.id })).toEqual([]);
  });
});

describe("routing: a partner= in the query never takes another protocol's path", () => {
  const q = `?partner="${SERVICE_URL}"`;
  it('an SQM v1 upload to /sqm/<partner>/sqmserver.dll?partner=… is SQM v1', async () => {
    const r = await post(ceip.url, `/sqm/windows/sqmserver.dll${q}`, win7Capture());
    expect(await detail(ceip, r.id)).toMatchObject({ protocol: 'sqm-v1', status: 200 });
    expect((await ceip.client.sqmSessions())[0].context).toBeUndefined();
  });

  it('a CER level-1 report to /stage2.htm?partner=… is CER', async () => {
    const r = await post(ceip.url, `/stage2.htm${q}`, buildWerReport());
    expect((await detail(ceip, r.id)).protocol).toBe('cer');
  });

  it('a level-2 PUT to the issued DumpFile with ?partner=… is CER level 2', async () => {
    const l1 = await post(ceip.url, '/stage2.htm', buildWerReport());
    const dump = /DumpFile=(.*)\r\n/.exec(l1.text)![1].replace(/\\/g, '/');
    const r = await post(ceip.url, `${dump}${q}`, buildCabinet(Buffer.from('dump')), 'PUT');
    expect((await detail(ceip, r.id)).protocol).toBe('cer-level2');
  });

  it('the admin API with ?partner=… is the admin API', async () => {
    const r = await post(ceip.url, `/__admin/health${q}`, Buffer.alloc(0), 'GET');
    expect([r.status, r.text]).toEqual([200, '{"status":"ok"}']);
  });
});
