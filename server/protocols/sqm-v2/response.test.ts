// The response builder (MS-SQMCS2 2.2.3, MS-TPXS 2.2): one <resp key> per req, the namespace
// echoed unaltered, one <cmd> with its args; checked against the document's 4.2 and 4.3 answers.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildResponse, type RespCmd, type RespItem } from './response';
import { responseCommands } from '../../testing/sqm-v2-message';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import type { TpxsNamespace } from '../../codecs/sqm-v2-message/types';

const FIXTURES = join(__dirname, '../../../test/fixtures/sqm-v2');
const NS: TpxsNamespace = {
  attrs: [
    ['svc', 'sqm'],
    ['ptr', 'windows'],
    ['gp', 'winsqm8'],
    ['app', '6'],
  ],
  svc: 'sqm',
  ptr: 'windows',
  gp: 'winsqm8',
  app: '6',
  args: [],
};
const one = (cmd: RespCmd, namespace: TpxsNamespace | null = NS, key = '1'): string => buildResponse([{ key, namespace, cmd }]);

describe('the envelope', () => {
  it('is <resp ver="2"><tlm><resps>, one <resp> per req in order, well-formed', () => {
    const xml = buildResponse([
      { key: '1', namespace: NS, cmd: { nm: 'none' } },
      { key: 'b', namespace: NS, cmd: { nm: 'receipt', tm: 5n } },
    ]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><resp ver="2"><tlm><resps><resp key="1">')).toBe(true);
    expect(xml.endsWith('</resps></tlm></resp>')).toBe(true);
    expect([...xml.matchAll(/<resp key="([^"]*)">/g)].map((m) => m[1])).toEqual(['1', 'b']);
    expect(xml.match(/<cmd /g)).toHaveLength(2);
  });

  it('no reqs → an empty <resps>', () => {
    expect(buildResponse([])).toBe('<?xml version="1.0" encoding="UTF-8"?><resp ver="2"><tlm><resps></resps></tlm></resp>');
  });
});

describe('the namespace is echoed unaltered', () => {
  it("attributes in the request's order, extra attributes and child args kept", () => {
    const ns: TpxsNamespace = {
      attrs: [
        ['app', '6'],
        ['gp', 'winsqm8'],
        ['ptr', 'windows'],
        ['svc', 'sqm'],
        ['x-extra', 'kept'],
      ],
      svc: 'sqm',
      ptr: 'windows',
      gp: 'winsqm8',
      app: '6',
      args: [
        { nm: 'caid', val: '{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}' },
        { nm: 'z', val: '' },
      ],
    };
    expect(one({ nm: 'none' }, ns)).toContain(
      '<resp key="1"><namespace app="6" gp="winsqm8" ptr="windows" svc="sqm" x-extra="kept">' +
        '<arg nm="caid" val="{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}" /><arg nm="z" val="" /></namespace><cmd nm="none"></cmd></resp>',
    );
  });

  it('a namespace without args is an empty element', () => {
    expect(one({ nm: 'none' })).toContain('<namespace svc="sqm" ptr="windows" gp="winsqm8" app="6" /><cmd');
  });

  it('references go back exactly as sent (never decoded, never escaped twice)', () => {
    const ns: TpxsNamespace = {
      ...NS,
      attrs: [
        ['svc', 'sqm'],
        ['ptr', 'a&amp;b'],
        ['gp', '&#x26;&lt;'],
        ['app', 'x"y'],
      ],
      args: [{ nm: 'k&amp;', val: '&quot;v&gt;' }],
    };
    const xml = one({ nm: 'none' }, ns, 'k&amp;1');
    expect(xml).toContain('<resp key="k&amp;1"><namespace svc="sqm" ptr="a&amp;b" gp="&#x26;&lt;" app="x&quot;y"><arg nm="k&amp;" val="&quot;v&gt;" /></namespace>');
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('a req without a namespace gets none back', () => {
    expect(one({ nm: 'none' }, null)).toContain('<resp key="1"><cmd nm="none"></cmd></resp>');
  });

  it("the 4.2 request's namespaces come back byte for byte as their attributes and args", () => {
    const req = parseTpxs(readFileSync(join(FIXTURES, 'requpload-4.2.xml'))).value!;
    const xml = buildResponse(req.reqs.map((r): RespItem => ({ key: r.key, namespace: r.namespace, cmd: { nm: 'none' } })));
    expect(xml).toContain('<resp key="1"><namespace svc="sqm" ptr="windows" gp="winsqm8" app="6"><arg nm="caid" val="{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}" /></namespace>');
    expect(xml).toContain('<resp key="2"><namespace svc="sqm" ptr="windows" gp="winsqm8" app="6" />');
  });
});

describe('commands (2.2.3.6)', () => {
  const cases: [string, RespCmd, Record<string, string>][] = [
    [
      'approved: token, tm and tokenexp (both the expiry)',
      { nm: 'approved', token: '3.abc.def', expires: 129582739006008424n },
      { token: '3.abc.def', tm: '129582739006008424', tokenexp: '129582739006008424' },
    ],
    ['receipt: tm', { nm: 'receipt', tm: 129579283006476415n }, { tm: '129579283006476415' }],
    ['throttle: period and namespace', { nm: 'throttle', period: 7, namespace: 'ptr' }, { period: '7', namespace: 'ptr' }],
    ['error: retrv, code, message', { nm: 'error', retrv: 1, code: 503, message: 'partial outage' }, { retrv: '1', code: '503', message: 'partial outage' }],
    ['error: retrv alone', { nm: 'error', retrv: 0 }, { retrv: '0' }],
    ['rsrc: ver and path', { nm: 'rsrc', ver: 7, path: 'sqm/windows/manifests/Sqm7.bin' }, { ver: '7', path: 'sqm/windows/manifests/Sqm7.bin' }],
    ['none: no args', { nm: 'none' }, {}],
  ];
  it.each(cases)('%s', (_name, cmd, expected) => {
    const xml = one(cmd);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(responseCommands(xml)).toEqual({ '1': { nm: cmd.nm, args: expected } });
  });

  it('approved args come in the order token, tm, tokenexp', () => {
    expect(one({ nm: 'approved', token: 't', expires: 1n })).toContain('<cmd nm="approved"><arg nm="token" val="t" /><arg nm="tm" val="1" /><arg nm="tokenexp" val="1" /></cmd>');
  });

  it('error code and message are escaped', () => {
    const xml = one({ nm: 'error', retrv: 0, code: 'a&b', message: '<req key="1"> has no "size" & more' });
    expect(xml).toContain('<arg nm="code" val="a&amp;b" /><arg nm="message" val="&lt;req key=&quot;1&quot;&gt; has no &quot;size&quot; &amp; more" />');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    expect(parsed.resp.tlm.resps.resp.cmd.arg[2].val).toBe('<req key="1"> has no "size" & more');
  });
});

describe("against the document's answers (MS-SQMCS2 4.2, 4.3)", () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name, jpath) => name === 'arg' || jpath === 'resp.tlm.resps.resp' });
  type Parsed = {
    resp: { ver: string; tlm: { resps: { resp: Array<{ key: string; namespace: Record<string, unknown>; cmd: { nm: string; arg: Array<{ nm: string; val: string }> } }> } } };
  };
  const shape = (xml: string) => {
    const p = parser.parse(xml) as Parsed;
    return {
      ver: p.resp.ver,
      resps: p.resp.tlm.resps.resp.map((r) => ({
        key: r.key,
        namespace: Object.fromEntries(Object.entries(r.namespace).filter(([k]) => k !== 'arg')),
        cmd: r.cmd.nm,
        args: Object.fromEntries(r.cmd.arg.map((a) => [a.nm, a.val])),
      })),
    };
  };
  const doc = (name: string) => shape(readFileSync(join(FIXTURES, name), 'utf8'));

  it('approved (4.2): same envelope, keys, namespaces, token and tokenexp; tm added', () => {
    const expected = doc('approved-4.2.xml');
    const token = expected.resps[0].args.token;
    const expires = BigInt(expected.resps[0].args.tokenexp);
    const ours = shape(buildResponse(['1', '2'].map((key) => ({ key, namespace: NS, cmd: { nm: 'approved', token, expires } }))));
    expect(ours).toEqual({ ...expected, resps: expected.resps.map((r) => ({ ...r, args: { ...r.args, tm: r.args.tokenexp } })) });
  });

  it('receipt (4.3): identical in content', () => {
    const expected = doc('receipt-4.3.xml');
    const tm = BigInt(expected.resps[0].args.tm);
    expect(shape(buildResponse(['1', '2'].map((key) => ({ key, namespace: NS, cmd: { nm: 'receipt', tm } }))))).toEqual(expected);
  });
});
