// The SQM v2 handler (MS-SQMCS2 3.2.5) on plain requests: requpload and qryrsrc answers, per-req
// refusals and their findings, a rule's `v2` part and plain answers, malformed messages (3.1.5.1).

import { MemoryConversation } from '../../conversation';
import { handlerContext, removeTempDirs, ruleRefs, rowsOf, stmts, text, wireRequest, type HandlerContext, conversationRows } from '../../../test/helpers/handler-context';
import { frameMessage } from '../../codecs/sqm-v2-message/framing';
import { buildSqmV2Message, buildV2Message, buildV2Xml, DEFAULT_CTRL, DEFAULT_OS, responseCommands } from '../../testing';
import { sqmV2Route } from './route';
import { MemoryTokenState } from './state';

const URL = '/sqm/windows/sqmserver.dll';
const send = async (body: Buffer, ctx: HandlerContext = handlerContext()) =>
  sqmV2Route.handle(wireRequest({ url: URL, body }), ctx, { tokens: new MemoryTokenState(), conversation: new MemoryConversation() });
const cmds = (o: { answer: { body: Buffer } }) => responseCommands(text(o as never));
const rules = (...r: object[]) => ({ rules: r });
const TOKEN = /^3\.[0-9a-f]{32}\.[0-9a-f]{16}$/;

afterAll(removeTempDirs);

describe('sqm-v2: requpload', () => {
  it('by default: approved with a token, stored as an sqm-v2:token row that lives 4 days', async () => {
    const o = await send(buildSqmV2Message({ cmd: 'requpload' }));
    expect(o).toMatchObject({ protocol: 'sqm-v2', partner: 'windows', ruleName: null, answer: { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } } });
    const { nm, args } = cmds(o)['1'];
    expect(nm).toBe('approved');
    expect(args.token).toMatch(TOKEN);
    expect(args.tm).toBe(args.tokenexp);
    expect(stmts(o)).toEqual(['sqm-v2:token']);
    const p = rowsOf(o, 'sqm-v2:token')[0].params as Record<string, string>;
    expect(p).toMatchObject({ token: args.token, mid: DEFAULT_CTRL.mid, expiresFiletime: args.tm });
    expect(JSON.parse(p.namespace)).toMatchObject({ svc: 'sqm', ptr: 'windows', gp: 'winsqm8', app: '6' });
    expect(Date.parse(p.expiresAt) - Date.parse(p.issuedAt)).toBe(345600_000);
    expect(o.findings).toEqual([]);
  });

  it.each([
    ['the scenario tokens.lifetimeSeconds', { tokens: { lifetimeSeconds: 60 } }, 60],
    ["a rule's v2.approve.lifetimeSeconds, over the scenario's", { tokens: { lifetimeSeconds: 60 }, ...rules({ respond: { v2: { approve: { lifetimeSeconds: 30 } } } }) }, 30],
  ])('token lifetime from %s', async (_n, scenario, seconds) => {
    const p = rowsOf(await send(buildSqmV2Message({ cmd: 'requpload' }), handlerContext(scenario)), 'sqm-v2:token')[0].params as Record<string, string>;
    expect(Date.parse(p.expiresAt) - Date.parse(p.issuedAt)).toBe(seconds * 1000);
  });

  it('tokens come from the seeded stream: new for each request, the same sequence for a new engine', async () => {
    const hex = async (ctx: HandlerContext) => cmds(await send(buildSqmV2Message({ cmd: 'requpload' }), ctx))['1'].args.token.split('.')[1];
    const a = handlerContext({ seed: 7 });
    const b = handlerContext({ seed: 7 });
    const first = await hex(a);
    expect(await hex(a)).not.toBe(first);
    expect(await hex(b)).toBe(first);
  });
});

describe('sqm-v2: qryrsrc', () => {
  const manifest7 = { partners: { windows: { manifest: { version: 7 } } } };
  it.each<[string, object, string | undefined, string, Record<string, string>]>([
    ['no manifest for the partner', {}, undefined, 'none', {}],
    ['the partner has manifest version 7', manifest7, undefined, 'rsrc', { ver: '7', path: 'sqm/windows/manifests/Sqm7.bin' }],
    ['another resource than the manifest', manifest7, 'other', 'none', {}],
    ['a rule says v2.none', { ...manifest7, ...rules({ respond: { v2: { none: true } } }) }, undefined, 'none', {}],
    [
      'a rule with a v2 key that does not fit the command (throttle)',
      { ...manifest7, ...rules({ respond: { v2: { throttle: { period: 3, namespace: 'all' } } } }) },
      undefined,
      'rsrc',
      { ver: '7' },
    ],
  ])('%s → %s', async (_n, scenario, name, nm, args) => {
    const o = await send(buildSqmV2Message({ cmd: 'qryrsrc', name }), handlerContext(scenario));
    expect(cmds(o)['1']).toMatchObject({ nm, args });
    expect(o.rows).toEqual([]);
  });
});

describe('sqm-v2: a req refused', () => {
  it.each<[string, object, Buffer, string, string, string]>([
    [
      'a ptr the scenario does not list',
      { partners: { windows: null } },
      buildSqmV2Message({ cmd: 'requpload', namespace: { ptr: 'office' } }),
      'unknown-partner',
      'sqm-v2.unknown-partner',
      'MS-SQMCS2 2.2.2.13.2',
    ],
    [
      'a machine arg missing (strict)',
      {},
      buildSqmV2Message({ cmd: 'requpload', ctrl: { tm: '1', sample: 3, scf: 0, test: 0, msft: 0 } }),
      'missing-arg',
      'sqm-v2.missing-arg',
      'MS-SQMCS2 2.2.2.9',
    ],
    [
      'an os arg missing (strict)',
      {},
      buildSqmV2Message({ cmd: 'requpload', os: Object.fromEntries(Object.entries(DEFAULT_OS).filter(([k]) => k !== 'versp')) }),
      'missing-arg',
      'sqm-v2.missing-arg',
      'MS-SQMCS2 2.2.2.7',
    ],
    ['a qryrsrc without name (strict)', {}, buildV2Message({ reqs: [{ key: '1', cmd: 'qryrsrc' }] }), 'missing-arg', 'sqm-v2.missing-arg', 'MS-SQMCS2 2.2.2.16.3'],
    ['an unknown command', {}, buildV2Message({ reqs: [{ key: '1', cmd: 'frobnicate' }] }), 'unknown-command', 'sqm-v2.unknown-command', 'MS-SQMCS2 2.2.2.16'],
  ])('%s → error %s', async (_n, scenario, body, code, rule, specRef) => {
    const o = await send(body, handlerContext(scenario));
    expect(o.answer.status).toBe(200);
    expect(cmds(o)['1']).toMatchObject({ nm: 'error', args: { retrv: '0', code } });
    expect(ruleRefs(o).map(([r, s]) => [r, s])).toEqual([[rule, specRef]]);
    expect(stmts(o)).toEqual([]);
    // A refused requpload or dataupload is remembered for the client (the same data again is judged); nothing else is.
    expect(conversationRows(o).every((r) => r.params.kind === 'refused')).toBe(true);
  });

  it('lenient: a missing arg is still recorded, the req approved', async () => {
    const o = await send(buildSqmV2Message({ cmd: 'requpload', ctrl: { tm: '1', sample: 3, scf: 0, test: 0, msft: 0 } }), handlerContext({ strictness: 'lenient' }));
    expect(cmds(o)['1'].nm).toBe('approved');
    expect(ruleRefs(o)).toEqual([['sqm-v2.missing-arg', 'MS-SQMCS2 2.2.2.9', 'warning']]);
  });

  it('a missing machine arg refuses every req and is recorded once', async () => {
    const o = await send(
      buildV2Message({
        ctrl: { tm: '1', sample: 3, scf: 0, test: 0, msft: 0 },
        reqs: [
          { key: 'a', cmd: 'requpload' },
          { key: 'b', cmd: 'requpload' },
        ],
      }),
    );
    expect(Object.values(cmds(o)).map((c) => c.args.code)).toEqual(['missing-arg', 'missing-arg']);
    expect(o.findings).toHaveLength(1);
  });
});

describe('sqm-v2: a rule', () => {
  it.each<[string, object, string, Record<string, string>]>([
    ['v2.throttle', { v2: { throttle: { period: 3, namespace: 'all' } } }, 'throttle', { period: '3', namespace: 'all' }],
    ['v2.error', { v2: { error: { retrv: 1, code: 503, message: 'outage' } } }, 'error', { retrv: '1', code: '503', message: 'outage' }],
    [
      'v2 with a plain status (the v2 part wins, the status is not sent)',
      { status: 503, v2: { throttle: { period: 1, namespace: 'ptr' } } },
      'throttle',
      { period: '1', namespace: 'ptr' },
    ],
  ])('respond %s answers the req; no token is issued', async (_n, respond, nm, args) => {
    const o = await send(buildSqmV2Message({ cmd: 'requpload' }), handlerContext(rules({ name: 'r', when: { protocol: 'sqm-v2', command: 'requpload' }, respond })));
    expect(o).toMatchObject({ ruleName: 'r', answer: { status: 200 } });
    expect(cmds(o)['1']).toEqual({ nm, args });
    expect(stmts(o)).toEqual([]);
    // What the answer set up for the client (the throttle window, or the refused data).
    expect(conversationRows(o).map((r) => r.params.kind)).toEqual([nm === 'throttle' ? 'throttle' : 'refused']);
  });

  it.each<[string, object, number, string | undefined, string | undefined]>([
    ['503 with a body', { status: 503, body: 'busy' }, 503, 'text/plain; charset=utf-8', 'scenario answered 503'],
    ['502 without a body', { status: 502 }, 502, undefined, 'scenario answered 502'],
    ['200 with its own content type', { body: '<x/>', headers: { 'content-type': 'text/xml' } }, 200, 'text/xml', undefined],
  ])('plain answer %s replaces the XML; the message is not taken (no token)', async (_n, respond, status, contentType, reason) => {
    const o = await send(buildSqmV2Message({ cmd: 'requpload' }), handlerContext(rules({ name: 'plain', respond })));
    expect(o).toMatchObject({ ruleName: 'plain', answer: { status, reason } });
    expect(o.answer.headers['content-type']).toBe(contentType);
    expect(text(o)).toBe((respond as { body?: string }).body ?? '');
    expect(o.rows ?? []).toEqual([]);
  });

  it('the first req a rule matches names the message and gives it its delivery', async () => {
    const body = buildV2Message({
      reqs: [
        { key: 'a', cmd: 'requpload' },
        { key: 'b', cmd: 'qryrsrc', cmdArgs: { name: 'manifest' } },
      ],
    });
    const o = await send(body, handlerContext(rules({ name: 'slow-query', when: { command: 'qryrsrc' }, respond: { delayMs: 20 } })));
    expect(o).toMatchObject({ ruleName: 'slow-query', delivery: { delayMs: 20 } });
    expect(Object.fromEntries(Object.entries(cmds(o)).map(([k, c]) => [k, c.nm]))).toEqual({ a: 'approved', b: 'none' });
    expect(stmts(o)).toEqual(['sqm-v2:token']);
  });

  it('when.partner is the req ptr, not the URL partner', async () => {
    const scenario = rules({ name: 'office', when: { partner: 'office' }, respond: { v2: { throttle: { period: 2, namespace: 'ptr' } } } });
    const o = await send(
      buildV2Message({
        reqs: [
          { key: 'w', cmd: 'requpload' },
          { key: 'o', cmd: 'requpload', namespace: { ptr: 'office' } },
        ],
      }),
      handlerContext(scenario),
    );
    expect([cmds(o).w.nm, cmds(o).o.nm]).toEqual(['approved', 'throttle']);
  });
});

describe('sqm-v2: malformed messages (3.1.5.1): 200, empty body, no rule', () => {
  const xml = buildV2Xml({ reqs: [{ key: '1', cmd: 'requpload' }] });
  it.each<[string, Buffer, string, string]>([
    ['a length prefix larger than the body', Buffer.concat([Buffer.from([0xff, 0xff, 0, 0]), Buffer.from(xml)]), 'sqm-v2.framing', 'MS-SQMCS2 2.2.2.1'],
    ['XML that is not well-formed', frameMessage('<req ver="2"><tlm></req>'), 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['a DOCTYPE', frameMessage('<!DOCTYPE req [<!ENTITY x "y">]>' + xml.replace(/^<\?xml[^>]*\?>/, '')), 'sqm-v2.doctype', 'MS-TPXS 5.1'],
    [
      'two reqs with one key',
      buildV2Message({
        reqs: [
          { key: '1', cmd: 'requpload' },
          { key: '1', cmd: 'requpload' },
        ],
      }),
      'sqm-v2.duplicate-key',
      'MS-SQMCS2 2.2.2.12',
    ],
  ])('%s', async (_n, body, rule, specRef) => {
    const o = await send(body, handlerContext(rules({ name: 'outage', respond: { status: 503 } })));
    expect(o.answer).toMatchObject({ status: 200, headers: {} });
    expect(o.answer.body.length).toBe(0);
    expect(ruleRefs(o)).toEqual([[rule, specRef, 'error']]);
    expect(o.answer.reason).toBe(o.findings![0].message);
    expect(o.ruleName ?? null).toBeNull();
    expect(o.rows ?? []).toEqual([]);
  });
});

describe('sqmV2Route', () => {
  it.each([
    ['POST with a v2 body', 'POST', buildSqmV2Message({ cmd: 'requpload' }), true],
    ['PUT with a v2 body', 'PUT', buildSqmV2Message({ cmd: 'requpload' }), true],
    ['GET with a v2 body', 'GET', buildSqmV2Message({ cmd: 'requpload' }), false],
    ['POST with an MSQM session', 'POST', Buffer.from('MSQM' + '\0'.repeat(200)), false],
  ])('accepts %s?', (_n, method, body, yes) => {
    expect(sqmV2Route.accepts!(wireRequest({ method, url: URL, body }))).toBe(yes);
  });
});
