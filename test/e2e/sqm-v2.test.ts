// SQM v2 (MS-SQMCS2) end to end against a real listening server: requpload → approved,
// dataupload → receipt with the sessions stored in their v2 context, qryrsrc → rsrc/none, the
// document's own examples, and answers chosen by scenario rules. Errors: sqm-v2-errors.test.ts.

import { frameMessage } from '../../server/codecs/sqm-v2-message/framing';
import { buildCabinet, buildSqmSession, buildV2Message, buildV2Xml, DEFAULT_OS, responseCommands, type BuildReq } from '../../server/testing';
import { filetimeFromMs } from '../../server/wire/filetime';
import { fixture } from '../helpers/fixtures';
import { send, type Reply } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const post = (body: Uint8Array, method = 'POST') => send(`${mock.url}/sqm/windows/sqmserver.dll`, { body, method });
const cmds = (res: Reply) => responseCommands(res.text);
const idOf = (res: Reply) => Number(res.headers.get('x-mock-request-id'));
const TOKEN_RE = /^3\.[0-9a-f]{32}\.[0-9a-f]{16}$/;

/** A valid v1 session of exactly `size` bytes (MS-SQMCS 2.2.4), told apart by its string data point. */
function sessionOfSize(size: number, tag: string): Buffer {
  const fixed = buildSqmSession({ sections: [{ type: 'string', datapoints: [{ id: 780, value: tag }] }] }).length;
  if ((size - fixed) % 2 !== 0 || size < fixed) throw new Error(`cannot make a ${size}-byte session`);
  return buildSqmSession({ sections: [{ type: 'string', datapoints: [{ id: 780, value: tag + '.'.repeat((size - fixed) / 2) }] }] });
}

async function approvedToken(): Promise<string> {
  const res = await post(buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] }));
  const c = cmds(res)['1'];
  if (c?.nm !== 'approved') throw new Error(`requpload answered ${res.text}`);
  return c.args.token;
}

const upload = (key: string, token: string, offset: number, size: number, extra: Partial<BuildReq> = {}): BuildReq => ({
  key,
  cmd: 'dataupload',
  cmdArgs: { tm: '129579283005582927', token, size, offset },
  ...extra,
});

describe('requpload → approved', () => {
  it('answers every req of the 4.2 example, namespaces echoed with their args, a stored token each', async () => {
    const before = filetimeFromMs(Date.now());
    const res = await post(frameMessage(fixture('sqm-v2', 'requpload-4.2.xml')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><resp ver="2"><tlm><resps><resp key="1">/);
    expect(res.text).toContain(
      '<resp key="1"><namespace svc="sqm" ptr="windows" gp="winsqm8" app="6"><arg nm="caid" val="{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}" /></namespace><cmd nm="approved">',
    );
    expect(res.text).toContain('<resp key="2"><namespace svc="sqm" ptr="windows" gp="winsqm8" app="6" /><cmd nm="approved">');
    const c = cmds(res);
    expect(Object.keys(c)).toEqual(['1', '2']);
    for (const key of ['1', '2']) {
      expect(c[key].args.token).toMatch(TOKEN_RE);
      expect(c[key].args.tokenexp).toBe(c[key].args.tm);
      // MS-SQMCS2 4.2: the token's last part is its tokenexp in hex (…01cc5ed08779ac68 = 129582739006008424).
      expect(BigInt(`0x${c[key].args.token.split('.')[2]}`).toString()).toBe(c[key].args.tokenexp);
      // The default lifetime: 4 days, in FILETIME units.
      const lifetime = BigInt(c[key].args.tm) - before;
      expect(lifetime).toBeGreaterThanOrEqual(4n * 86400n * 10_000_000n);
      expect(lifetime).toBeLessThan(4n * 86400n * 10_000_000n + 60n * 10_000_000n);
    }
    expect(c['1'].args.token).not.toBe(c['2'].args.token);

    const tokens = await mock.client.sqmTokens();
    expect(tokens.map((t) => t.token)).toEqual([c['1'].args.token, c['2'].args.token]);
    expect(tokens[0]).toMatchObject({
      requestId: idOf(res),
      mid: '{FE166778-8E09-4BD8-B840-DF6B79D40232}',
      expiresFiletime: c['1'].args.tm,
      usedBy: [],
      namespace: { svc: 'sqm', ptr: 'windows', gp: 'winsqm8', app: '6', args: [{ nm: 'caid', val: '{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}' }] },
    });
    expect(Date.parse(tokens[0].expiresAt) - Date.parse(tokens[0].issuedAt)).toBe(4 * 86400 * 1000);

    const r = await mock.client.request(idOf(res));
    expect(r).toMatchObject({ protocol: 'sqm-v2', method: 'POST', status: 200, ruleName: null });
    expect(r.requestXml).toBe(fixture('sqm-v2', 'requpload-4.2.xml').toString('utf8'));
    expect(r.responseBody).toBe(res.text);
    // Every os and ctrl arg is kept and readable (MS-SQMCS2 2.2.2.7, 2.2.2.9, 2.2.2.14).
    expect(r.message!.os.map((a) => a.nm)).toEqual([
      'vermaj',
      'vermin',
      'verbld',
      'versp',
      'arch',
      'lcid',
      'geoid',
      'sku',
      'domain',
      'csdbld',
      'prodsuite',
      'ntprodtype',
      'platid',
      'tmsi',
      'osinsty',
      'iever',
      'portos',
    ]);
    expect(r.message!.os).toContainEqual({ nm: 'iever', val: '9.0.8040.0-RTM' });
    expect(r.message!.ctrl.map((a) => a.nm)).toEqual(['tm', 'mid', 'sample', 'caid']);
    expect(r.message!.reqs.map((q) => [q.key, q.ctrl, q.cmd?.nm])).toEqual([
      [
        '1',
        [
          { nm: 'sid', val: '4052' },
          { nm: 'uid', val: '{2B2F5135-0075-4AB7-B3AD-6D9AE80891E4}' },
        ],
        'requpload',
      ],
      [
        '2',
        [
          { nm: 'sid', val: '4052' },
          { nm: 'uid', val: '{2B2F5135-0075-4AB7-B3AD-6D9AE80891E4}' },
        ],
        'requpload',
      ],
    ]);
    // The document's example is clean: no error or warning (the args it omits are info).
    expect(await mock.client.violations({ requestId: idOf(res) })).toEqual([]);
    const all = await mock.client.violations({ requestId: idOf(res), level: 'all' });
    expect(all.map((v) => [v.rule, v.level, /"(\w+)"/.exec(v.message)?.[1]])).toEqual(['ram', 'scf', 'test', 'msft'].map((nm) => ['sqm-v2.missing-arg', 'info', nm]));
  });

  it('keys and namespaces come back exactly as sent: order, references, whitespace', async () => {
    const xml = buildV2Xml({ reqs: [{ key: ' k&1 ', cmd: 'requpload', namespace: { args: { caid: '  a&b  ' } } }] }).replace(
      /<namespace[^>]*>/,
      `<namespace app=' 6 ' gp="g&#x26;p" ptr="windows" svc="sqm">`,
    );
    const res = await post(frameMessage(xml));
    expect(res.text).toContain(
      `<resp key=" k&amp;1 "><namespace app=" 6 " gp="g&#x26;p" ptr="windows" svc="sqm"><arg nm="caid" val="  a&amp;b  " /></namespace><cmd nm="approved">`,
    );
  });

  it('PUT works like POST', async () => {
    const res = await post(buildV2Message({ reqs: [{ key: 'p', cmd: 'requpload' }] }), 'PUT');
    expect(cmds(res)['p'].nm).toBe('approved');
    expect(await mock.client.request(idOf(res))).toMatchObject({ method: 'PUT', protocol: 'sqm-v2' });
  });

  it('takes the lifetime from the scenario (tokens.lifetimeSeconds, then v2.approve.lifetimeSeconds)', async () => {
    await mock.client.setScenario({
      tokens: { lifetimeSeconds: 3600 },
      rules: [{ name: 'short', when: { namespace: { app: 'short' } }, respond: { v2: { approve: { lifetimeSeconds: 60 } } } }],
    });
    await post(
      buildV2Message({
        reqs: [
          { key: '1', cmd: 'requpload' },
          { key: '2', cmd: 'requpload', namespace: { app: 'short' } },
        ],
      }),
    );
    const [long, short] = await mock.client.sqmTokens();
    expect(Date.parse(long.expiresAt) - Date.parse(long.issuedAt)).toBe(3600_000);
    expect(Date.parse(short.expiresAt) - Date.parse(short.issuedAt)).toBe(60_000);
  });
});

describe('dataupload → receipt', () => {
  it('two sessions in one blob: two receipts, two v2 sessions with their context, the token used by the request', async () => {
    const token = await approvedToken();
    const s1 = sessionOfSize(400, 'first');
    const s2 = sessionOfSize(520, 'second');
    const before = filetimeFromMs(Date.now());
    const res = await post(
      buildV2Message({
        payload: Buffer.concat([s1, s2]),
        reqs: [
          upload('a', token, 0, s1.length, { namespace: { args: { caid: '{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}' } }, contents: { kind: 'first' } }),
          upload('b', token, s1.length, s2.length, { namespace: { gp: 'other', app: '7' } }),
        ],
      }),
    );
    const after = filetimeFromMs(Date.now());
    const c = cmds(res);
    expect(Object.keys(c)).toEqual(['a', 'b']);
    for (const key of ['a', 'b']) {
      expect(c[key].nm).toBe('receipt');
      expect(c[key].args.tm).toMatch(/^\d+$/);
      expect(BigInt(c[key].args.tm)).toBeGreaterThanOrEqual(before);
      expect(BigInt(c[key].args.tm)).toBeLessThanOrEqual(after);
    }
    expect(res.text).toContain('<resp key="b"><namespace svc="sqm" ptr="windows" gp="other" app="7" /><cmd nm="receipt">');

    const sessions = await mock.client.sqmSessions({ protocol: 2 });
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => [s.protocolVersion, s.requestId, s.partner, s.accepted])).toEqual([
      [2, idOf(res), 'windows', true],
      [2, idOf(res), 'windows', true],
    ]);
    expect(sessions.map((s) => String(s.sections[0].datapoints![0].value).replace(/\.+$/, ''))).toEqual(['first', 'second']);
    expect(sessions[0].context).toEqual({
      reqKey: 'a',
      namespace: { svc: 'sqm', ptr: 'windows', gp: 'winsqm8', app: '6', args: { caid: '{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}' } },
      os: Object.fromEntries(Object.entries(DEFAULT_OS).map(([k, v]) => [k, String(v)])),
      hw: { form: '2', arch: '9' },
      machineCtrl: { tm: '129579283005426872', mid: '{FE166778-8E09-4BD8-B840-DF6B79D40232}', sample: '46445977', scf: '0', test: '0', msft: '0' },
      ctrl: { startutc: '129579263664570000', endutc: '129579283005426872' },
      contents: { kind: 'first' },
      cmd: { tm: '129579283005582927', token, size: '400', offset: '0' },
    });
    expect(sessions[1].context).toMatchObject({ reqKey: 'b', namespace: { gp: 'other', app: '7', args: {} }, cmd: { offset: '400', size: '520' } });
    expect(await mock.client.sqmSessions({ protocol: 1 })).toEqual([]);

    const [t] = await mock.client.sqmTokens();
    expect(t.usedBy).toEqual([idOf(res)]);
    expect(await mock.client.violations({ requestId: idOf(res), kind: 'request' })).toEqual([]);
    // One token for two sessions, the second in another namespace: the conversation says so (MS-SQMCS2 3.1.5.2.1).
    expect((await mock.client.violations({ requestId: idOf(res), kind: 'conversation' })).map((v) => v.rule)).toEqual(['sqm-v2.token-scope']);
  });

  it('a compressed blob (payload comp + precompsize): a cabinet holding the sessions', async () => {
    const token = await approvedToken();
    const s1 = sessionOfSize(3000, 'zipped-1');
    const s2 = sessionOfSize(5000, 'zipped-2');
    const raw = Buffer.concat([s1, s2]);
    const cab = buildCabinet(raw);
    expect(cab.length).toBeLessThan(raw.length / 4);
    const res = await post(
      buildV2Message({
        payload: cab,
        payloadArgs: { size: cab.length, comp: 'cab', precompsize: raw.length },
        reqs: [upload('1', token, 0, s1.length), upload('2', token, s1.length, s2.length)],
      }),
    );
    expect(Object.values(cmds(res)).map((c) => c.nm)).toEqual(['receipt', 'receipt']);
    const sessions = await mock.client.sqmSessions({ protocol: 2 });
    expect(sessions.map((s) => String(s.sections[0].datapoints![0].value).replace(/\.+$/, ''))).toEqual(['zipped-1', 'zipped-2']);
    expect(sessions.every((s) => s.accepted)).toBe(true);
  });

  it('PUT works like POST', async () => {
    const token = await approvedToken();
    const s = sessionOfSize(300, 'put');
    const res = await post(buildV2Message({ payload: s, reqs: [upload('1', token, 0, s.length)] }), 'PUT');
    expect(cmds(res)['1'].nm).toBe('receipt');
    expect(await mock.client.sqmSessions({ protocol: 2 })).toHaveLength(1);
  });

  it('the 4.3 example (with a token this mock issued) gets the documented receipts; its missing startutc/endutc are recorded', async () => {
    // MS-SQMCS2 2.2.2.14 requires startutc/endutc on a dataupload's <ctrl>; the document's own example
    // leaves them out, so they are recorded (info) and never refused, in strict mode too.
    const token = await approvedToken();
    const xml = fixture('sqm-v2', 'dataupload-4.3.xml').toString('utf8').split('3.737e6827d6765e60d6900768b36f8c84.01cc5ed08779ac68').join(token);
    const res = await post(frameMessage(xml, Buffer.concat([sessionOfSize(1320, 'doc-1'), sessionOfSize(1332, 'doc-2')])));
    const c = cmds(res);
    expect(Object.keys(c)).toEqual(['1', '2']);
    for (const key of ['1', '2']) {
      expect(c[key].nm).toBe('receipt');
      expect(Object.keys(c[key].args)).toEqual(['tm']);
      expect(c[key].args.tm).toMatch(/^\d{18}$/);
    }
    expect(res.text).toContain(
      '<resp key="2"><namespace svc="sqm" ptr="windows" gp="winsqm8" app="6"><arg nm="caid" val="{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}" /></namespace><cmd nm="receipt">',
    );
    const sessions = await mock.client.sqmSessions({ protocol: 2 });
    expect(sessions.map((s) => (s.context as { cmd: { size: string; offset: string } }).cmd)).toMatchObject([
      { size: '1320', offset: '0' },
      { size: '1332', offset: '1320' },
    ]);
    // No error or warning: startutc/endutc, ram, scf, test and msft, which the examples omit, are info.
    expect(await mock.client.violations({ requestId: idOf(res) })).toEqual([]);
    const v = (await mock.client.violations({ requestId: idOf(res), level: 'all' })).filter((x) => x.specRef === 'MS-SQMCS2 2.2.2.14');
    expect(v.map((x) => [x.rule, x.specRef, x.level])).toEqual(Array(4).fill(['sqm-v2.missing-arg', 'MS-SQMCS2 2.2.2.14', 'info']));
    expect(v.map((x) => x.message).join(' ')).toMatch(/startutc.*endutc.*startutc.*endutc/);
  });
});

describe('qryrsrc', () => {
  const query = (app = 'default') => buildV2Message({ reqs: [{ key: 'q', cmd: 'qryrsrc', cmdArgs: { name: 'manifest' }, namespace: { app } }] });

  it('the 4.1 example → none when the partner has no manifest', async () => {
    const res = await post(frameMessage(fixture('sqm-v2', 'qryrsrc-4.1.xml')));
    expect(res.text).toContain('<resp key="1"><namespace svc="sqm" ptr="windows" gp="winsqm8" app="default" /><cmd nm="none"></cmd></resp>');
    expect(cmds(res)).toEqual({ '1': { nm: 'none', args: {} } });
    // The document's example gives no error or warning (osinsty, ram, tmsi, scf, test, msft: info).
    expect(await mock.client.violations({ requestId: idOf(res) })).toEqual([]);
  });

  it('the 4.1 example → rsrc with ver and path when partners.windows.manifest.version is 7', async () => {
    await mock.client.setScenario({ partners: { windows: { manifest: { version: 7 } } } });
    const res = await post(frameMessage(fixture('sqm-v2', 'qryrsrc-4.1.xml')));
    expect(cmds(res)).toEqual({ '1': { nm: 'rsrc', args: { ver: '7', path: 'sqm/windows/manifests/Sqm7.bin' } } });
  });

  it('respond.v2.none: true → none even with a manifest', async () => {
    await mock.client.setScenario({ partners: { windows: { manifest: { version: 7 } } }, rules: [{ when: { command: 'qryrsrc' }, respond: { v2: { none: true } } }] });
    expect(cmds(await post(query()))['q'].nm).toBe('none');
  });

  it('a partner other than the one with the manifest → none', async () => {
    await mock.client.setScenario({ partners: { windows: { manifest: { version: 7 } }, office: null } });
    const res = await post(buildV2Message({ reqs: [{ key: 'q', cmd: 'qryrsrc', cmdArgs: { name: 'manifest' }, namespace: { ptr: 'office' } }] }));
    expect(cmds(res)['q'].nm).toBe('none');
  });
});

describe('scenario answers', () => {
  it.each(['root', 'svc', 'ptr', 'gp', 'app', 'all'] as const)('respond.v2.throttle at %s', async (level) => {
    await mock.client.setScenario({
      rules: [{ name: `throttle-${level}`, when: { protocol: 'sqm-v2', command: 'requpload' }, respond: { v2: { throttle: { period: 3, namespace: level } } } }],
    });
    const res = await post(buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] }));
    expect(cmds(res)).toEqual({ '1': { nm: 'throttle', args: { period: '3', namespace: level } } });
    expect(res.text).toContain('<namespace svc="sqm" ptr="windows" gp="winsqm8" app="6" /><cmd nm="throttle">');
    expect(await mock.client.sqmTokens()).toEqual([]);
    expect((await mock.client.request(idOf(res))).ruleName).toBe(`throttle-${level}`);
  });

  it('rules are decided per req: when.namespace picks which reqs are throttled', async () => {
    await mock.client.setScenario({ rules: [{ when: { namespace: { gp: 'noisy' } }, respond: { v2: { throttle: { period: 14, namespace: 'gp' } } } }] });
    const res = await post(
      buildV2Message({
        reqs: [
          { key: '1', cmd: 'requpload', namespace: { gp: 'noisy' } },
          { key: '2', cmd: 'requpload' },
        ],
      }),
    );
    expect(Object.entries(cmds(res)).map(([k, c]) => [k, c.nm])).toEqual([
      ['1', 'throttle'],
      ['2', 'approved'],
    ]);
  });

  it('respond.v2.error with retrv 1 (a partial outage): the client may retry', async () => {
    await mock.client.setScenario({ rules: [{ when: { protocol: 'sqm-v2' }, respond: { v2: { error: { retrv: 1, code: 503, message: 'partial outage' } } } }] });
    const res = await post(
      buildV2Message({
        reqs: [
          { key: '1', cmd: 'requpload' },
          { key: '2', cmd: 'qryrsrc', cmdArgs: { name: 'manifest' } },
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(cmds(res)).toEqual({
      '1': { nm: 'error', args: { retrv: '1', code: '503', message: 'partial outage' } },
      '2': { nm: 'error', args: { retrv: '1', code: '503', message: 'partial outage' } },
    });
    expect(await mock.client.sqmTokens()).toEqual([]);
  });

  it('lenient: a missing os arg is recorded, and the req is still approved', async () => {
    await mock.client.setScenario({ strictness: 'lenient' });
    const { vermaj: _absent, ...os } = DEFAULT_OS;
    const res = await post(buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }], os }));
    expect(cmds(res)['1'].nm).toBe('approved');
    const v = await mock.client.violations({ requestId: idOf(res) });
    expect(v.map((x) => [x.rule, x.specRef, x.level])).toEqual([['sqm-v2.missing-arg', 'MS-SQMCS2 2.2.2.7', 'warning']]);
    expect(v[0].message).toContain('vermaj');
  });
});
