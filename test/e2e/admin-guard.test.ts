// The admin API against a web page and a relay (issue 13 item 13): a Host that is not the mock's
// (DNS rebinding), a cross-origin form POST (CSRF), /__admin on the relay listener, and byte answers
// a browser must not render. curl and the typed client keep working.

import { execFile } from 'node:child_process';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { buildSqmSession } from '../../server/testing';
import { send } from '../helpers/http';
import { useMock, withMock } from '../helpers/lifecycle';

const SQM = '/sqm/windows/sqmserver.dll';
const run = promisify(execFile);

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** One request with exactly these headers (Host included), as a browser or a rebound page sends it. */
function raw(url: string, method: string, headers: Record<string, string> = {}, body = ''): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text.startsWith('{') ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const mock = useMock();
const port = () => new URL(mock.url).port;
const admin = (p: string) => `${mock.url}/__admin${p}`;
const upload = async () => (await send(`${mock.url}${SQM}`, { body: buildSqmSession() })).status;
const requestCount = async () => (await mock.client.requests()).length;

describe('the Host check (DNS rebinding)', () => {
  it.each(['evil.example', 'rebind.attacker.test', '127.0.0.1.nip.io'])('a page at %s (DNS pointed at 127.0.0.1) is refused: 403 HOST_NOT_ALLOWED', async (name) => {
    const r = await raw(admin('/requests'), 'GET', { host: `${name}:${port()}` });
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('HOST_NOT_ALLOWED');
    expect(r.json.error?.message).toContain('--admin-allowed-hosts');
  });

  it.each(['localhost', '127.0.0.1', '[::1]', 'LocalHost.', 'mock.localhost', '10.1.2.3'])('Host %s:PORT (loopback names, IP literals) is answered', async (name) => {
    expect((await raw(admin('/health'), 'GET', { host: `${name}:${port()}` })).status).toBe(200);
  });

  it('--admin-allowed-hosts adds names (any case, spaces around commas)', () =>
    withMock({ adminAllowedHosts: 'mock.test, other.test' }, async (m) => {
      const p = new URL(m.url).port;
      for (const name of ['mock.test', 'OTHER.test']) expect((await raw(`${m.url}/__admin/health`, 'GET', { host: `${name}:${p}` })).status).toBe(200);
      expect((await raw(`${m.url}/__admin/health`, 'GET', { host: `third.test:${p}` })).status).toBe(403);
    }));

  it('--admin-token replaces the checks with the token', () =>
    withMock({ adminToken: 's3cret' }, async (m) => {
      const r = await raw(`${m.url}/__admin/reset`, 'POST', { host: 'evil.example', origin: 'http://evil.example', authorization: 'Bearer s3cret' });
      expect(r.status).toBe(200);
      expect((await raw(`${m.url}/__admin/health`, 'GET', { host: 'evil.example' })).status).toBe(401);
    }));
});

describe('state changes from another origin (CSRF)', () => {
  const here = () => `http://127.0.0.1:${port()}`;
  const browserForm = () => ({
    host: `127.0.0.1:${port()}`,
    origin: 'http://evil.example',
    'content-type': 'application/x-www-form-urlencoded',
    'sec-fetch-site': 'cross-site',
    'sec-fetch-mode': 'navigate',
  });

  it('a cross-origin form POST /__admin/reset gets 403 CROSS_ORIGIN and the store is not reset', async () => {
    expect(await upload()).toBe(200);
    const r = await raw(admin('/reset'), 'POST', browserForm(), 'x=1');
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('CROSS_ORIGIN');
    expect(r.json.error?.message).toMatch(/^refused a cross-site POST \/__admin\/reset: Origin http:\/\/evil\.example/);
    expect(await requestCount()).toBe(1);
  });

  it.each<[string, Record<string, string>]>([
    ['an Origin of another site, JSON', { origin: 'http://evil.example', 'content-type': 'application/json' }],
    ['an Origin on another port', { origin: 'http://127.0.0.1:1', 'content-type': 'application/json' }],
    ['an https Origin for this http listener', { origin: 'https://127.0.0.1:PORT' }],
    ['Origin: null (a sandboxed page)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site without Origin', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (another port of this host)', { 'sec-fetch-site': 'same-site' }],
    ['a no-cors text/plain POST of JSON', { 'sec-fetch-mode': 'no-cors', 'content-type': 'text/plain;charset=UTF-8' }],
    ['a same-origin page posting a form', { origin: 'http://127.0.0.1:PORT', 'content-type': 'multipart/form-data; boundary=x' }],
  ])('refused: %s', async (_name, headers) => {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', port())]));
    const before = await mock.client.clock();
    const r = await raw(admin('/clock'), 'POST', { host: `127.0.0.1:${port()}`, ...h }, '{"advanceSeconds": 86400}');
    expect([r.status, r.json.error?.code]).toEqual([403, 'CROSS_ORIGIN']);
    expect((await mock.client.clock()).offsetSeconds).toBe(before.offsetSeconds);
  });

  it('cross-origin PUT /__admin/scenario is refused too; GETs are not state changes', async () => {
    const r = await raw(admin('/scenario'), 'PUT', { origin: 'http://evil.example', 'content-type': 'text/plain' }, 'rules: [{ respond: { status: 503 } }]');
    expect(r.status).toBe(403);
    expect(await upload()).toBe(200);
    expect((await raw(admin('/requests'), 'GET', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });

  it('same-origin JSON, and requests without Origin (curl, scripts), are answered', async () => {
    const r = await raw(admin('/clock'), 'POST', { origin: here(), 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, '{"advanceSeconds": 60}');
    expect(r.status).toBe(200);
    expect((await mock.client.clock()).offsetSeconds).toBeGreaterThanOrEqual(60);
    // Node's fetch sends a string body as text/plain and Sec-Fetch-Mode: cors, without Origin.
    const res = await fetch(admin('/clock'), { method: 'POST', body: '{"advanceSeconds": 60}' });
    expect(res.status).toBe(200);
    await mock.client.reset();
    expect(await requestCount()).toBe(0);
  });

  it('the curl examples of docs/admin-api.md and docs/scenarios.md work: POST reset, PUT --data-binary and -F scenario', async () => {
    // Asynchronously: the mock runs in this process.
    const curl = async (...args: string[]) => (await run('curl', ['-s', '-m', '10', '-o', '/dev/null', '-w', '%{http_code}', ...args], { cwd: `${__dirname}/../..` })).stdout;
    expect(await upload()).toBe(200);
    expect(await curl('-X', 'POST', admin('/reset'))).toBe('200');
    expect(await requestCount()).toBe(0);
    expect(await curl('-X', 'PUT', '--data-binary', '@scenarios/throttle-403.yaml', admin('/scenario'))).toBe('200');
    expect(await curl('-X', 'PUT', '-F', 'scenario=@scenarios/throttle-403.yaml', admin('/scenario'))).toBe('200');
    expect(await curl(`http://localhost:${port()}/__admin/health`)).toBe('200');
    expect(await upload()).toBe(403);
  });
});

describe('byte answers are downloads, never rendered', () => {
  it('GET /__admin/requests/:id/body: nosniff and Content-Disposition: attachment', async () => {
    const page = Buffer.from('<html><script>alert(document.domain)</script></html>');
    const id = Number((await send(`${mock.url}/upload.html`, { body: page, headers: { 'content-type': 'text/html' } })).headers.get('x-mock-request-id'));
    const res = await fetch(admin(`/requests/${id}/body`));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="request-${id}-body.bin"`);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(page)).toBe(true);
  });
});

describe('/__admin on the relay listener is never forwarded', () => {
  let hits: string[] = [];
  const counting = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.end('upstream'));
  });
  let upstream = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    upstream = `http://127.0.0.1:${(counting.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => counting.close(() => resolve())));
  beforeEach(() => (hits = []));

  it.each([
    '/__admin/reset',
    '/__admin',
    '/__ADMIN/reset',
    '/%5F%5Fadmin/reset',
    '/%255F_admin/reset',
    '//__admin/reset',
    '/x/../__admin/reset',
    '/__admin?x=1',
    '/\\__admin\\reset',
  ])('%s: 404 relay.admin-path, the upstream sees nothing', (target) =>
    withMock({ relayPort: 0, upstream }, async (m) => {
      const r = await raw(`${m.relayUrl}${target}`, 'POST');
      expect(r.status).toBe(404);
      expect(hits).toEqual([]);
      const [v] = await m.client.violations({ protocol: 'relay' });
      expect(v).toMatchObject({ rule: 'relay.admin-path', level: 'warning', specRef: 'MS-SQMCS 3.3.5' });
      // Other paths still go on.
      expect((await send(`${m.relayUrl}/__administrator`, { method: 'GET' })).text).toBe('upstream');
      expect(hits).toEqual(['GET /__administrator']);
    }),
  );

  it("docs/ceip-relay.md's A→B setup: POST /__admin/reset on A's relay port does not reset mock B", () =>
    withMock({}, (b) =>
      withMock({ relayPort: 0, upstream: b.url }, async (a) => {
        expect((await send(`${a.relayUrl}${SQM}`, { body: buildSqmSession() })).status).toBe(200);
        expect((await raw(`${a.relayUrl}/__admin/reset`, 'POST')).status).toBe(404);
        expect(await b.client.sqmSessions()).toHaveLength(1);
      }),
    ));
});
