// The CER level-1 handler (MS-CER2 2.2.1, 2.2.2, 3.2.5) on plain requests, over a MemoryCerState:
// the default answer and its rows, buckets, refusals, authentication, a rule's `cer` part and plain answers.

import { MemoryConversation } from '../../conversation';
import fs from 'node:fs';
import path from 'node:path';
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
  conversationRows,
} from '../../../test/helpers/handler-context';
import { buildWerReport, DEFAULT_WER_PARTS } from '../../testing';
import { parseLevel1Answer } from './answer';
import { AuthConnections } from './auth-connections';
import { CerClaims, type CerModuleState } from './claims';
import { normalizeDumpPath } from './dump-path';
import { cerLevel1Route } from './level1';
import { MemoryCerState } from './state';

const cerState = (store = new MemoryCerState()): CerModuleState & { store: MemoryCerState } => ({
  store,
  claims: new CerClaims(store),
  conversation: new MemoryConversation(),
  auth: new AuthConnections(),
});
const post = (body: Buffer = buildWerReport(), over: Partial<RequestInit> = {}) => wireRequest({ url: '/stage2.htm', body, ...over });
const run = async (scenario: unknown, req = post(), state: CerModuleState = cerState(), ctx: HandlerContext = handlerContext(scenario)) => cerLevel1Route.handle(req, ctx, state);
const answer = (o: Awaited<ReturnType<typeof run>>) => parseLevel1Answer(text(o));
const otherSignature = () => buildWerReport({ parameters: [{ id: '0', value: 'Other.exe' }] });
const CER_TYPE = 'text/plain; charset=windows-1252';

afterAll(removeTempDirs);

describe('cer level 1: the default answer', () => {
  it('200 in windows-1252: bucket 100, table 10, iData=1 and a DumpFile; a bucket hit and a report stored and copied', async () => {
    const ctx = handlerContext();
    const req = post();
    const o = await run({}, req, cerState(), ctx);
    expect(o).toMatchObject({ protocol: 'cer', partner: null, ruleName: null, answer: { status: 200, headers: { 'content-type': CER_TYPE } } });
    const a = answer(o);
    expect(a).toMatchObject({ Bucket: '100', BucketTable: '10', iData: '1' });
    expect(a.DumpFile).toMatch(/^\\PersistedCabs\\APPCRASH\\100\\[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.cab$/);
    expect(stmts(o)).toEqual(['cer:bucket-hit', 'cer:report']);
    expect(rowsOf(o, 'cer:bucket-hit')[0].params).toMatchObject({ bucket: 100, bucketTable: 10, eventType: 'APPCRASH' });
    const report = rowsOf(o, 'cer:report')[0].params;
    expect(report).toMatchObject({ accepted: 1, eventType: 'APPCRASH', reportType: '2', bucket: 100, dumpFile: a.DumpFile, dumpKey: normalizeDumpPath(a.DumpFile) });
    expect(fs.readFileSync(path.join(ctx.fileshare, report.filesharePath as string))).toEqual(req.body);
    expect(ruleRefs(o).filter(([, , level]) => level !== 'info')).toEqual([]);
  });

  it('one bucket per signature: the same again, the next number for another, read back from the store after a restart', async () => {
    const ctx = handlerContext();
    const store = new MemoryCerState();
    const state = cerState(store);
    const bucketOf = async (body: Buffer, s: CerModuleState = state) => {
      const req = post(body);
      const o = await run({}, req, s, ctx);
      store.apply(captureOf(req, o), 1);
      return answer(o).Bucket;
    };
    expect([await bucketOf(buildWerReport()), await bucketOf(buildWerReport()), await bucketOf(otherSignature())]).toEqual(['100', '100', '101']);
    const restarted = cerState(store);
    expect([await bucketOf(otherSignature(), restarted), await bucketOf(buildWerReport({ parameters: [{ id: '0', value: 'Third' }] }), restarted)]).toEqual(['101', '102']);
    expect(store.buckets().map((b) => b.hits)).toEqual([2, 2, 1]);
  });

  it('cer.firstBucket and cer.bucketTable number new signatures', async () => {
    expect(answer(await run({ cer: { firstBucket: 500, bucketTable: 20 } }))).toMatchObject({ Bucket: '500', BucketTable: '20' });
  });
});

describe('cer level 1: refusals', () => {
  const badLcid = buildWerReport({ machine: { ...DEFAULT_WER_PARTS.machine, lcid: '12' } });
  it.each<[string, object, Partial<RequestInit> & { body?: Buffer }, number, string, string]>([
    ['GET', {}, { method: 'GET' }, 405, 'cer.method', 'MS-CER2 1.3'],
    ['a body over 4 MiB (truncated)', {}, { truncated: true, bodySize: 5 << 20 }, 413, 'cer.size-limit', 'MS-CER2 2.2.1'],
    ['an empty body', {}, { body: Buffer.alloc(0) }, 400, 'cer.empty', 'MS-CER2 2.2.1'],
    ['not XML, lenient too', { strictness: 'lenient' }, { body: Buffer.from('hello') }, 400, 'cer.xml', 'MS-CER2 2.2.1'],
    ['a bad lcid (strict)', {}, { body: badLcid }, 400, 'cer.lcid', 'MS-CER2 2.2.1.2.3'],
  ])('%s → %d', async (_n, scenario, over, status, rule, specRef) => {
    const ctx = handlerContext(scenario);
    const o = await run(scenario, post(over.body, over), cerState(), ctx);
    expect(o.answer.status).toBe(status);
    expect(ruleRefs(o).filter(([, , level]) => level === 'error')[0]).toEqual([rule, specRef, 'error']);
    expect(o.answer.reason).toMatch(new RegExp(`^${rule.replace('.', '\\.')}[ :]`));
    expect(o.rows ?? []).toEqual([]);
    expect(fs.readdirSync(ctx.fileshare)).toEqual([]);
  });

  it('405 names POST', async () => {
    expect((await run({}, post(undefined, { method: 'PUT' }))).answer.headers.allow).toBe('POST');
  });

  it('lenient: a bad lcid is answered and stored, the finding recorded', async () => {
    const o = await run({ strictness: 'lenient' }, post(badLcid));
    expect(o.answer.status).toBe(200);
    expect(stmts(o)).toEqual(['cer:bucket-hit', 'cer:report']);
    expect(ruleRefs(o)).toContainEqual(['cer.lcid', 'MS-CER2 2.2.1.2.3', 'error']);
  });

  it('a rule that only delays delays the strict 400 too, and names itself', async () => {
    const o = await run({ rules: [{ name: 'slow', respond: { delayMs: 30 } }] }, post(badLcid));
    expect(o).toMatchObject({ answer: { status: 400 }, ruleName: 'slow', delivery: { delayMs: 30 } });
  });

  it.each<[string, string, string | undefined, number, string | undefined]>([
    ['no Authorization', 'negotiate', undefined, 401, 'Negotiate'],
    ['another scheme', 'ntlm', 'Basic dTpw', 401, 'NTLM'],
    ['the scheme in any case, a token that is not NTLM (Kerberos: taken unread)', 'negotiate', 'NEGOTIATE YIIGhg', 200, undefined],
    ['Basic', 'basic', undefined, 401, 'Basic realm="sqm-cer-mock"'],
  ])('cer.requireAuth, %s → %d', async (_n, requireAuth, authorization, status, challenge) => {
    const o = await run({ cer: { requireAuth } }, post(undefined, { headers: authorization ? { Authorization: authorization } : {} }));
    expect(o.answer.status).toBe(status);
    expect(o.answer.headers['www-authenticate']).toBe(challenge);
    // A 401 stores nothing of the protocol's and finds nothing; it sets up the next leg as an expectation.
    if (status === 401) {
      expect([stmts(o), o.findings ?? []]).toEqual([[], []]);
      expect(conversationRows(o).map((r) => [r.params.kind, r.params.expectation])).toEqual([['auth', 'cer.auth-incomplete']]);
    }
  });

  // BUG? level1.ts says "Every CER answer, plain ones included, is text/plain in windows-1252" and
  // docs/protocol-modules.md "CER, whose answers are all in that charset"; refusals go out as UTF-8.
  it.failing.each([
    ['405', post(undefined, { method: 'GET' })],
    ['400 cer.empty', post(Buffer.alloc(0))],
  ])('a refusal (%s) is in windows-1252 like every CER answer', async (_n, req) => {
    expect((await run({}, req)).answer.headers['content-type']).toBe(CER_TYPE);
  });
});

describe('cer level 1: a rule', () => {
  it.each<[string, object, Record<string, string>, (a: Record<string, string>) => void]>([
    ['iData 0: no DumpFile, so no level 2', { iData: 0 }, { Bucket: '100', iData: '0' }, (a) => expect(a.DumpFile).toBeUndefined()],
    [
      'its own bucket and table (in the DumpFile too)',
      { bucket: 555, bucketTable: 50 },
      { Bucket: '555', BucketTable: '50' },
      (a) => expect(a.DumpFile).toMatch(/^\\PersistedCabs\\APPCRASH\\555\\/),
    ],
    [
      'Response and GetFile',
      { response: 'http://support.example/kb1', getFile: ['C:\\a.log', 'b.txt'] },
      { Response: 'http://support.example/kb1', GetFile: 'C:\\a.log;b.txt' },
      () => undefined,
    ],
  ])('respond.cer %s', async (_n, cer, keys, more) => {
    const o = await run({ rules: [{ name: 'r', when: { protocol: 'cer', eventType: 'appcrash' }, respond: { cer } }] });
    expect(o).toMatchObject({ ruleName: 'r', answer: { status: 200 } });
    expect(answer(o)).toMatchObject(keys);
    more(answer(o));
    expect(rowsOf(o, 'cer:bucket-hit')[0].params.bucket).toBe(100);
    expect(rowsOf(o, 'cer:report')[0].params.dumpKey).toBe(normalizeDumpPath(answer(o).DumpFile ?? '') ?? null);
  });

  it('spacedEquals writes "Key = Value"', async () => {
    expect(text(await run({ rules: [{ respond: { cer: { spacedEquals: true, iData: 0 } } }] }))).toBe('Bucket = 100\r\nBucketTable = 10\r\niData = 0\r\n');
  });

  it('a fixed DumpFile belongs to the first report; a later one gets cer.dump-file-reused and no key', async () => {
    const scenario = { rules: [{ respond: { cer: { dumpFile: '\\Custom\\crash.cab' } } }] };
    const ctx = handlerContext(scenario);
    const state = cerState();
    const [a, b] = [await run(scenario, post(), state, ctx), await run(scenario, post(), state, ctx)];
    expect([answer(a).DumpFile, answer(b).DumpFile]).toEqual(['\\Custom\\crash.cab', '\\Custom\\crash.cab']);
    expect([rowsOf(a, 'cer:report')[0].params.dumpKey, rowsOf(b, 'cer:report')[0].params.dumpKey]).toEqual(['custom/crash.cab', null]);
    expect(ruleRefs(b)).toContainEqual(['cer.dump-file-reused', 'MS-CER2 2.2.2', 'info']);
  });

  it.each<[string, object, number, Buffer, string | undefined]>([
    ['503 with a body, encoded in windows-1252', { status: 503, body: 'busy café' }, 503, Buffer.from('busy caf\xe9', 'latin1'), CER_TYPE],
    ['500 without a body', { status: 500 }, 500, Buffer.alloc(0), undefined],
    ['200 with its own content type', { body: 'ok', headers: { 'Content-Type': 'text/html' } }, 200, Buffer.from('ok'), undefined],
  ])('plain answer %s: the report is not stored', async (_n, respond, status, body, contentType) => {
    const ctx = handlerContext({ rules: [{ name: 'plain', when: { appName: 'wer gpf test utility' }, respond }] });
    const o = await run(undefined, post(), cerState(), ctx);
    expect(o).toMatchObject({ ruleName: 'plain', answer: { status, reason: status >= 400 ? `scenario answered ${status}` : undefined } });
    expect(o.answer.body).toEqual(body);
    expect(o.answer.headers['content-type']).toBe(contentType);
    expect(o.rows ?? []).toEqual([]);
    expect(fs.readdirSync(ctx.fileshare)).toEqual([]);
  });

  it('a rule for another event type does not apply', async () => {
    const o = await run({ rules: [{ when: { eventType: 'BlueScreen' }, respond: { status: 503 } }] });
    expect([o.answer.status, o.ruleName]).toEqual([200, null]);
  });
});
