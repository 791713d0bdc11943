// Misbehaving upstreams behind the relay and the CEIP redirect (issue 13 item 7): a raw `net` server
// answers with a body shorter than its Content-Length, a chunked body cut before its last chunk, a
// body over --upstream-answer-limit, or a byte at a time past --upstream-timeout-ms. The client gets
// 502/504 with a one-line reason, never the upstream's 200; the forward leg records the outcome.

import net, { type AddressInfo } from 'node:net';
import type { MockServer } from '../../server';
import { send, type Reply } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

/** What the upstream does once it has read a whole request: writes to the socket, ends or destroys it. */
type Behaviour = (socket: net.Socket) => void;

let behave: Behaviour;
let upstream: net.Server;
let upstreamUrl: string;
const open = new Set<net.Socket>();
const timers = new Set<NodeJS.Timeout>();

/** Calls `use` once the request's head and its Content-Length of body have arrived. */
function onRequest(socket: net.Socket, use: () => void): void {
  let seen = Buffer.alloc(0);
  const read = (c: Buffer) => {
    seen = Buffer.concat([seen, c]);
    const end = seen.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(seen.subarray(0, end).toString('latin1'))?.[1] ?? 0);
    if (seen.length < end + 4 + length) return;
    socket.off('data', read);
    use();
  };
  socket.on('data', read);
}

beforeAll(async () => {
  upstream = net.createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => {});
    onRequest(socket, () => behave(socket));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterEach(() => {
  timers.forEach(clearInterval);
  open.forEach((s) => s.destroy());
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

/** Over the 1,000,000 the truncated answer declares, far under the 64 MiB default. */
const LIMIT = 1 << 21;
/** Long enough that a 4 MiB answer is read within it on a loaded machine (the over-limit cases are 502s, not 504s). */
const DEADLINE_MS = 1500;
const mock = useMock(() => ({ relayPort: 0, upstream: upstreamUrl, upstreamAnswerLimit: LIMIT, upstreamTimeoutMs: DEADLINE_MS, upstreamIdleMs: 5000 }));

const head = (lines: string[]) => `HTTP/1.1 ${lines.join('\r\n')}\r\n\r\n`;
const A = (n: number) => Buffer.alloc(n, 0x61);

/** Both forwarding routes: the relay listener and the CEIP redirect on the main one. */
const ROUTES: [string, () => string][] = [
  ['relay', () => `${mock.relayUrl}/sqm/windows/sqmserver.dll`],
  ['ceip', () => `${mock.url}/?partner=http://sqm.example/sqm/windows/sqmserver.dll`],
];

interface ForwardJson {
  status: number | null;
  outcome: string;
  error: string | null;
  responseSize: number;
}

/** The request behind `reply`, its forward leg, and the rule codes of its findings. */
async function recorded(m: MockServer, reply: Reply) {
  const id = Number(reply.headers.get('x-mock-request-id'));
  const record = (await m.client.request(id)) as { status: number; reason: string | null; forward?: ForwardJson };
  const rules = (await m.client.violations({ requestId: id })).map((v) => v.rule);
  return { record, forward: record.forward!, rules };
}

describe.each(ROUTES)('%s: a broken upstream answer is not passed off as success', (_name, url) => {
  it('Content-Length 1,000,000, closed after 1,000 bytes: 502 upstream.answer-truncated', async () => {
    behave = (s) => s.end(Buffer.concat([Buffer.from(head(['200 OK', 'Content-Length: 1000000'])), A(1000)]));
    const reply = await send(url(), { body: Buffer.from('data') });
    expect(reply.status).toBe(502);
    expect(reply.text).toMatch(/^upstream\.answer-truncated: http:\/\/127\.0\.0\.1:\d+\/\S+: the answer declared Content-Length 1000000; the connection ended after 1000 bytes/);
    const { record, forward, rules } = await recorded(mock, reply);
    expect(record.status).toBe(502);
    expect(forward).toMatchObject({ outcome: 'truncated', status: 200, responseSize: 1000 });
    expect(rules).toContain('upstream.answer-truncated');
  });

  it('a chunked answer cut before its last chunk: 502 upstream.answer-truncated', async () => {
    behave = (s) => s.end(Buffer.concat([Buffer.from(head(['200 OK', 'Transfer-Encoding: chunked']) + '3e8\r\n'), A(1000), Buffer.from('\r\n')]));
    const reply = await send(url(), { body: Buffer.from('data') });
    expect(reply.status).toBe(502);
    expect(reply.text).toMatch(/^upstream\.answer-truncated: \S+: the chunked answer ended after 1000 body bytes, before its last chunk/);
    const { forward, rules } = await recorded(mock, reply);
    expect(forward).toMatchObject({ outcome: 'truncated', status: 200, responseSize: 1000 });
    expect(rules).toContain('upstream.answer-truncated');
  });

  it.each([
    ['declared with Content-Length', ['200 OK', `Content-Length: ${2 * LIMIT}`], 0],
    ['chunked, no length declared', ['200 OK', 'Transfer-Encoding: chunked'], LIMIT],
  ])('an answer over --upstream-answer-limit (%s): 502 upstream.answer-too-large', async (_how, lines, kept) => {
    const chunked = lines.some((l) => l.startsWith('Transfer-Encoding'));
    const body = chunked ? `${(2 * LIMIT).toString(16)}\r\n${A(2 * LIMIT).toString()}\r\n0\r\n\r\n` : A(2 * LIMIT).toString();
    behave = (s) => s.end(head(lines) + body);
    const reply = await send(url(), { body: Buffer.from('data') });
    expect(reply.status).toBe(502);
    expect(reply.text).toMatch(
      new RegExp(`^upstream\\.answer-too-large: \\S+: the answer (?:declares Content-Length ${2 * LIMIT}, over|body is over) the ${LIMIT}-byte limit\\n$`),
    );
    const { forward, rules } = await recorded(mock, reply);
    expect(forward).toMatchObject({ outcome: 'too-large', status: 200, responseSize: kept });
    expect(rules).toContain('upstream.answer-too-large');
  });

  it('a byte every 50 ms, past --upstream-timeout-ms: 504 upstream.timeout at the deadline', async () => {
    // 120 bytes at 50 ms: 6 s in all, well past the 1.5 s deadline (and never 5 s silent).
    behave = (s) => {
      s.write(head(['200 OK', 'Content-Length: 120']));
      let sent = 0;
      const drip = setInterval(() => (++sent === 120 ? s.end('a') : s.write('a')), 50);
      timers.add(drip);
      s.on('close', () => clearInterval(drip));
    };
    const started = Date.now();
    const reply = await send(url(), { body: Buffer.from('data') });
    const took = Date.now() - started;
    expect(reply.status).toBe(504);
    expect(reply.text).toMatch(
      new RegExp(`^upstream\\.timeout: \\S+: the answer from 127\\.0\\.0\\.1:\\d+ was not complete in ${DEADLINE_MS} ms \\(status 200, \\d+ body bytes so far\\)`),
    );
    expect(took).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(took).toBeLessThan(DEADLINE_MS + 2500);
    const { record, forward, rules } = await recorded(mock, reply);
    expect(record.status).toBe(504);
    expect(forward).toMatchObject({ outcome: 'timeout', status: 200 });
    expect(rules).toContain('upstream.timeout');
  });

  it('a well-behaved upstream: its status, headers and body come back unchanged', async () => {
    const body = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a]);
    behave = (s) => s.end(Buffer.concat([Buffer.from(head(['201 Created', 'X-Upstream: yes', `Content-Length: ${body.length}`])), body]));
    const reply = await send(url(), { body: Buffer.from('data') });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('x-upstream')).toBe('yes');
    expect(reply.body.equals(body)).toBe(true);
    const { forward, rules } = await recorded(mock, reply);
    expect(forward).toMatchObject({ outcome: 'answered', status: 201, error: null, responseSize: body.length });
    expect(rules.filter((r) => r.startsWith('upstream.'))).toEqual([]);
  });

  it('an answer of exactly --upstream-answer-limit bytes, chunked, passes whole', async () => {
    behave = (s) => s.end(head(['200 OK', 'Transfer-Encoding: chunked']) + `${LIMIT.toString(16)}\r\n${A(LIMIT).toString()}\r\n0\r\n\r\n`);
    const reply = await send(url(), { body: Buffer.from('data') });
    expect(reply.status).toBe(200);
    expect(reply.body.equals(A(LIMIT))).toBe(true);
    expect((await recorded(mock, reply)).forward).toMatchObject({ outcome: 'answered', responseSize: LIMIT });
  });
});
