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

describe('cer level 1: what real clients send is answered (MS-CER2 2.2.1.2.2, 2.2.1.2.3)', () => {
  // Real locale ids (MS-LCID: ar-AE, ar-QA, en-IN) have 5 digits; Windows 10 sends its os in the dotted form.
  it.each(['14337', '16385', '16393'])('lcid %s with a Windows 10 os: 200 with a bucket, strict; only info findings', async (lcid) => {
    const body = buildWerReport({ machine: { ...DEFAULT_WER_PARTS.machine, lcid, os: '10.0.19044.2.0.0.256.48' } });
    const o = await run({ strictness: 'strict' }, post(body));
    expect(o.answer.status).toBe(200);
    expect(answer(o)).toMatchObject({ Bucket: '100', iData: '1' });
    expect(ruleRefs(o)).toEqual(
      expect.arrayContaining([
        ['cer.lcid-form', 'MS-CER2 2.2.1.2.3', 'info'],
        ['cer.osstring-form', 'MS-CER2 2.2.1.2.2', 'info'],
      ]),
    );
    expect(ruleRefs(o).filter(([, , level]) => level !== 'info')).toEqual([]);
  });
});

describe('cer level 1: the HTTP version (MS-CER2 2.1: "MUST use HTTP 1.1")', () => {
  it.each<[string, [string, string, string][]]>([
    ['1.1', []],
    ['1.0', [['cer.http-version', 'MS-CER2 2.1', 'warning']]],
  ])('HTTP/%s: answered as usual; %j', async (httpVersion, expected) => {
    const o = await run({}, post(undefined, { httpVersion }));
    expect(o.answer.status).toBe(200);
    expect(ruleRefs(o).filter(([rule]) => rule === 'cer.http-version')).toEqual(expected);
  });

  it('a refusal over HTTP/1.0 is judged too', async () => {
    expect(ruleRefs(await run({}, post(undefined, { method: 'GET', httpVersion: '1.0' })))).toContainEqual(['cer.http-version', 'MS-CER2 2.1', 'warning']);
  });
});

describe('cer level 1: refusals', () => {
  const badLcid = buildWerReport({ machine: { ...DEFAULT_WER_PARTS.machine, lcid: 'en-US' } });
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

  // INTERFACE.md: every CER answer, refusals included, is text/plain; charset=windows-1252, and a
  // strict refusal is one line `<rule> (<specRef>): <reason>`.
  it.each<[string, object, RequestInit]>([
    ['405', {}, { url: '/stage2.htm', method: 'GET' }],
    ['413', {}, { url: '/stage2.htm', truncated: true, bodySize: 5 << 20 }],
    ['400 cer.empty', {}, { url: '/stage2.htm', body: Buffer.alloc(0) }],
    ['400 cer.lcid (strict)', {}, { url: '/stage2.htm', body: badLcid }],
    ['401 (cer.requireAuth)', { cer: { requireAuth: 'ntlm' } }, { url: '/stage2.htm' }],
  ])('a refusal (%s) is in windows-1252 like every CER answer, one line naming the rule', async (_n, scenario, init) => {
    const o = await run(scenario, wireRequest({ body: buildWerReport(), ...init }));
    expect(o.answer.headers['content-type']).toBe(CER_TYPE);
    const body = o.answer.body.toString('latin1');
    expect(body).toMatch(/^[^\n]+\n$/);
    if (o.answer.status !== 401) expect(body).toMatch(/^cer\.[a-z-]+ \(MS-CER2 [0-9.]+\): /);
  });

  it('a refusal naming a character outside ASCII sends it in windows-1252', async () => {
    const o = await run({}, post(buildWerReport({ machine: { ...DEFAULT_WER_PARTS.machine, lcid: 'café' } })));
    expect(o.answer.status).toBe(400);
    expect(o.answer.body.includes(Buffer.from('"caf\xe9"', 'latin1'))).toBe(true);
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

  // INTERFACE.md, CER decisions: level-1 answers shaped like the document's examples and real servers'.
  const reportOf = (o: Awaited<ReturnType<typeof run>>) => rowsOf(o, 'cer:report')[0].params;
  const instructionsOf = (o: Awaited<ReturnType<typeof run>>) => JSON.parse(reportOf(o).instructions as string) as Record<string, unknown>;

  it('omit: [Bucket, BucketTable, iData] sends only the DumpFile; what is stored is what was said (no iData: no cabinet expected)', async () => {
    const o = await run({ rules: [{ respond: { cer: { omit: ['Bucket', 'BucketTable', 'iData'] } } }] });
    expect(text(o)).toMatch(/^DumpFile=\\PersistedCabs\\APPCRASH\\100\\[0-9a-f-]{36}\.cab\r\n$/);
    expect(instructionsOf(o)).toEqual({ dumpFile: answer(o).DumpFile });
    expect(reportOf(o)).toMatchObject({ bucket: 100, bucketTable: 10, dumpKey: normalizeDumpPath(answer(o).DumpFile) });
    expect(conversationRows(o).map((r) => r.params.expectation ?? null)).toEqual([null]);
  });

  it('omit: [DumpFile] issues none: no level-2 key', async () => {
    const o = await run({ rules: [{ respond: { cer: { omit: ['DumpFile'] } } }] });
    expect(text(o)).toBe('Bucket=100\r\nBucketTable=10\r\niData=1\r\n');
    expect(reportOf(o)).toMatchObject({ dumpFile: null, dumpKey: null });
  });

  it("the document's 4.1 answer: Response, BucketTable = 5, spaced Bucket and BucketTable, in the document's order", async () => {
    const cer = {
      response: 'http://oca.microsoft.com/resredirect.aspx?SID=32',
      bucket: 500,
      bucketTable: 5,
      wql: ['SELECT Family FROM Win32_Processor'],
      spacedEquals: ['Bucket', 'BucketTable'],
    };
    const o = await run({ rules: [{ respond: { cer } }] });
    expect(text(o)).toMatch(
      /^Response=http:\/\/oca\.microsoft\.com\/resredirect\.aspx\?SID=32\r\nBucket = 500\r\nBucketTable = 5\r\niData=1\r\nWQL=SELECT Family FROM Win32_Processor\r\nDumpFile=\\PersistedCabs\\APPCRASH\\500\\[0-9a-f-]{36}\.cab\r\n$/,
    );
    expect(ruleRefs(o)).toContainEqual(['cer.answer-bucket-digit', 'MS-CER2 2.2.2', 'info']);
    expect(ruleRefs(o).filter(([, , level]) => level !== 'info')).toEqual([]);
  });

  it("order and extra: a real server's DumpServer= and ModuleInfo=1, the order given, stored with the instructions", async () => {
    const cer = { order: ['iData', 'DumpServer'], extra: { DumpServer: 'cer.example.com', ModuleInfo: 1 }, omit: ['BucketTable'] };
    const o = await run({ rules: [{ respond: { cer } }] });
    expect(
      text(o)
        .split('\r\n')
        .map((l) => l.split('=')[0]),
    ).toEqual(['iData', 'DumpServer', 'Bucket', 'DumpFile', 'ModuleInfo', '']);
    expect(answer(o)).toMatchObject({ DumpServer: 'cer.example.com', ModuleInfo: '1' });
    expect(instructionsOf(o)).toMatchObject({ extra: { DumpServer: 'cer.example.com', ModuleInfo: '1' } });
  });

  it('one-digit buckets from the scenario (cer.firstBucket 1, bucketTable 1, as real servers sent)', async () => {
    expect(answer(await run({ cer: { firstBucket: 1, bucketTable: 1 } }))).toMatchObject({ Bucket: '1', BucketTable: '1' });
  });

  it('a fixed DumpFile belongs to the first report; a later one gets cer.dump-file-reused and no key', async () => {
    const scenario = { rules: [{ respond: { cer: { dumpFile: '\\Custom\\crash.cab' } } }] };
    const ctx = handlerContext(scenario);
    const state = cerState();
    const [a, b] = [await run(scenario, post(), state, ctx), await run(scenario, post(), state, ctx)];
    expect([answer(a).DumpFile, answer(b).DumpFile]).toEqual(['\\Custom\\crash.cab', '\\Custom\\crash.cab']);
    expect([rowsOf(a, 'cer:report')[0].params.dumpKey, rowsOf(b, 'cer:report')[0].params.dumpKey]).toEqual(['custom/crash.cab', null]);
    expect(ruleRefs(b)).toContainEqual(['cer.dump-file-reused', 'MS-CER2 2.2.2', 'info']);
    // The first owns the name on the fileshare; the later copy goes under its own uuid, overwriting nothing.
    expect(reportOf(a).filesharePath).toBe('Custom/crash.xml');
    expect(reportOf(b).filesharePath).toMatch(/^PersistedCabs\/APPCRASH\/100\/[0-9a-f-]{36}\.xml$/);
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

// Issue 13 items 3 and 4: the report's copy is confined to the fileshare; a copy that fails is a 503, the report not taken.
describe('cer level 1: the fileshare copy refused or failed', () => {
  const outsideDir = () => fs.mkdtempSync(path.join(path.dirname(handlerContext().fileshare), 'cer-outside-'));

  it('a file link planted at the first report’s predictable path (the uuid stream is seeded) → 503; the target is unchanged', async () => {
    const first = rowsOf(await run({}), 'cer:report')[0].params.filesharePath as string;
    const ctx = handlerContext();
    const outside = outsideDir();
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.mkdirSync(path.dirname(path.join(ctx.fileshare, first)), { recursive: true });
    fs.symlinkSync(victim, path.join(ctx.fileshare, first));
    const o = await run({}, post(), cerState(), ctx);
    expect(o.answer).toMatchObject({ status: 503, headers: { 'content-type': CER_TYPE, 'retry-after': '5' } });
    expect(text(o)).toMatch(/^cer\.fileshare-failed \(MS-CER2 3\.2\.5\): the fileshare copy of the report failed \(refused: [^\n]+ is a symbolic link\)[^\n]*\n$/);
    expect(ruleRefs(o)).toContainEqual(['cer.fileshare-failed', 'MS-CER2 3.2.5', 'info']);
    expect(o.rows ?? []).toEqual([]);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    fs.rmSync(outside, { recursive: true });
  });

  it('a folder link planted inside the root → 503; no file lands outside', async () => {
    const ctx = handlerContext();
    const outside = outsideDir();
    fs.symlinkSync(outside, path.join(ctx.fileshare, 'PersistedCabs'));
    const o = await run({}, post(), cerState(), ctx);
    expect(o.answer.status).toBe(503);
    expect(fs.readdirSync(outside)).toEqual([]);
    fs.rmSync(outside, { recursive: true });
  });

  it('the capture failing (onCaptureFailed) removes the copy', async () => {
    const ctx = handlerContext();
    const o = await run({}, post(), cerState(), ctx);
    const copy = path.join(ctx.fileshare, rowsOf(o, 'cer:report')[0].params.filesharePath as string);
    expect(fs.existsSync(copy)).toBe(true);
    o.onCaptureFailed!();
    expect(fs.existsSync(copy)).toBe(false);
  });
});
