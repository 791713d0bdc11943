// The CER level-2 handler (MS-CER2 2.2.3) on plain requests: PUTs to a DumpFile issued by a level-1
// outcome fed to MemoryCerState.apply; path forms, 404/409/413, corrupt cabinets, rules, the fileshare.

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
} from '../../../test/helpers/handler-context';
import type { Outcome } from '../../core/types';
import { buildCabinet, buildWerReport } from '../../testing';
import { parseLevel1Answer } from './answer';
import { SPEC_AUTHENTICATE } from '../../codecs/ntlm/vectors';
import { AuthConnections } from './auth-connections';
import { CerClaims, type CerModuleState } from './claims';
import { cerLevel1Route } from './level1';
import { cerLevel2Route } from './level2';
import { MemoryCerState } from './state';

const CER_TYPE = 'text/plain; charset=windows-1252';
const cab = buildCabinet([
  { name: 'Version.txt', data: Buffer.from('6.1.7601') },
  { name: 'memory.hdmp', data: Buffer.alloc(64, 7) },
]);
let ctx: HandlerContext;
let store: MemoryCerState;
let state: CerModuleState;
let dumpFile: string;
let nextId: number;

/** Hands a request to a route and feeds its outcome to the store, as the capture would. */
const handle = async (route: typeof cerLevel1Route, init: RequestInit, apply = true): Promise<Outcome> => {
  const req = wireRequest(init);
  const o = await route.handle(req, ctx, state);
  if (apply) store.apply(captureOf(req, o), nextId++);
  return o;
};
/** A level-1 report answered and stored; returns its DumpFile. */
const level1 = async (): Promise<string> => parseLevel1Answer(text(await handle(cerLevel1Route, { url: '/stage2.htm', body: buildWerReport() }))).DumpFile;
const put = (url: string, body: Buffer = cab, over: Partial<RequestInit> = {}, apply = true) => handle(cerLevel2Route, { method: 'PUT', url, body, ...over }, apply);
const slashed = (p: string) => p.replace(/\\/g, '/');
const setUp = async (scenario: unknown = {}) => {
  ctx = handlerContext(scenario);
  store = new MemoryCerState();
  state = { store, claims: new CerClaims(store), conversation: new MemoryConversation(), auth: new AuthConnections() };
  nextId = 1;
  dumpFile = await level1();
};

beforeEach(() => setUp());
afterAll(removeTempDirs);

describe('cer level 2: a cabinet for an issued DumpFile', () => {
  it('200, empty; a cer:level2 row with its files, the cabinet copied beside the report', async () => {
    const o = await put(dumpFile);
    expect(o).toMatchObject({ protocol: 'cer-level2', partner: null, ruleName: null, answer: { status: 200, headers: {} } });
    expect(o.answer.body.length).toBe(0);
    expect(stmts(o)).toEqual(['cer:level2']);
    const p = rowsOf(o, 'cer:level2')[0].params;
    expect(p).toMatchObject({
      reportId: 1,
      size: cab.length,
      corrupt: 0,
      files: JSON.stringify([
        { name: 'Version.txt', size: 8 },
        { name: 'memory.hdmp', size: 64 },
      ]),
    });
    expect(p.filesharePath).toBe(slashed(dumpFile).slice(1));
    expect(fs.readFileSync(path.join(ctx.fileshare, p.filesharePath as string))).toEqual(cab);
    expect(store.report(1)!.level2).toMatchObject({ requestId: 2, size: cab.length, corrupt: false });
    expect(o.findings).toEqual([]);
  });

  it.each<[string, (d: string) => string]>([
    ['with slashes', slashed],
    ['with backslashes after the root', (d) => '/' + d],
    ['as the MS-CER2 4.1 client sends it (\\\\PersistedCabs)', (d) => '/\\' + d],
    ['percent-encoded', (d) => '/' + encodeURIComponent(d)],
    ['in upper case, with a query', (d) => slashed(d).toUpperCase() + '?x=1'],
  ])('the path %s reaches the report, with the info finding cer.dumpfile-form', async (_n, form) => {
    const o = await put(form(dumpFile));
    expect(o.answer.status).toBe(200);
    expect(rowsOf(o, 'cer:level2')[0].params.reportId).toBe(1);
    expect(ruleRefs(o)).toEqual([['cer.dumpfile-form', 'MS-CER2 2.2.2', 'info']]);
  });

  it('the DumpFile as issued (a bare backslash) has no form finding; an absolute-form target names its prefix', async () => {
    expect(ruleRefs(await put(dumpFile))).toEqual([]);
    await setUp();
    const o = await put(dumpFile, cab, { target: `http://cer.corp:1273${dumpFile}` });
    expect(o.answer.status).toBe(200);
    expect(o.findings?.map((f) => f.message)).toEqual([expect.stringContaining('absolute form ("http://cer.corp:1273" before the path')]);
  });
});

describe('cer level 2: the HTTP version (MS-CER2 2.1)', () => {
  it('a PUT over HTTP/1.0 is stored as usual, with a cer.http-version warning for cer-level2', async () => {
    const o = await put(dumpFile, cab, { httpVersion: '1.0' });
    expect([o.answer.status, stmts(o)]).toEqual([200, ['cer:level2']]);
    expect(o.findings).toEqual([expect.objectContaining({ rule: 'cer.http-version', specRef: 'MS-CER2 2.1', level: 'warning', protocol: 'cer-level2' })]);
  });
});

describe('cer level 2: refusals', () => {
  it.each<[string, () => string, Partial<RequestInit>, number, string]>([
    ['a path never issued', () => '/PersistedCabs/APPCRASH/100/00000000-0000-4000-8000-000000000000.cab', {}, 404, 'cer-level2.unknown-path'],
    ['a traversal', () => '/PersistedCabs/../etc/passwd', {}, 404, 'cer-level2.path'],
    ['a double-encoded traversal', () => '/PersistedCabs/%252e%252e/x.cab', {}, 404, 'cer-level2.path'],
    ['a drive letter', () => '/C:/x.cab', {}, 404, 'cer-level2.path'],
    ['a cabinet over 100 MiB (truncated)', () => dumpFile, { truncated: true, bodySize: 101 << 20 }, 413, 'cer-level2.size-limit'],
  ])('%s → %d', async (_n, url, over, status, rule) => {
    const o = await put(url(), cab, over);
    expect(o.answer.status).toBe(status);
    expect(ruleRefs(o)).toEqual([[rule, 'MS-CER2 2.2.3', 'error']]);
    expect(o.answer.reason).toMatch(new RegExp(`^${rule.replace('.', '\\.')} \\(MS-CER2 2\\.2\\.3\\): `));
    expect(o.rows ?? []).toEqual([]);
    expect(store.report(1)!.level2).toBeNull();
  });

  it.each([
    ['after the first was stored', true],
    ['while the first is still being captured', false],
  ])('a second cabinet with other bytes → 409 cer-level2.duplicate, in windows-1252 (%s)', async (_n, applied) => {
    expect((await put(dumpFile, cab, {}, applied)).answer.status).toBe(200);
    const o = await put(dumpFile, buildCabinet([{ name: 'Version.txt', data: Buffer.from('10.0.19044') }]));
    expect(o.answer).toMatchObject({ status: 409, headers: { 'content-type': CER_TYPE } });
    expect(o.answer.body.toString('latin1')).toMatch(/^cer-level2\.duplicate \(MS-CER2 2\.2\.3\): [^\n]+\n$/);
    expect(ruleRefs(o)).toEqual([['cer-level2.duplicate', 'MS-CER2 2.2.3', 'error']]);
    expect(o.rows ?? []).toEqual([]);
  });

  it.each([
    ['after the first was stored', true],
    ['while the first is still being captured', false],
  ])('the same cabinet again (a retry after a lost 200) → 200 again, an info finding, stored once (%s)', async (_n, applied) => {
    expect((await put(dumpFile, cab, {}, applied)).answer.status).toBe(200);
    const o = await put(dumpFile, Buffer.from(cab));
    expect(o.answer).toMatchObject({ status: 200, headers: { 'content-type': CER_TYPE } });
    expect(o.answer.body.length).toBe(0);
    expect(ruleRefs(o)).toEqual([['cer-level2.resent', 'MS-CER2 2.2.3', 'info']]);
    expect(o.rows ?? []).toEqual([]);
  });

  it('cer.requireAuth: 401 before the path is looked at', async () => {
    await setUp({ cer: { requireAuth: 'ntlm' } });
    expect((await put('/nowhere')).answer).toMatchObject({ status: 401, headers: { 'www-authenticate': 'NTLM' } });
    // The level-1 POST was refused too, so nothing was issued: authenticated (type 1, then type 3 on
    // the same connection), the PUT is a 404.
    const type1 = await put('/nowhere', cab, { headers: { Authorization: 'NTLM TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=' } });
    expect(type1.answer).toMatchObject({ status: 401, headers: { 'www-authenticate': expect.stringMatching(/^NTLM TlRMTVNTUAACAAAA/) } });
    const type3 = `NTLM ${Buffer.from(SPEC_AUTHENTICATE, 'hex').toString('base64')}`;
    expect((await put('/nowhere', cab, { headers: { Authorization: type3 } })).answer.status).toBe(404);
  });
});

describe('cer level 2: what is stored', () => {
  it('a cabinet that cannot be read is stored, flagged corrupt, its cab findings as warnings', async () => {
    const o = await put(slashed(dumpFile), Buffer.from('not a cabinet at all'));
    expect(o.answer.status).toBe(200);
    expect(rowsOf(o, 'cer:level2')[0].params).toMatchObject({ corrupt: 1, files: '[]' });
    expect(ruleRefs(o)).toContainEqual(['cer-level2.corrupt', 'MS-CER2 2.2.3', 'warning']);
    expect(o.findings!.filter((f) => f.rule.startsWith('cab.')).map((f) => f.level)).toEqual(['warning']);
  });

  it('each GetFile the cabinet lacks is an info finding (3.1.5), compared without case or folder', async () => {
    await setUp({ rules: [{ when: { protocol: 'cer' }, respond: { cer: { getFile: ['C:\\Windows\\VERSION.TXT', 'C:\\logs\\app.log'] } } }] });
    const o = await put(dumpFile);
    expect(ruleRefs(o)).toEqual([['cer-level2.missing-file', 'MS-CER2 3.1.5', 'info']]);
    expect(o.findings![0].message).toContain('app.log');
  });

  // INTERFACE.md: fileshare copies are named after the issued DumpFile, whatever its form; the
  // level-1 report lies beside the cabinet, the same name with .xml.
  it.each<[string, string, string, string]>([
    ['fixed by a rule', '\\Custom\\crash.cab', 'Custom/crash.cab', 'Custom/crash.xml'],
    [
      "not ending in .cab (the document's 4.4)",
      '\\PersistedCabs\\Generic\\MikeTest\\1000\\2000\\3000\\41ed848b-30fe-4db5-92e9-7745d2ceb2b8',
      'PersistedCabs/Generic/MikeTest/1000/2000/3000/41ed848b-30fe-4db5-92e9-7745d2ceb2b8',
      'PersistedCabs/Generic/MikeTest/1000/2000/3000/41ed848b-30fe-4db5-92e9-7745d2ceb2b8.xml',
    ],
    [
      "the document's 4.3",
      '\\PersistedCabs\\Blue\\c2428d43-b50a-4622-9d55-cce4602834b3.cab',
      'PersistedCabs/Blue/c2428d43-b50a-4622-9d55-cce4602834b3.cab',
      'PersistedCabs/Blue/c2428d43-b50a-4622-9d55-cce4602834b3.xml',
    ],
  ])('a cabinet PUT to a DumpFile %s is copied to the fileshare, beside its report', async (_n, fixed, cabPath, xmlPath) => {
    await setUp({ rules: [{ when: { protocol: 'cer' }, respond: { cer: { dumpFile: fixed } } }] });
    expect(dumpFile).toBe(fixed);
    expect(store.report(1)!.filesharePath).toBe(xmlPath);
    const o = await put(slashed(fixed));
    expect(o.answer.status).toBe(200);
    expect(rowsOf(o, 'cer:level2')[0].params.filesharePath).toBe(cabPath);
    expect(fs.readFileSync(path.join(ctx.fileshare, cabPath))).toEqual(cab);
    expect(fs.readFileSync(path.join(ctx.fileshare, xmlPath))).toEqual(buildWerReport());
  });
});

describe('cer level 2: a rule', () => {
  it('a plain 503 (times: 1) does not take the cabinet, so the retry is stored', async () => {
    await setUp({ rules: [{ name: 'busy', times: 1, when: { protocol: 'cer-level2', eventType: 'appcrash' }, respond: { status: 503, body: 'retry later' } }] });
    const first = await put(slashed(dumpFile));
    expect(first).toMatchObject({ ruleName: 'busy', answer: { status: 503, reason: 'scenario answered 503', headers: { 'content-type': CER_TYPE } } });
    expect(text(first)).toBe('retry later');
    expect(first.rows ?? []).toEqual([]);
    const retry = await put(slashed(dumpFile));
    expect([retry.answer.status, retry.ruleName, stmts(retry)]).toEqual([200, null, ['cer:level2']]);
  });

  it('a rule that only delays names itself; the cabinet is stored', async () => {
    await setUp({ rules: [{ name: 'slow', when: { protocol: 'cer-level2' }, respond: { delayMs: 40 } }] });
    const o = await put(slashed(dumpFile));
    expect(o).toMatchObject({ ruleName: 'slow', delivery: { delayMs: 40 }, answer: { status: 200 } });
    expect(stmts(o)).toEqual(['cer:level2']);
  });

  it('a rule for another event type does not apply', async () => {
    await setUp({ rules: [{ when: { protocol: 'cer-level2', eventType: 'BlueScreen' }, respond: { status: 503 } }] });
    expect((await put(slashed(dumpFile))).answer.status).toBe(200);
  });
});

// Issue 13 items 3, 4 and 6: a cabinet not taken (its fileshare copy or its capture failed) can be sent again.
describe('cer level 2: a cabinet not taken can be sent again', () => {
  const cabOnShare = () => path.join(ctx.fileshare, slashed(dumpFile).slice(1));

  it('a failed fileshare copy (a folder planted at its name) → 503 cer.fileshare-failed, nothing taken; the retry → 200', async () => {
    fs.mkdirSync(cabOnShare(), { recursive: true });
    const o = await put(dumpFile);
    expect(o.answer).toMatchObject({ status: 503, headers: { 'content-type': CER_TYPE, 'retry-after': '5' } });
    expect(text(o)).toMatch(/^cer\.fileshare-failed \(MS-CER2 3\.2\.5\): the fileshare copy of the cabinet failed \(refused: [^\n]+ is not a file\)[^\n]*\n$/);
    expect(ruleRefs(o)).toEqual([['cer.fileshare-failed', 'MS-CER2 3.2.5', 'info']]);
    expect(o.rows ?? []).toEqual([]);
    fs.rmdirSync(cabOnShare());
    const retry = await put(dumpFile);
    expect(retry.answer.status).toBe(200);
    expect(fs.readFileSync(cabOnShare())).toEqual(cab);
  });

  it('a planted file link at the cabinet’s name → 503; the file it points to stays unchanged', async () => {
    const victim = path.join(ctx.fileshare, '..', `victim-${process.pid}.txt`);
    fs.writeFileSync(victim, 'precious');
    try {
      fs.symlinkSync(victim, cabOnShare());
      expect((await put(dumpFile)).answer.status).toBe(503);
      expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    } finally {
      fs.rmSync(victim);
    }
  });

  it('the capture failing (onCaptureFailed) releases the claim and removes the copy: the retry → 200, not 409', async () => {
    const o = await put(dumpFile, cab, {}, false);
    expect(o.answer.status).toBe(200);
    expect(fs.existsSync(cabOnShare())).toBe(true);
    o.onCaptureFailed!();
    expect(fs.existsSync(cabOnShare())).toBe(false);
    const retry = await put(dumpFile, buildCabinet([{ name: 'Version.txt', data: Buffer.from('10.0.19044') }]));
    expect(retry.answer.status).toBe(200);
    expect(stmts(retry)).toEqual(['cer:level2']);
  });

  it('the handler failing after the claim (the dispatcher answers 500) releases it too', async () => {
    const realDecide = ctx.engine.decide.bind(ctx.engine);
    const decide = jest.spyOn(ctx.engine, 'decide').mockImplementationOnce(() => {
      throw new Error('scenario engine failed');
    });
    await expect(put(dumpFile, cab, {}, false)).rejects.toThrow('scenario engine failed');
    decide.mockImplementation(realDecide);
    expect((await put(dumpFile)).answer.status).toBe(200);
  });
});
