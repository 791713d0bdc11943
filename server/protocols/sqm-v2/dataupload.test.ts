// SQM v2 dataupload (MS-SQMCS2 3.2.5.2) on plain requests, against a MemoryTokenState fed the rows of
// an earlier requpload: receipts and the rows stored, token, payload, slice and session refusals.

import { MemoryConversation } from '../../conversation';
import { captureOf, handlerContext, removeTempDirs, ruleRefs, rowsOf, stmts, text, wireRequest, type HandlerContext } from '../../../test/helpers/handler-context';
import { buildCabinet, buildSqmSession, buildSqmV2Message, buildV2Message, responseCommands } from '../../testing';
import { sqmV2Route } from './route';
import { MemoryTokenState } from './state';

const URL = '/sqm/windows/sqmserver.dll';
let ctx: HandlerContext;
let tokens: MemoryTokenState;
let conversation: MemoryConversation;
let nextId: number;
let token: string;

const send = async (body: Buffer, c: HandlerContext = ctx) => {
  const req = wireRequest({ url: URL, body });
  const o = await sqmV2Route.handle(req, c, { tokens, conversation });
  tokens.apply(captureOf(req, o), nextId);
  conversation.apply(captureOf(req, o), nextId++);
  return o;
};
const cmds = (o: { answer: { body: Buffer } }) => responseCommands(text(o as never));
const upload = (t: string, sessions = [buildSqmSession()]) => buildSqmV2Message({ cmd: 'dataupload', token: t, sessions });

beforeEach(async () => {
  ctx = handlerContext();
  tokens = new MemoryTokenState();
  conversation = new MemoryConversation();
  nextId = 1;
  token = cmds(await send(buildSqmV2Message({ cmd: 'requpload' })))['1'].args.token;
});
afterEach(() => jest.restoreAllMocks());
afterAll(removeTempDirs);

describe('sqm-v2 dataupload with a token issued earlier', () => {
  it('answers a receipt, stores the session (protocol 2, with its context) and the token use', async () => {
    const body = upload(token);
    const o = await send(body);
    expect(cmds(o)['1'].nm).toBe('receipt');
    expect(cmds(o)['1'].args.tm).toMatch(/^\d{18}$/);
    expect(stmts(o)).toEqual(['sessions:session', 'sqm-v2:token-use']);
    const session = rowsOf(o, 'sessions:session')[0];
    expect(session).toMatchObject({ key: 'session:0', params: { protocolVersion: 2, partner: 'windows', accepted: 1, bodyOffset: 4 + body.readUInt32LE(0), sessionBytes: null } });
    expect(JSON.parse(session.params.context as string)).toMatchObject({ reqKey: '1', namespace: { ptr: 'windows' }, cmd: { token } });
    expect(rowsOf(o, 'sqm-v2:token-use')[0].params).toEqual({ token, reqKey: '1', outcome: 'receipt' });
    expect(tokens.token(token)!.usedBy).toEqual([2]);
    expect(o.findings).toEqual([]);
  });

  it('takes the token in another case, and records its use under the issued spelling', async () => {
    const o = await send(upload(token.toUpperCase()));
    expect(cmds(o)['1'].nm).toBe('receipt');
    expect(rowsOf(o, 'sqm-v2:token-use')[0].params.token).toBe(token);
  });

  it('two sessions: two receipts, two session rows, two uses', async () => {
    const o = await send(upload(token, [buildSqmSession(), buildSqmSession()]));
    expect(Object.values(cmds(o)).map((c) => c.nm)).toEqual(['receipt', 'receipt']);
    expect(rowsOf(o, 'sessions:session').map((r) => r.key)).toEqual(['session:0', 'session:1']);
    expect(rowsOf(o, 'sqm-v2:token-use')).toHaveLength(2);
  });

  it('a compressed payload: the session bytes are kept apart', async () => {
    const o = await send(buildSqmV2Message({ cmd: 'dataupload', token, sessions: [buildSqmSession()], compress: (raw) => buildCabinet(raw) }));
    expect(cmds(o)['1'].nm).toBe('receipt');
    expect(rowsOf(o, 'sessions:session')[0].params).toMatchObject({ bodyOffset: 0, sessionBytes: buildSqmSession() });
  });
});

describe('sqm-v2 dataupload refused', () => {
  const WELL_FORMED = '3.' + 'a'.repeat(32) + '.' + '0'.repeat(16);
  it.each<[string, () => string, number, string, boolean]>([
    ['a well-formed token never issued', () => WELL_FORMED, 0, 'token-unknown', true],
    ['a token not of the issued form', () => 'not-a-token', 0, 'token-malformed', true],
    ['an expired token (5 days later; not a violation)', () => (jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 5 * 86400_000), token), 1, 'token-expired', false],
  ])('%s → error %s', async (_n, tokenOf, retrv, code, violation) => {
    const t = tokenOf();
    const o = await send(upload(t));
    expect(cmds(o)['1']).toMatchObject({ nm: 'error', args: { retrv: String(retrv), code } });
    expect(stmts(o)).toEqual(['sqm-v2:token-use']);
    expect(rowsOf(o, 'sqm-v2:token-use')[0].params).toEqual({ token: t, reqKey: '1', outcome: 'error' });
    expect(ruleRefs(o)).toEqual(violation ? [['sqm-v2.token', 'MS-SQMCS2 2.2.2.16.2', 'warning']] : []);
  });

  it('no payload: error payload, the payload finding recorded', async () => {
    const o = await send(buildV2Message({ reqs: [{ key: '1', cmd: 'dataupload', cmdArgs: { tm: '1', token, size: 10, offset: 0 } }] }));
    expect(cmds(o)['1']).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'payload' } });
    expect(o.findings!.some((f) => f.level === 'error')).toBe(true);
    expect(stmts(o)).toEqual(['sqm-v2:token-use']);
  });

  it('an overlapping slice spoils only its own req', async () => {
    const s = buildSqmSession();
    const args = { tm: '1', token, size: s.length, offset: 0 };
    const body = buildV2Message({
      payload: s,
      reqs: [
        { key: 'a', cmd: 'dataupload', cmdArgs: args },
        { key: 'b', cmd: 'dataupload', cmdArgs: args },
      ],
    });
    const o = await send(body);
    expect([cmds(o).a.nm, cmds(o).b.args.code]).toEqual(['receipt', 'slice']);
    expect(ruleRefs(o)).toEqual([['sqm-v2.slice', 'MS-SQMCS2 3.2.5.2', 'error']]);
    expect(rowsOf(o, 'sqm-v2:token-use').map((r) => r.params.outcome)).toEqual(['receipt', 'error']);
  });

  it.each([
    ['strict: invalid-session, stored not accepted', {}, 'error', 0],
    ['lenient: a receipt, stored accepted', { strictness: 'lenient' }, 'receipt', 1],
  ])('a session with a wrong checksum, %s', async (_n, scenario, nm, accepted) => {
    const c = handlerContext(scenario);
    const t = cmds(await send(buildSqmV2Message({ cmd: 'requpload' }), c))['1'].args.token;
    const o = await send(upload(t, [buildSqmSession({ header: { dataChecksum: 5 } })]), c);
    expect(cmds(o)['1'].nm).toBe(nm);
    if (nm === 'error') expect(cmds(o)['1'].args.code).toBe('invalid-session');
    expect(rowsOf(o, 'sessions:session')[0].params.accepted).toBe(accepted);
    expect(ruleRefs(o)).toEqual([['sqm-v1.data-checksum', 'MS-SQMCS 3.2.5.3', 'error']]);
    expect(o.findings![0]).toMatchObject({ protocol: 'sqm-v2', sessionIndex: 0 });
  });

  it.each<[string, object, string, string[]]>([
    ['v2.error answers before the token is checked: nothing stored', { v2: { error: { retrv: 1, code: 'busy' } } }, 'error', []],
    ['a v2 key that does not fit (throttle) leaves the receipt', { v2: { throttle: { period: 1, namespace: 'all' } } }, 'receipt', ['sessions:session', 'sqm-v2:token-use']],
  ])('a rule: %s', async (_n, respond, nm, rows) => {
    const c = handlerContext({ rules: [{ name: 'up', when: { command: 'dataupload' }, respond }] });
    const o = await send(upload(token), c);
    expect(o.ruleName).toBe('up');
    expect(cmds(o)['1'].nm).toBe(nm);
    expect(stmts(o)).toEqual(rows);
  });

  it('a plain answer takes nothing: no session, no token use', async () => {
    const o = await send(upload(token), handlerContext({ rules: [{ name: 'down', respond: { status: 503 } }] }));
    expect(o.answer).toMatchObject({ status: 503, reason: 'scenario answered 503' });
    expect(o.rows ?? []).toEqual([]);
    expect(tokens.token(token)!.usedBy).toEqual([]);
  });
});

describe('sqm-v2 dataupload: the manifest version of accepted sessions, remembered for qryrsrc', () => {
  const accepted = (o: { rows?: { stmt: string; params: Record<string, unknown> }[] }) =>
    (o.rows ?? [])
      .filter((r) => r.stmt === 'conversation:setup' && r.params.kind === 'accepted')
      .map((r) => (JSON.parse(String(r.params.data)) as { manifestVersion: number }).manifestVersion);
  const withManifest = (v: number) => buildSqmSession({ header: { manifestVersion: v } });
  it('one row while sessions keep one manifest version, a new one when it changes', async () => {
    expect(accepted(await send(upload(token, [withManifest(3), withManifest(3)])))).toEqual([3]);
    const second = cmds(await send(buildSqmV2Message({ cmd: 'requpload' })))['1'].args.token;
    expect(accepted(await send(upload(second, [withManifest(3)])))).toEqual([]);
    const third = cmds(await send(buildSqmV2Message({ cmd: 'requpload' })))['1'].args.token;
    expect(accepted(await send(upload(third, [withManifest(3), withManifest(4)])))).toEqual([4]);
    expect(conversation.setups({ kind: 'accepted', clientKey: conversation.setups({ kind: 'accepted' })[0].clientKey, last: true })[0].data.manifestVersion).toBe(4);
  });
});
