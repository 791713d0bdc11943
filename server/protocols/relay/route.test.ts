// The SQM relay handler (MS-SQMCS 3.3, MS-SQMCS2 3.3) on plain requests, its upstream unreachable:
// what it sends on (augmented or byte for byte), the 502 and the forward row, and a rule's answer.

import { handlerContext, removeTempDirs, ruleRefs, rowsOf, stmts, text, wireRequest, type RequestInit } from '../../../test/helpers/handler-context';
import type { MockOptions } from '../../config';
import { decodeSqmSession } from '../../codecs/sqm-session/codec';
import { FLAG_FROM_PROXY, type DwordSection } from '../../codecs/sqm-session/types';
import { buildSqmSession, buildSqmV2Message } from '../../testing';
import { Readable } from 'node:stream';
import { isAdminTarget, relayRoute } from './route';

const DOWN = 'http://127.0.0.1:1';
const URL = '/sqm/windows/sqmserver.dll';
const MOCK_ID = 0x4d4f434b;
const session = () => buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 5, value: 9 }] }] });
const run = async (init: Partial<RequestInit> = {}, scenario: unknown = {}, options: MockOptions = {}) =>
  relayRoute.handle(wireRequest({ listener: 'relay', url: URL, body: session(), ...init }), handlerContext(scenario, { upstream: DOWN, ...options }), undefined);
const sent = (o: Awaited<ReturnType<typeof run>>) => rowsOf(o, 'upstream:forward')[0].params.requestBody as Buffer;
const dataPoints = (bytes: Buffer) => {
  const s = decodeSqmSession(bytes, { maxRawBytes: 1 << 20 }).value!;
  return { fromProxy: (s.header.flags & FLAG_FROM_PROXY) !== 0, points: (s.sections.find((c) => c.typeName === 'dword') as DwordSection).datapoints.map((p) => [p.id, p.value]) };
};

afterAll(removeTempDirs);

describe('relay: every request goes upstream (here unreachable: 502)', () => {
  it('502 naming the target, and the forward row: method, path and query kept, hop-by-hop headers dropped', async () => {
    const o = await run({ method: 'PUT', url: URL + '?a=1', headers: { Host: 'relay', 'Transfer-Encoding': 'chunked', 'User-Agent': 'SQM' } }, {}, { upstream: DOWN + '/' });
    expect(o).toMatchObject({ protocol: 'relay', partner: null, ruleName: null, answer: { status: 502 } });
    expect(o.answer.reason).toMatch(/^relay\.upstream: http:\/\/127\.0\.0\.1:1\/sqm\/windows\/sqmserver\.dll\?a=1 could not be reached/);
    expect(stmts(o)).toEqual(['upstream:forward']);
    const p = rowsOf(o, 'upstream:forward')[0].params;
    expect(p).toMatchObject({ url: `${DOWN}${URL}?a=1`, method: 'PUT', status: null });
    expect(JSON.parse(p.requestHeaders as string)).toEqual({ 'User-Agent': 'SQM' });
    expect(p.error).toMatch(/ECONNREFUSED/);
  });

  it('an SQM v1 session goes on augmented: the MOCK data point added, Flags bit 7 set', async () => {
    const o = await run();
    expect(ruleRefs(o)).toEqual([['relay.augmented', 'MS-SQMCS 3.3.5', 'info']]);
    expect(dataPoints(sent(o))).toEqual({
      fromProxy: true,
      points: [
        [5, 9],
        [MOCK_ID, 1],
      ],
    });
  });

  it('--relay-datapoint-id and -value choose the data point', async () => {
    const o = await run({}, {}, { relayDatapointId: 77, relayDatapointValue: 3 });
    expect(dataPoints(sent(o)).points).toEqual([
      [5, 9],
      [77, 3],
    ]);
  });

  it('an SQM v2 dataupload goes on with each session augmented', async () => {
    const o = await run({ body: buildSqmV2Message({ cmd: 'dataupload', token: '3.' + 'a'.repeat(32) + '.' + '0'.repeat(16), sessions: [session()] }) });
    expect(ruleRefs(o)).toEqual([['relay.augmented', 'MS-SQMCS 3.3.5', 'info']]);
    const body = sent(o);
    expect(dataPoints(body.subarray(body.indexOf('MSQM')))).toEqual({
      fromProxy: true,
      points: [
        [5, 9],
        [MOCK_ID, 1],
      ],
    });
  });

  it.each<[string, Partial<RequestInit>]>([
    ['an SQM v2 requpload', { body: buildSqmV2Message({ cmd: 'requpload' }) }],
    ['a session with a bad checksum', { body: buildSqmSession({ header: { dataChecksum: 1 } }) }],
    ['anything else', { body: 'not sqm at all', method: 'GET', url: '/whatever' }],
  ])('%s goes on byte for byte (relay.passthrough)', async (_n, init) => {
    const req = wireRequest({ url: URL, body: session(), ...init });
    const o = await run(init);
    expect(ruleRefs(o)).toEqual([['relay.passthrough', 'MS-SQMCS 3.3.5', 'info']]);
    expect(sent(o)).toEqual(req.body);
  });
});

describe('relay: a body over what it buffers', () => {
  it('goes on as a stream, not augmented (relay.not-augmented); the forward row keeps the prefix and the whole sha256', async () => {
    const prefix = session();
    let discarded = 0;
    const bodyStream = {
      readable: Readable.from([prefix, Buffer.alloc(100)]),
      done: Promise.resolve({ size: 40 << 20, sha256: 'ab'.repeat(32), aborted: false }),
      discard: () => void discarded++,
    };
    const o = await relayRoute.handle(
      { ...wireRequest({ listener: 'relay', url: URL, body: prefix, truncated: true, bodySize: 40 << 20 }), bodyStream },
      handlerContext({}, { upstream: DOWN }),
      undefined,
    );
    expect(ruleRefs(o)).toEqual([['relay.not-augmented', 'MS-SQMCS 3.3.5', 'info']]);
    expect(o.findings![0].message).toMatch(/streamed on byte for byte, not augmented/);
    expect(rowsOf(o, 'upstream:forward')[0].params).toMatchObject({ requestBody: prefix, requestSha256: 'ab'.repeat(32) });
    expect(discarded).toBe(1);
  });

  it('truncated without a stream (not from the dispatcher): the kept prefix, and the finding says so', async () => {
    const o = await run({ truncated: true, bodySize: 40 << 20 });
    expect(ruleRefs(o)).toEqual([['relay.not-augmented', 'MS-SQMCS 3.3.5', 'info']]);
    expect(o.findings![0].message).toMatch(/only its prefix/);
  });

  it('the route asks for the stream', () => {
    expect(relayRoute.streamsOverLimit).toBe(true);
  });
});

describe('relay: a rule', () => {
  it.each<[string, object, number, string | undefined, string | undefined]>([
    ['503 with a body', { status: 503, body: 'relay down' }, 503, 'text/plain; charset=utf-8', 'scenario answered 503'],
    ['200 without a body', { status: 200 }, 200, undefined, undefined],
  ])('plain answer %s: the client is answered, nothing forwarded', async (_n, respond, status, contentType, reason) => {
    const o = await run({}, { rules: [{ name: 'plain', when: { protocol: 'relay', path: '/sqm/*' }, respond }] });
    expect(o).toMatchObject({ ruleName: 'plain', answer: { status, reason } });
    expect(o.answer.headers['content-type']).toBe(contentType);
    expect(text(o)).toBe((respond as { body?: string }).body ?? '');
    expect([o.rows ?? [], o.findings ?? []]).toEqual([[], []]);
  });

  it('a fault applies after forwarding: the forward row is there, the answer faulted', async () => {
    const o = await run({}, { rules: [{ name: 'flaky', when: { protocol: 'relay' }, respond: { fault: 'reset' } }] });
    expect(o).toMatchObject({ ruleName: 'flaky', delivery: { fault: 'reset' }, answer: { status: 502 } });
    expect(stmts(o)).toEqual(['upstream:forward']);
  });

  it('a rule for another path does not apply', async () => {
    const o = await run({}, { rules: [{ when: { path: '/other' }, respond: { status: 503 } }] });
    expect([o.answer.status, o.ruleName]).toEqual([502, null]);
  });
});

describe('relayRoute', () => {
  it('is on the relay listener alone and claims every request there', () => {
    expect(relayRoute.listeners).toEqual(['relay']);
    expect(relayRoute.claims(wireRequest({ method: 'DELETE', url: '/__admin/requests' }))).toBe(true);
  });
});

describe('the admin API is never relayed', () => {
  it.each<[string, boolean]>([
    ['/__admin/reset', true],
    ['/__admin', true],
    ['/__admin?x=1', true],
    ['/__ADMIN/Reset', true],
    ['/%5f%5fadmin/reset', true],
    ['/%255F%255Fadmin/reset', true],
    ['//__admin/reset', true],
    ['/\\__admin\\reset', true],
    ['/sqm/../__admin/reset', true],
    ['/./__admin/reset', true],
    ['http://elsewhere/__admin/reset', true],
    [URL, false],
    ['/__administrator', false],
    ['/sqm/__admin/x', false],
    ['/?partner=http://b/__admin/reset', false],
  ])('%s: %s', (url, admin) => expect(isAdminTarget(url)).toBe(admin));

  it('404 with relay.admin-path, before any rule and without a forward', async () => {
    const o = await run({ method: 'POST', url: '/__admin/reset' }, { rules: [{ respond: { status: 200 } }] });
    expect(o.answer.status).toBe(404);
    expect(o.answer.body.toString()).toMatch(/^relay\.admin-path \(MS-SQMCS 3\.3\.5\): POST \/__admin\/reset: the admin API is not relayed/);
    expect(ruleRefs(o)).toEqual([['relay.admin-path', 'MS-SQMCS 3.3.5', 'warning']]);
    expect(stmts(o)).toEqual([]);
  });
});
