// What MS-SQMCS2 2.2.2 requires of a message's content beyond its required args, through the
// handler: value formats, svc, the resource name, payload args and unreferenced bytes, the method of
// a requpload, a compressed session inside a payload. Recorded; the answer stays what it was. The
// document's own section 4 examples give no error or warning.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryConversation } from '../../conversation';
import { captureOf, handlerContext, removeTempDirs, ruleRefs, text, wireRequest } from '../../../test/helpers/handler-context';
import { frameMessage } from '../../codecs/sqm-v2-message/framing';
import { buildCabinet, buildSqmSession, buildSqmV2Message, buildV2Message, DEFAULT_CTRL, responseCommands } from '../../testing';
import { sqmV2Route } from './route';
import { MemoryTokenState } from './state';

const URL = '/sqm/windows/sqmserver.dll';
let tokens: MemoryTokenState;
let nextId: number;
const send = async (body: Buffer, method = 'POST', scenario: unknown = {}) => {
  const req = wireRequest({ url: URL, body, method });
  const o = await sqmV2Route.handle(req, handlerContext(scenario), { tokens, conversation: new MemoryConversation() });
  tokens.apply(captureOf(req, o), nextId++);
  return o;
};
const cmds = (o: { answer: { body: Buffer } }) => responseCommands(text(o as never));
const notInfo = (o: Awaited<ReturnType<typeof send>>) => ruleRefs(o).filter(([, , level]) => level !== 'info');
const token = async () => cmds(await send(buildSqmV2Message({ cmd: 'requpload' })))['1'].args.token;
const doc = (name: string) => readFileSync(join(__dirname, '../../../test/fixtures/sqm-v2', name), 'utf8');

beforeEach(() => {
  tokens = new MemoryTokenState();
  nextId = 1;
});
afterAll(removeTempDirs);

describe("the document's own examples (MS-SQMCS2 section 4): no error or warning", () => {
  it.each(['qryrsrc-4.1.xml', 'requpload-4.2.xml'])('%s', async (name) => {
    const o = await send(frameMessage(doc(name)));
    expect(notInfo(o)).toEqual([]);
    expect(Object.values(cmds(o)).map((c) => c.nm)).not.toContain('error');
  });

  it('dataupload-4.3.xml, with a token this mock issued and sessions of the sizes it names, in strict mode', async () => {
    const t = await token();
    const xml = doc('dataupload-4.3.xml').split('3.737e6827d6765e60d6900768b36f8c84.01cc5ed08779ac68').join(t);
    const session = (size: number) => {
      const fixed = buildSqmSession({ sections: [{ type: 'string', datapoints: [{ id: 780, value: '' }] }] }).length;
      return buildSqmSession({ sections: [{ type: 'string', datapoints: [{ id: 780, value: '.'.repeat((size - fixed) / 2) }] }] });
    };
    const o = await send(frameMessage(xml, Buffer.concat([session(1320), session(1332)])));
    expect(Object.values(cmds(o)).map((c) => c.nm)).toEqual(['receipt', 'receipt']);
    expect(notInfo(o)).toEqual([]);
  });
});

describe('value formats (2.2.2.9, 2.2.2.14, 2.2.2.16.2): a warning, the answer unchanged', () => {
  it.each<[string, object, string]>([
    ['mid not a GUID', { ctrl: { ...DEFAULT_CTRL, mid: 'FE166778' } }, 'MS-SQMCS2 2.2.2.9'],
    ['sample 0', { ctrl: { ...DEFAULT_CTRL, sample: 0 } }, 'MS-SQMCS2 2.2.2.9'],
    ['sample over 10^8', { ctrl: { ...DEFAULT_CTRL, sample: 100000001 } }, 'MS-SQMCS2 2.2.2.9'],
    ['tm not decimal', { ctrl: { ...DEFAULT_CTRL, tm: '2011-08-11' } }, 'MS-SQMCS2 2.2.2.9'],
    ['tm over 64 bits', { ctrl: { ...DEFAULT_CTRL, tm: '18446744073709551616' } }, 'MS-SQMCS2 2.2.2.9'],
  ])('%s', async (_n, o, specRef) => {
    const res = await send(buildSqmV2Message({ cmd: 'requpload', ...o }));
    expect(cmds(res)['1'].nm).toBe('approved');
    expect(notInfo(res)).toEqual([['sqm-v2.value-format', specRef, 'warning']]);
  });

  it.each([
    ['{fe166778-8e09-4bd8-b840-df6b79d40232}'], // the 4.1 example's lower case
    ['FE166778-8E09-4BD8-B840-DF6B79D40232'],
  ])('mid %s is a GUID', async (mid) => {
    expect(notInfo(await send(buildSqmV2Message({ cmd: 'requpload', ctrl: { ...DEFAULT_CTRL, mid } })))).toEqual([]);
  });

  it.each<[string, object, string]>([
    ['a dataupload cmd tm', { cmdArgs: { tm: 'now' } }, 'MS-SQMCS2 2.2.2.16.2'],
    ['startutc', { ctrl: { startutc: '-1', endutc: '129579283005426872' } }, 'MS-SQMCS2 2.2.2.14'],
  ])('%s that is not a FILETIME', async (_n, over, specRef) => {
    const t = await token();
    const s = buildSqmSession();
    const cmdArgs = { tm: '129579283005582927', token: t, size: s.length, offset: 0 };
    const req = { key: '1', cmd: 'dataupload', ...over, cmdArgs: { ...cmdArgs, ...(over as { cmdArgs?: object }).cmdArgs } };
    const o = await send(buildV2Message({ payload: s, reqs: [req] }));
    expect(cmds(o)['1'].nm).toBe('receipt');
    expect(notInfo(o)).toEqual([['sqm-v2.value-format', specRef, 'warning']]);
  });
});

describe('namespace, resource, payload and method', () => {
  it('svc other than sqm (2.2.2.13.1)', async () => {
    const o = await send(buildSqmV2Message({ cmd: 'requpload', namespace: { svc: 'wer' } }));
    expect(notInfo(o)).toEqual([['sqm-v2.svc', 'MS-SQMCS2 2.2.2.13.1', 'warning']]);
  });

  it('qryrsrc name other than manifest (2.2.2.16.3): none, and a warning', async () => {
    const o = await send(buildSqmV2Message({ cmd: 'qryrsrc', name: 'escalation' }), 'POST', { partners: { windows: { manifest: { version: 7 } } } });
    expect(cmds(o)['1'].nm).toBe('none');
    expect(notInfo(o)).toEqual([['sqm-v2.resource-name', 'MS-SQMCS2 2.2.2.16.3', 'warning']]);
  });

  it('precompsize without comp (2.2.2.11)', async () => {
    const t = await token();
    const s = buildSqmSession();
    const o = await send(
      buildV2Message({
        payload: s,
        payloadArgs: { size: s.length, precompsize: s.length },
        reqs: [{ key: '1', cmd: 'dataupload', cmdArgs: { tm: '1', token: t, size: s.length, offset: 0 } }],
      }),
    );
    expect(cmds(o)['1'].nm).toBe('receipt');
    expect(notInfo(o)).toEqual([['sqm-v2.payload-args', 'MS-SQMCS2 2.2.2.11', 'warning']]);
  });

  it.each<[string, (s: Buffer) => Buffer, string]>([
    ['uncompressed', (s) => s, 'bytes 120..150'],
    ['inside the cabinet', (s) => buildCabinet(s), 'bytes 120..150'],
  ])('payload bytes no req refers to (2.2.2.16.2), %s', async (_n, pack, gap) => {
    const t = await token();
    const s = buildSqmSession();
    const blob = Buffer.concat([s, Buffer.alloc(30)]);
    const payload = pack(blob);
    const payloadArgs: Record<string, string | number> = payload === blob ? { size: payload.length } : { size: payload.length, comp: 'cab', precompsize: blob.length };
    const o = await send(buildV2Message({ payload, payloadArgs, reqs: [{ key: '1', cmd: 'dataupload', cmdArgs: { tm: '1', token: t, size: s.length, offset: 0 } }] }));
    expect(cmds(o)['1'].nm).toBe('receipt');
    expect(notInfo(o)).toEqual([['sqm-v2.payload-unreferenced', 'MS-SQMCS2 2.2.2.16.2', 'warning']]);
    expect(o.findings!.find((f) => f.rule === 'sqm-v2.payload-unreferenced')!.message).toContain(gap);
  });

  it('payload bytes after a message with no dataupload', async () => {
    const o = await send(buildV2Message({ payload: Buffer.alloc(8), reqs: [{ key: '1', cmd: 'requpload' }] }));
    expect(cmds(o)['1'].nm).toBe('approved');
    expect(notInfo(o)).toEqual([['sqm-v2.payload-unreferenced', 'MS-SQMCS2 2.2.2.16.2', 'warning']]);
  });

  it('requpload by PUT (3.1.5.2: POST); a dataupload by PUT is fine (3.1.5.3)', async () => {
    const o = await send(buildSqmV2Message({ cmd: 'requpload' }), 'PUT');
    expect(cmds(o)['1'].nm).toBe('approved');
    expect(notInfo(o)).toEqual([['sqm-v2.method', 'MS-SQMCS2 3.1.5.2', 'warning']]);
    const t = cmds(o)['1'].args.token;
    expect(notInfo(await send(buildSqmV2Message({ cmd: 'dataupload', token: t, sessions: [buildSqmSession()] }), 'PUT'))).toEqual([]);
  });
});

it('a session compressed on its own inside a v2 payload cites MS-SQMCS2 3.1.5.3.1, not MS-SQMCS', async () => {
  const t = await token();
  const compressed = buildSqmSession({ compress: (raw) => buildCabinet(raw) });
  const o = await send(buildSqmV2Message({ cmd: 'dataupload', token: t, sessions: [compressed] }));
  expect(cmds(o)['1']).toMatchObject({ nm: 'error', args: { code: 'invalid-session' } });
  expect(cmds(o)['1'].args.message).toMatch(/^sqm-v2\.session-compressed \(MS-SQMCS2 3\.1\.5\.3\.1\)/);
  expect(ruleRefs(o).filter(([, , l]) => l === 'error')).toEqual([['sqm-v2.session-compressed', 'MS-SQMCS2 3.1.5.3.1', 'error']]);
});
