// SQM v2 (MS-SQMCS2) end to end, what goes wrong: malformed messages get HTTP 200 with an empty
// body and a violation (3.1.5.1); bad tokens, payloads and sessions get an `error` per req.

import { frameMessage, XML_LIMIT } from '../../server/codecs/sqm-v2-message/framing';
import { buildSqmSession, buildV2Message, buildV2Xml, responseCommands, type BuildReq } from '../../server/testing';
import { fixture } from '../helpers/fixtures';
import { send, type Reply } from '../helpers/http';
import { useMock } from '../helpers/lifecycle';

const mock = useMock();
const post = (body: Uint8Array, method = 'POST') => send(`${mock.url}/sqm/windows/sqmserver.dll`, { body, method });
const cmds = (res: Reply) => responseCommands(res.text);
const idOf = (res: Reply) => Number(res.headers.get('x-mock-request-id'));
const rulesOf = async (res: Reply) => (await mock.client.violations({ requestId: idOf(res) })).map((v) => v.rule);

const session = (tag: string) => buildSqmSession({ sections: [{ type: 'string', datapoints: [{ id: 780, value: tag }] }] });
const upload = (key: string, token: string, offset: number, size: number, cmdArgs: Record<string, string | number> = {}): BuildReq => ({
  key,
  cmd: 'dataupload',
  cmdArgs: { tm: '129579283005582927', token, size, offset, ...cmdArgs },
});
async function approvedToken(): Promise<string> {
  const res = await post(buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] }));
  return cmds(res)['1'].args.token;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('malformed messages: HTTP 200, an empty body, a violation (MS-SQMCS2 3.1.5.1)', () => {
  const laughs = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i < 10; i++) laughs.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  const base = buildV2Xml({ reqs: [{ key: '1', cmd: 'requpload' }] });
  const cases: [string, () => Buffer, string][] = [
    ['XML not well-formed', () => frameMessage(base.replace('</tlm>', '')), 'sqm-v2.xml'],
    ['"<" in a namespace attribute (it would be echoed)', () => frameMessage(base.replace('app="6"', 'app="6<7"')), 'sqm-v2.xml'],
    [
      'the 4.2 example as printed ("< t.1m>")',
      () => frameMessage(fixture('sqm-v2', 'requpload-4.2.xml').toString('utf8').replace(' <tlm>\n    <src>', ' < t.1m>\n    <src>')),
      'sqm-v2.xml',
    ],
    ['not the TPXS shape (no <reqs>)', () => frameMessage(base.replace(/<reqs>.*<\/reqs>/, '')), 'sqm-v2.missing-element'],
    ['an unknown element', () => frameMessage(base.replace('<reqs>', '<reqs><extra/>')), 'sqm-v2.element'],
    ['XML over 1 MiB', () => frameMessage(base.replace('<reqs>', `<!--${' '.repeat(XML_LIMIT)}--><reqs>`)), 'sqm-v2.xml-limit'],
    ['a billion-laughs entity bomb', () => frameMessage(`<?xml version="1.0"?><!DOCTYPE req [${laughs.join('')}]><req ver="2"><tlm>&lol9;</tlm></req>`), 'sqm-v2.doctype'],
    ['an XXE document', () => frameMessage('<?xml version="1.0"?><!DOCTYPE req [<!ENTITY x SYSTEM "file:///etc/passwd">]><req ver="&x;"/>'), 'sqm-v2.doctype'],
    [
      'duplicate req keys',
      () =>
        buildV2Message({
          reqs: [
            { key: '1', cmd: 'requpload' },
            { key: '1', cmd: 'requpload' },
          ],
        }),
      'sqm-v2.duplicate-key',
    ],
    ['<req ver="3">', () => frameMessage(base.replace('<req ver="2">', '<req ver="3">')), 'sqm-v2.version'],
  ];
  it.each(cases)('%s', async (_name, body, rule) => {
    const res = await post(body());
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(await rulesOf(res)).toContain(rule);
    const r = await mock.client.request(idOf(res));
    expect(r).toMatchObject({ protocol: 'sqm-v2', status: 200 });
    expect(await mock.client.sqmTokens()).toEqual([]);
  });

  it('the entity bomb is answered, and nothing was expanded into the store', async () => {
    const body = frameMessage(`<?xml version="1.0"?><!DOCTYPE req [${laughs.join('')}]><req ver="2"><tlm>&lol9;</tlm></req>`);
    const res = await post(body);
    expect(res.status).toBe(200);
    const [v] = await mock.client.violations({ requestId: idOf(res) });
    expect(v).toMatchObject({ protocol: 'sqm-v2', rule: 'sqm-v2.doctype', specRef: 'MS-TPXS 5.1' });
    expect(v.message).not.toContain('lol');
    expect((await mock.client.request(idOf(res))).bodySize).toBe(body.length);
  });
});

describe('tokens (MS-SQMCS2 3.1.5.3)', () => {
  const s = session('token test');
  const withToken = (token: string) => buildV2Message({ payload: s, reqs: [upload('1', token, 0, s.length)] });

  it('unknown (well-formed, never issued) → error retrv 0, no session stored', async () => {
    const res = await post(withToken('3.0123456789abcdef0123456789abcdef.01cc5ed08779ac68'));
    expect(cmds(res)['1']).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'token-unknown' } });
    expect(await mock.client.sqmSessions({ protocol: 2 })).toEqual([]);
  });

  it('malformed → error retrv 0', async () => {
    const res = await post(withToken('not-a-token'));
    expect(cmds(res)['1']).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'token-malformed' } });
  });

  it("the document example's token (4.3) is unknown here → error retrv 0", async () => {
    const res = await post(withToken('3.737e6827d6765e60d6900768b36f8c84.01cc5ed08779ac68'));
    expect(cmds(res)['1'].args.retrv).toBe('0');
  });

  it('expired (tokens.lifetimeSeconds: 1, used 1.1 s later) → error retrv 1, the use recorded', async () => {
    await mock.client.setScenario({ tokens: { lifetimeSeconds: 1 } });
    const token = await approvedToken();
    await sleep(1100);
    const res = await post(withToken(token));
    expect(cmds(res)['1']).toMatchObject({ nm: 'error', args: { retrv: '1', code: 'token-expired' } });
    expect(await mock.client.sqmSessions({ protocol: 2 })).toEqual([]);
    expect((await mock.client.sqmTokens())[0].usedBy).toEqual([idOf(res)]);
  });

  it('expired (v2.approve.lifetimeSeconds: 0.2, used 0.3 s later) → error retrv 1', async () => {
    await mock.client.setScenario({ rules: [{ when: { command: 'requpload' }, respond: { v2: { approve: { lifetimeSeconds: 0.2 } } } }] });
    const token = await approvedToken();
    await sleep(300);
    expect(cmds(await post(withToken(token)))['1'].args.retrv).toBe('1');
  });
});

describe('payload and slices (MS-SQMCS2 2.2.2.11, 3.2.5.2)', () => {
  it('payload size not matching the bytes after the XML → error retrv 0 on every dataupload, a violation', async () => {
    const token = await approvedToken();
    const s = session('size');
    const res = await post(buildV2Message({ payload: s, payloadArgs: { size: s.length + 1 }, reqs: [upload('1', token, 0, s.length), upload('2', token, 0, s.length)] }));
    expect(Object.values(cmds(res)).map((c) => [c.nm, c.args.retrv, c.args.code])).toEqual([
      ['error', '0', 'payload'],
      ['error', '0', 'payload'],
    ]);
    expect(await rulesOf(res)).toContain('sqm-v2.payload-size');
    expect(await mock.client.sqmSessions()).toEqual([]);
  });

  it('comp without precompsize → error, a violation', async () => {
    const token = await approvedToken();
    const s = session('comp');
    const res = await post(buildV2Message({ payload: s, payloadArgs: { size: s.length, comp: 'cab' }, reqs: [upload('1', token, 0, s.length)] }));
    expect(cmds(res)['1']).toMatchObject({ nm: 'error', args: { retrv: '0' } });
    expect(await rulesOf(res)).toContain('sqm-v2.precompsize');
  });

  it('an offset out of range → error for that req, the others get receipts', async () => {
    const token = await approvedToken();
    const s = session('range');
    const res = await post(buildV2Message({ payload: s, reqs: [upload('in', token, 0, s.length), upload('out', token, s.length, 10)] }));
    expect(cmds(res)['in'].nm).toBe('receipt');
    expect(cmds(res)['out']).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'slice' } });
    expect(await rulesOf(res)).toEqual(['sqm-v2.slice']);
    expect(await mock.client.sqmSessions({ protocol: 2 })).toHaveLength(1);
  });

  it('two reqs claiming overlapping bytes → the second gets an error', async () => {
    const token = await approvedToken();
    const s = session('overlap');
    const res = await post(buildV2Message({ payload: s, reqs: [upload('1', token, 0, s.length), upload('2', token, 0, s.length)] }));
    expect([cmds(res)['1'].nm, cmds(res)['2'].nm]).toEqual(['receipt', 'error']);
  });

  it('one bad session among good ones gets its own error; the others get receipts', async () => {
    const token = await approvedToken();
    const good1 = session('good one');
    const bad = buildSqmSession({ sections: [{ type: 'dword', datapoints: [{ id: 1, value: 1 }] }], header: { dataChecksum: 1 } });
    const good2 = session('good two');
    const payload = Buffer.concat([good1, bad, good2]);
    const res = await post(
      buildV2Message({
        payload,
        reqs: [upload('1', token, 0, good1.length), upload('2', token, good1.length, bad.length), upload('3', token, good1.length + bad.length, good2.length)],
      }),
    );
    const c = cmds(res);
    expect([c['1'].nm, c['2'].nm, c['3'].nm]).toEqual(['receipt', 'error', 'receipt']);
    expect(c['2'].args).toMatchObject({ retrv: '0', code: 'invalid-session' });
    expect(c['2'].args.message).toContain('sqm-v1.data-checksum');
    const sessions = await mock.client.sqmSessions({ protocol: 2 });
    expect(sessions.map((x) => [(x.context as { reqKey: string }).reqKey, x.accepted])).toEqual([
      ['1', true],
      ['2', false],
      ['3', true],
    ]);
    expect(await rulesOf(res)).toContain('sqm-v1.data-checksum');
  });
});

it('a command other than requpload, dataupload or qryrsrc → error retrv 0; the other reqs are answered', async () => {
  const res = await post(
    buildV2Message({
      reqs: [
        { key: '1', cmd: 'frobnicate' },
        { key: '2', cmd: 'requpload' },
      ],
    }),
  );
  expect(cmds(res)['1']).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'unknown-command' } });
  expect(cmds(res)['2'].nm).toBe('approved');
});

describe('strictness', () => {
  it('strict (default): a dataupload missing size → error retrv 0 whose message names the arg', async () => {
    const token = await approvedToken();
    const s = session('strict');
    const res = await post(buildV2Message({ payload: s, reqs: [{ key: '1', cmd: 'dataupload', cmdArgs: { tm: '1', token, offset: 0 } }] }));
    expect(cmds(res)['1']).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'missing-arg' } });
    expect(cmds(res)['1'].args.message).toContain('size');
    expect(await mock.client.sqmSessions()).toEqual([]);
    const v = await mock.client.violations({ requestId: idOf(res) });
    expect(v.map((x) => [x.rule, x.specRef])).toEqual([['sqm-v2.missing-arg', 'MS-SQMCS2 2.2.2.16.2']]);
  });

  it('strict: a missing os arg refuses every req of the message', async () => {
    const res = await post(
      buildV2Message({
        reqs: [
          { key: '1', cmd: 'requpload' },
          { key: '2', cmd: 'requpload' },
        ],
        os: { vermaj: 6, vermin: 2, verbld: 9200 },
      }),
    );
    expect(Object.values(cmds(res)).map((c) => [c.nm, c.args.retrv])).toEqual([
      ['error', '0'],
      ['error', '0'],
    ]);
    expect(cmds(res)['1'].args.message).toContain('versp');
  });

  it('strict: the startutc/endutc the 4.3 example leaves out are recorded, not refused (MS-SQMCS2 2.2.2.14)', async () => {
    const token = await approvedToken();
    const xml = fixture('sqm-v2', 'dataupload-4.3.xml').toString('utf8').split('3.737e6827d6765e60d6900768b36f8c84.01cc5ed08779ac68').join(token);
    // The payload is zeros here, so the sessions themselves are refused — but not for the missing args.
    const res = await post(frameMessage(xml, Buffer.alloc(2652)));
    for (const key of ['1', '2']) expect(cmds(res)[key]).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'invalid-session' } });
    // Info, not a warning: the document's own example leaves them out.
    const v = (await mock.client.violations({ requestId: idOf(res), rule: 'sqm-v2.missing-arg', level: 'all' })).filter((x) => x.specRef === 'MS-SQMCS2 2.2.2.14');
    expect(v.map((x) => [x.level, x.specRef, /startutc|endutc/.test(x.message)])).toEqual(Array(4).fill(['info', 'MS-SQMCS2 2.2.2.14', true]));
  });

  it('lenient: a dataupload missing size still fails on its slice (offset and size are needed)', async () => {
    await mock.client.setScenario({ strictness: 'lenient' });
    const token = await approvedToken();
    const s = session('lenient');
    const res = await post(buildV2Message({ payload: s, reqs: [{ key: '1', cmd: 'dataupload', cmdArgs: { tm: '1', token, offset: 0 } }] }));
    expect(cmds(res)['1']).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'slice' } });
    expect(await rulesOf(res)).toEqual(expect.arrayContaining(['sqm-v2.missing-arg', 'sqm-v2.slice']));
  });
});

describe('routing, partners, plain answers, token case', () => {
  it('a bad length prefix in front of XML is a malformed v2 message: 200, empty body, violation', async () => {
    const xml = Buffer.from(buildV2Xml({ reqs: [{ key: '1', cmd: 'requpload' }] }));
    for (const n of [0, xml.length + 100]) {
      const head = Buffer.alloc(4);
      head.writeUInt32LE(n, 0);
      const res = await post(Buffer.concat([head, xml]));
      expect([res.status, res.body.length]).toEqual([200, 0]);
      const v = await mock.client.violations({ requestId: idOf(res) });
      expect(v.map((x) => [x.protocol, x.rule])).toEqual([['sqm-v2', 'sqm-v2.framing']]);
    }
  });
  it('a partner the scenario does not list gets error retrv 0, the listed one is approved', async () => {
    await mock.client.setScenario({ partners: { windows: {} } });
    const res = await post(
      buildV2Message({
        reqs: [
          { key: '1', cmd: 'requpload' },
          { key: '2', cmd: 'requpload', namespace: { ptr: 'office' } },
        ],
      }),
    );
    expect(cmds(res)['1'].nm).toBe('approved');
    expect(cmds(res)['2']).toMatchObject({ nm: 'error', args: { retrv: '0', code: 'unknown-partner' } });
    expect((await mock.client.violations({ requestId: idOf(res) })).map((x) => [x.rule, x.specRef])).toEqual([['sqm-v2.unknown-partner', 'MS-SQMCS2 2.2.2.13.2']]);
  });
  it('a plain rule answer (status, body) replaces the XML for the whole message', async () => {
    await mock.client.setScenario({ rules: [{ name: 'down', when: { protocol: 'sqm-v2' }, respond: { status: 503, body: 'maintenance' } }] });
    const res = await post(buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] }));
    expect([res.status, res.text]).toEqual([503, 'maintenance']);
    expect((await mock.client.requests({ protocol: 'sqm-v2' })).at(-1)?.ruleName).toBe('down');
  });
  it('a token sent in upper case is the same token', async () => {
    const token = cmds(await post(buildV2Message({ reqs: [{ key: '1', cmd: 'requpload' }] })))['1'].args.token;
    const s = buildSqmSession();
    const res = await post(
      buildV2Message({ payload: s, reqs: [{ key: 'u', cmd: 'dataupload', cmdArgs: { tm: '1', token: token.toUpperCase().replace(/^3\./, '3.'), size: s.length, offset: 0 } }] }),
    );
    expect(cmds(res).u.nm).toBe('receipt');
  });
});
