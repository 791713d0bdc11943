// forward() against a local HTTP server: the request as sent (method, headers, body, length), the
// answer as received (status, headers, body), and the failures it resolves with instead of throwing.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPort } from '../../test/helpers/http';
import { forward, forwardHeaders } from './forward';

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer };
let server: http.Server;
let base: string;
let seen: Seen[] = [];
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  seen = [];
  answer = (_req, res) => res.end();
});
afterEach(() => server.closeAllConnections());
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('forward', () => {
  it('sends method, path and query, headers and body; resolves with status, headers and body', async () => {
    answer = (_req, res) => {
      res.writeHead(201, { 'x-upstream': 'yes', 'content-type': 'text/plain' });
      res.end('created');
    };
    const body = Buffer.from([0, 1, 2, 255, 254]);
    const r = await forward({ url: `${base}/sqm/windows/sqmserver.dll?a=1`, method: 'PUT', headers: { 'X-Client': 'c1' }, body });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/sqm/windows/sqmserver.dll?a=1', body });
    expect(seen[0].headers).toMatchObject({ 'x-client': 'c1', 'content-length': '5', host: base.slice('http://'.length) });
    expect(r).toMatchObject({ outcome: 'answered', status: 201, error: null, body: Buffer.from('created') });
    expect(r.headers).toMatchObject({ 'x-upstream': 'yes', 'content-type': 'text/plain' });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  const paths: [string, string][] = [
    ['the MS-CCEIP 4.1 partner, double quotes and all', '/?partner="https://sqm.microsoft.com/sqm/windows/sqmserver.dll"'],
    ['backslashes (a CER DumpFile path)', '/\\PersistedCabs\\APPCRASH\\100\\x.cab'],
    ['percent-encoding left as it is', '/a%20b/%5C?q=%22x%22&r=a+b'],
    ['characters URL would encode', '/{x}|^`<y>?z="1"'],
    ['a base path before the request path', '/corp/ceip/?Partner=x'],
  ];
  it.each(paths)('sends the path and query exactly as given: %s', async (_name, p) => {
    const r = await forward({ url: `${base}${p}`, method: 'POST', headers: {}, body: Buffer.alloc(0) });
    expect(r.status).toBe(200);
    expect(seen[0].url).toBe(p);
  });

  it('sends / for a bare origin', async () => {
    await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0) });
    expect(seen[0].url).toBe('/');
  });

  it('passes an error status and an empty body as they are', async () => {
    answer = (_req, res) => {
      res.writeHead(503, { 'retry-after': '5' });
      res.end();
    };
    const r = await forward({ url: `${base}/`, method: 'GET', headers: {}, body: Buffer.alloc(0) });
    expect(r).toMatchObject({ status: 503, error: null, headers: expect.objectContaining({ 'retry-after': '5' }) });
    expect(r.body.length).toBe(0);
    expect(seen[0].method).toBe('GET');
  });

  it('joins a repeated answer header with ", "', async () => {
    answer = (_req, res) => {
      res.setHeader('x-many', ['a', 'b']);
      res.end();
    };
    expect((await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0) })).headers['x-many']).toBe('a, b');
  });

  it('takes an answer of exactly maxBody bytes; one byte more is too-large, its first maxBody bytes kept', async () => {
    answer = (_req, res) => res.end(Buffer.alloc(1000, 0x61));
    expect(await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0), maxBody: 1000 })).toMatchObject({ outcome: 'answered', status: 200, error: null });
    answer = (_req, res) => {
      res.write(Buffer.alloc(1000, 0x61));
      res.end(Buffer.from('b'));
    };
    const r = await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0), maxBody: 1000 });
    expect(r).toMatchObject({ outcome: 'too-large', status: 200, error: 'the answer body is over the 1000-byte limit' });
    expect(r.body.equals(Buffer.alloc(1000, 0x61))).toBe(true);
  });

  it('gives up on an answer declaring more than maxBody before reading it', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-length': String(1 << 30) });
      res.write('x');
    };
    const r = await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0), maxBody: 1000 });
    expect(r).toMatchObject({ outcome: 'too-large', status: 200, error: 'the answer declares Content-Length 1073741824, over the 1000-byte limit' });
  });

  it('opens a fresh connection for every request (a pooled one the upstream closed would fail)', async () => {
    const ports: number[] = [];
    answer = (req, res) => {
      ports.push(req.socket.remotePort!);
      res.end('ok');
    };
    const send = () => forward({ url: base, method: 'POST', headers: {}, body: Buffer.from('x') });
    expect((await send()).status).toBe(200);
    server.closeAllConnections(); // what an upstream's keep-alive timeout does
    const second = await send();
    expect([second.status, second.error]).toEqual([200, null]);
    expect(new Set(ports).size).toBe(2);
    expect(seen.map((s) => s.headers.connection)).toEqual(['close', 'close']);
  });

  it('resolves with the error when the upstream cannot be reached', async () => {
    const r = await forward({ url: `http://127.0.0.1:${await closedPort()}/`, method: 'POST', headers: {}, body: Buffer.from('x') });
    expect(r).toMatchObject({ outcome: 'unreachable', status: null, body: Buffer.alloc(0), headers: {} });
    expect(r.error).toMatch(/^ECONNREFUSED: /);
  });

  it('resolves with the error for a URL that is not one', async () => {
    const r = await forward({ url: 'not a url', method: 'POST', headers: {}, body: Buffer.alloc(0) });
    expect(r).toMatchObject({ outcome: 'unreachable', status: null, error: 'not a URL: not a url' });
  });

  it('gives up after timeoutMs when the upstream does not answer', async () => {
    answer = () => {}; // never answers
    const started = Date.now();
    const r = await forward({ url: base, method: 'POST', headers: {}, body: Buffer.from('x'), timeoutMs: 200 });
    expect(r).toMatchObject({ outcome: 'timeout', status: null });
    expect(r.error).toMatch(/^the answer from 127\.0\.0\.1:\d+ was not complete in 200 ms \(no answer yet\)$/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('gives up after timeoutMs on an answer that keeps dripping (the idle time never runs out)', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write('x')), 20);
      res.on('close', () => clearInterval(drip));
    };
    const r = await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0), timeoutMs: 300, idleMs: 200 });
    expect(r).toMatchObject({ outcome: 'timeout', status: 200 });
    expect(r.error).toMatch(/was not complete in 300 ms \(status 200, \d+ body bytes so far\)$/);
    expect(r.body.length).toBeGreaterThan(0);
  });

  it('gives up after idleMs of silence within the answer', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('x');
    };
    const r = await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0), timeoutMs: 5000, idleMs: 200 });
    expect(r).toMatchObject({ outcome: 'timeout', status: 200, body: Buffer.from('x') });
    expect(r.error).toMatch(/^no byte from 127\.0\.0\.1:\d+ for 200 ms \(status 200, 1 body bytes so far\)$/);
  });

  it('keeps the status and what arrived when the answer breaks off mid-body: truncated', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => res.socket?.destroy());
    };
    const r = await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0) });
    expect(r).toMatchObject({ outcome: 'truncated', status: 200 });
    expect(r.error).toMatch(/^the answer declared Content-Length 100; the connection ended after 7 bytes/);
    expect(r.body.toString()).toBe('partial');
  });

  it('a chunked answer cut before its last chunk is truncated', async () => {
    answer = (_req, res) => {
      res.writeHead(200); // chunked
      res.write('partial', () => res.socket?.destroy());
    };
    const r = await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0) });
    expect(r).toMatchObject({ outcome: 'truncated', status: 200, body: Buffer.from('partial') });
    expect(r.error).toMatch(/^the chunked answer ended after 7 body bytes, before its last chunk/);
  });

  it('an answer without a length ends with the connection: answered', async () => {
    answer = (_req, res) => {
      res.useChunkedEncodingByDefault = false;
      res.writeHead(200, { connection: 'close' });
      res.end('all of it');
    };
    const r = await forward({ url: base, method: 'POST', headers: {}, body: Buffer.alloc(0) });
    expect(r).toMatchObject({ outcome: 'answered', status: 200, error: null, body: Buffer.from('all of it') });
  });
});

describe('forwardHeaders', () => {
  it('drops hop-by-hop headers and the ones forward() recomputes, keeps the rest as sent', () => {
    const raw: [string, string][] = [
      ['Host', 'relay:53533'],
      ['Connection', 'keep-alive'],
      ['Keep-Alive', 'timeout=5'],
      ['Proxy-Connection', 'x'],
      ['Transfer-Encoding', 'chunked'],
      ['TE', 'trailers'],
      ['Trailer', 'x'],
      ['Upgrade', 'h2c'],
      ['Content-Length', '10'],
      ['Content-Type', 'application/octet-stream'],
      ['User-Agent', 'MSDW'],
      ['X-Custom', 'v'],
    ];
    expect(forwardHeaders(raw)).toEqual({ 'Content-Type': 'application/octet-stream', 'User-Agent': 'MSDW', 'X-Custom': 'v' });
  });
});
