// The TPXS checker (MS-SQMCS2 3.2.5 steps 1-3, MS-TPXS 2.1): the repaired document examples pass,
// every structural breakage is reported under its own rule and section, and DOCTYPEs (entity
// bombs, XXE) are refused before any parsing.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildV2Xml } from '../../testing/sqm-v2-message';
import { parseTpxs } from './tpxs';

const FIXTURES = join(__dirname, '../../../test/fixtures/sqm-v2');
const fixtureText = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const parse = (xml: string) => parseTpxs(Buffer.from(xml, 'utf8'));
const rules = (xml: string) => parse(xml).findings.map((f) => [f.rule, f.specRef]);

/** Replaces exactly one occurrence (so a table row cannot silently stop breaking anything). */
function once(text: string, from: string | RegExp, to: string): string {
  const n = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from, 'g')) ?? []).length;
  if (n !== 1) throw new Error(`${String(from)} occurs ${n} times`);
  return text.replace(from, to);
}

describe('the repaired MS-SQMCS2 examples', () => {
  it.each(['qryrsrc-4.1.xml', 'requpload-4.2.xml', 'dataupload-4.3.xml'])('%s passes with no finding', (name) => {
    const { value, findings } = parse(fixtureText(name));
    expect(findings).toEqual([]);
    expect(value).not.toBeNull();
  });

  it('4.1: one qryrsrc for the manifest, namespace app "default"', () => {
    const m = parse(fixtureText('qryrsrc-4.1.xml')).value!;
    expect(m.ver).toBe('2');
    expect(m.payload).toBeNull();
    expect(m.reqs).toHaveLength(1);
    expect(m.reqs[0]).toMatchObject({ key: '1', cmd: { nm: 'qryrsrc', args: [{ nm: 'name', val: 'manifest' }] } });
    expect(m.reqs[0].namespace).toEqual({
      attrs: [
        ['svc', 'sqm'],
        ['ptr', 'windows'],
        ['gp', 'winsqm8'],
        ['app', 'default'],
      ],
      svc: 'sqm',
      ptr: 'windows',
      gp: 'winsqm8',
      app: 'default',
      args: [],
    });
    expect(m.ctrl.map((a) => a.nm)).toEqual(['tm', 'mid', 'sample']);
    expect(m.hw.find((a) => a.nm === 'bv')?.val).toBe('7LETB4WW (2.14 )');
  });

  it('4.2: two requploads, the first with a namespace arg, machine args in document order', () => {
    const m = parse(fixtureText('requpload-4.2.xml')).value!;
    expect(m.os.slice(0, 4)).toEqual([
      { nm: 'vermaj', val: '6' },
      { nm: 'vermin', val: '2' },
      { nm: 'verbld', val: '8061' },
      { nm: 'versp', val: '0' },
    ]);
    expect(m.os).toHaveLength(17);
    expect(m.ctrl.find((a) => a.nm === 'caid')?.val).toBe('{14B9A865-3862-5E49-141F-472B0560DBAB},{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}');
    expect(m.reqs.map((r) => [r.key, r.cmd?.nm])).toEqual([
      ['1', 'requpload'],
      ['2', 'requpload'],
    ]);
    expect(m.reqs[0].namespace?.args).toEqual([{ nm: 'caid', val: '{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}' }]);
    expect(m.reqs[1].namespace?.args).toEqual([]);
    expect(m.reqs[1].ctrl).toEqual([
      { nm: 'sid', val: '4052' },
      { nm: 'uid', val: '{2B2F5135-0075-4AB7-B3AD-6D9AE80891E4}' },
    ]);
  });

  it('4.3: payload of 2652 bytes, two datauploads at offsets 0 and 1320', () => {
    const m = parse(fixtureText('dataupload-4.3.xml')).value!;
    expect(m.os.slice(0, 4).map((a) => a.nm)).toEqual(['vermaj', 'vermin', 'verbld', 'versp']);
    expect(m.payload).toEqual([{ nm: 'size', val: '2652' }]);
    expect(m.reqs.map((r) => Object.fromEntries(r.cmd!.args.map((a) => [a.nm, a.val])))).toEqual([
      { tm: '129579283005582927', token: '3.737e6827d6765e60d6900768b36f8c84.01cc5ed08779ac68', size: '1320', offset: '0' },
      { tm: '129579283005582927', token: '3.737e6827d6765e60d6900768b36f8c84.01cc5ed08779ac68', size: '1332', offset: '1320' },
    ]);
    expect(m.reqs[1].namespace?.args).toEqual([{ nm: 'caid', val: '{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}' }]);
  });

  // Each conversion artefact, put back one at a time, is caught under its own rule.
  const artefacts: [string, string, string | RegExp, string, [string, string][]][] = [
    ['"< t.1m>"', 'requpload-4.2.xml', ' <tlm>\n    <src>', ' < t.1m>\n    <src>', [['sqm-v2.xml', 'MS-SQMCS2 3.1.5.1']]],
    [
      '"qp="',
      'requpload-4.2.xml',
      'ptr="windows" gp="winsqm8" app="6"></namespace>',
      'ptr="windows" qp="winsqm8" app="6"></namespace>',
      [['sqm-v2.attribute', 'MS-SQMCS2 2.2.2.13']],
    ],
    [
      'the unclosed <ctrl>',
      'requpload-4.2.xml',
      /\n {8}<\/ctrl>\n {8}<cmd nm="requpload"><\/cmd>\n {6}<\/req>\n {4}<\/reqs>/,
      '\n        <cmd nm="requpload"></cmd>\n      </req>\n    </reqs>',
      [['sqm-v2.xml', 'MS-SQMCS2 3.1.5.1']],
    ],
    ['"</rea>"', 'requpload-4.2.xml', /<\/req>\n {4}<\/reqs>/, '</rea>\n    </reqs>', [['sqm-v2.xml', 'MS-SQMCS2 3.1.5.1']]],
    [
      '"<regs>"',
      'qryrsrc-4.1.xml',
      /\n {2}<reqs>\n([\s\S]*)\n <\/reqs>\n/,
      '\n  <regs>\n$1\n </regs>\n',
      [
        ['sqm-v2.element', 'MS-TPXS 5.1'],
        ['sqm-v2.missing-element', 'MS-SQMCS2 2.2.2.10'],
      ],
    ],
    [
      '"<arq"',
      'dataupload-4.3.xml',
      '<arg nm="caid" val="{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}" />\n        </namespace>',
      '<arq nm="caid" val="{69C9AF7A-BB96-E569-EF27-56BBB86AF9BC}" />\n        </namespace>',
      [['sqm-v2.element', 'MS-TPXS 5.1']],
    ],
    ['"<hw>>"', 'dataupload-4.3.xml', '<hw>\n', '<hw>>\n', [['sqm-v2.text', 'MS-TPXS 5.1']]],
    ['"</ct.rl>"', 'dataupload-4.3.xml', /<\/ctrl>(\n {8}<cmd nm="dataupload">\n(?:.*\n){2} {10}<arg nm="size" val="1332")/, '</ct.rl>$1', [['sqm-v2.xml', 'MS-SQMCS2 3.1.5.1']]],
    ['"\\langle ct.rl \\rangle"', 'qryrsrc-4.1.xml', '     <ctrl>\n', '     \\langle ct.rl \\rangle\n', [['sqm-v2.xml', 'MS-SQMCS2 3.1.5.1']]],
  ];
  it.each(artefacts)('%s put back into %s is caught', (_name, file, from, to, expected) => {
    const xml = once(fixtureText(file), from, to);
    expect(rules(xml)).toEqual(expected);
  });

  it('"<hw>>" is only a warning (text in <hw>): the message is still read', () => {
    const xml = once(fixtureText('dataupload-4.3.xml'), '<hw>\n', '<hw>>\n');
    expect(parse(xml).value).not.toBeNull();
    expect(parse(xml).findings[0].level).toBe('warning');
  });
});

describe('structural breakages, each under its rule', () => {
  const base = buildV2Xml({ reqs: [{ key: '1', cmd: 'requpload' }] });
  const hw = /<hw>.*?<\/hw>/;
  const cases: [string, string, string, string][] = [
    ['a DOCTYPE', base.replace('?>', '?><!DOCTYPE req>'), 'sqm-v2.doctype', 'MS-TPXS 5.1'],
    ['elements 100,000 deep (the parser would overflow)', once(base, '<tlm>', `<tlm>${'<x>'.repeat(1e5)}${'</x>'.repeat(1e5)}`), 'sqm-v2.xml-depth', 'MS-TPXS 5.1'],
    ['elements 65 deep', once(base, '<tlm>', `<tlm>${'<x>'.repeat(63)}${'</x>'.repeat(63)}`), 'sqm-v2.xml-depth', 'MS-TPXS 5.1'],
    ['elements 64 deep: not too deep, only not TPXS', once(base, '<tlm>', `<tlm>${'<x>'.repeat(62)}${'</x>'.repeat(62)}`), 'sqm-v2.element', 'MS-TPXS 5.1'],
    ['a name the parser refuses ("__proto__")', once(base, '<reqs>', '<reqs><__proto__/>'), 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['not well-formed (unclosed <tlm>)', once(base, '</tlm>', ''), 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['not well-formed (text after the root)', base + 'junk', 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['not well-formed ("<" in an attribute value)', once(base, 'app="6"', 'app="6<7"'), 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['not well-formed (bare "&" in an attribute value)', once(base, 'app="6"', 'app="6&7"'), 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['not well-formed (undeclared entity in an attribute value)', once(base, 'app="6"', 'app="&six;"'), 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['not well-formed (control character in an attribute value)', once(base, 'app="6"', 'app="6\u0001"'), 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['not well-formed (repeated attribute)', once(base, 'app="6"', 'app="6" app="7"'), 'sqm-v2.xml', 'MS-SQMCS2 3.1.5.1'],
    ['an unknown element in <reqs>', once(base, '<reqs>', '<reqs><extra/>'), 'sqm-v2.element', 'MS-TPXS 5.1'],
    ['an unknown element in <os>', once(base, '<os>', '<os><version/>'), 'sqm-v2.element', 'MS-TPXS 5.1'],
    ['<req> without ver', once(base, '<req ver="2">', '<req>'), 'sqm-v2.attribute', 'MS-TPXS 2.1.1'],
    ['<namespace> without gp', once(base, ' gp="winsqm8"', ''), 'sqm-v2.attribute', 'MS-SQMCS2 2.2.2.13'],
    ['<namespace> without svc', once(base, ' svc="sqm"', ''), 'sqm-v2.attribute', 'MS-SQMCS2 2.2.2.13'],
    ['inner <req> without key', once(base, ' key="1"', ''), 'sqm-v2.attribute', 'MS-SQMCS2 2.2.2.12'],
    ['<cmd> without nm', once(base, ' nm="requpload"', ''), 'sqm-v2.attribute', 'MS-SQMCS2 2.2.2.16'],
    ['an os <arg> without val', once(base, '<arg nm="vermaj" val="6" />', '<arg nm="vermaj" />'), 'sqm-v2.attribute', 'MS-SQMCS2 2.2.2.7'],
    ['no <hw>', once(base, hw, ''), 'sqm-v2.missing-element', 'MS-SQMCS2 2.2.2.8'],
    ['no machine <ctrl>', once(base, /<ctrl><arg nm="tm".*?<\/ctrl>/, ''), 'sqm-v2.missing-element', 'MS-SQMCS2 2.2.2.9'],
    ['no <namespace>', once(base, /<namespace[^>]*><\/namespace>/, ''), 'sqm-v2.missing-element', 'MS-SQMCS2 2.2.2.13'],
    ['no <cmd>', once(base, '<cmd nm="requpload"></cmd>', ''), 'sqm-v2.missing-element', 'MS-SQMCS2 2.2.2.16'],
    ['no inner <req>', once(base, /<req key.*<\/req><\/reqs>/, '</reqs>'), 'sqm-v2.missing-element', 'MS-SQMCS2 2.2.2.12'],
    ['no <src>', once(base, /<src>.*<\/src>/, ''), 'sqm-v2.missing-element', 'MS-TPXS 2.1.1.1.1'],
    ['two <hw>', once(base, hw, '<hw></hw><hw></hw>'), 'sqm-v2.repeated-element', 'MS-SQMCS2 2.2.2.8'],
    ['two <cmd> in a req', once(base, '<cmd nm="requpload"></cmd>', '<cmd nm="requpload"></cmd><cmd nm="qryrsrc"></cmd>'), 'sqm-v2.repeated-element', 'MS-SQMCS2 2.2.2.16'],
    [
      'two <payload>',
      buildV2Xml({ reqs: [{ key: '1', cmd: 'requpload' }], payloadArgs: { size: 0 } }).replace('</payload>', '</payload><payload></payload>'),
      'sqm-v2.repeated-element',
      'MS-SQMCS2 2.2.2.11',
    ],
    ['<req ver="3">', once(base, '<req ver="2">', '<req ver="3">'), 'sqm-v2.version', 'MS-TPXS 2.1.1'],
    [
      'two reqs with key 1',
      buildV2Xml({
        reqs: [
          { key: '1', cmd: 'requpload' },
          { key: '1', cmd: 'qryrsrc' },
        ],
      }),
      'sqm-v2.duplicate-key',
      'MS-SQMCS2 2.2.2.12',
    ],
  ];
  it.each(cases)('%s', (_name, xml, rule, specRef) => {
    const { value, findings } = parse(xml);
    expect(value).toBeNull();
    expect(findings.map((f) => [f.rule, f.specRef])).toEqual([[rule, specRef]]);
    expect(findings[0].level).toBe('error');
  });

  it('a root other than <req>: the element, and the missing <req>', () => {
    const xml = once(once(base, '<req ver="2">', '<request ver="2">'), /<\/req>$/, '</request>');
    expect(rules(xml)).toEqual([
      ['sqm-v2.element', 'MS-TPXS 5.1'],
      ['sqm-v2.missing-element', 'MS-TPXS 2.1.1'],
    ]);
  });

  it('text where only elements belong is a warning, not a refusal', () => {
    const { value, findings } = parse(once(base, '<reqs>', '<reqs>hello'));
    expect(value).not.toBeNull();
    expect(findings.map((f) => [f.rule, f.level])).toEqual([['sqm-v2.text', 'warning']]);
  });

  it('a BOM, comments and processing instructions are fine', () => {
    const xml = '\uFEFF' + once(base, '<reqs>', '<reqs><!-- a comment --><?app x?>');
    expect(parse(xml).findings).toEqual([]);
  });
});

describe('values and order are kept exactly as sent', () => {
  it('namespace attributes in their order, references not expanded', () => {
    const xml = once(buildV2Xml({ reqs: [{ key: 'k&1', cmd: 'requpload' }] }), /<namespace[^>]*>/, `<namespace app='x"y' gp="a&amp;b&#x26;c" ptr="windows" svc="sqm" extra="1">`);
    const r = parse(xml).value!.reqs[0];
    expect(r.key).toBe('k&amp;1');
    expect(r.namespace?.attrs).toEqual([
      ['app', 'x"y'],
      ['gp', 'a&amp;b&#x26;c'],
      ['ptr', 'windows'],
      ['svc', 'sqm'],
      ['extra', '1'],
    ]);
    expect(r.namespace).toMatchObject({ svc: 'sqm', ptr: 'windows', gp: 'a&amp;b&#x26;c', app: 'x"y' });
  });

  it('whitespace inside attribute values is kept (keys and namespaces must come back as sent)', () => {
    const m = parse(buildV2Xml({ reqs: [{ key: ' 1 ', cmd: 'requpload', namespace: { app: ' 6 ', args: { caid: '  x  ' } } }] })).value!;
    expect(m.reqs[0].key).toBe(' 1 ');
    expect(m.reqs[0].namespace?.app).toBe(' 6 ');
    expect(m.reqs[0].namespace?.args).toEqual([{ nm: 'caid', val: '  x  ' }]);
  });
});

describe('DOCTYPEs are refused before any parsing: no entity expansion, no XXE', () => {
  const laughs = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i < 10; i++) laughs.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  const bomb = `<?xml version="1.0"?><!DOCTYPE req [${laughs.join('')}]><req ver="2"><tlm>&lol9;</tlm></req>`;
  const xxe = '<?xml version="1.0"?><!DOCTYPE req [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><req ver="&xxe;"><tlm>&xxe;</tlm></req>';
  const external = '<?xml version="1.0"?><!DOCTYPE req SYSTEM "http://127.0.0.1:1/evil.dtd"><req ver="2"/>';
  const lowercase = '<?xml version="1.0"?><!doctype req [<!entity a "b">]><req ver="2"/>';

  afterEach(() => jest.restoreAllMocks());
  it.each([
    ['billion laughs', bomb],
    ['XXE (file entity)', xxe],
    ['external DTD', external],
    ['lower-case declaration', lowercase],
  ])('%s', (_name, xml) => {
    const validate = jest.spyOn(XMLValidator, 'validate');
    const parseSpy = jest.spyOn(XMLParser.prototype, 'parse');
    const { value, findings } = parse(xml);
    expect(value).toBeNull();
    expect(findings.map((f) => [f.rule, f.specRef, f.level])).toEqual([['sqm-v2.doctype', 'MS-TPXS 5.1', 'error']]);
    expect(findings[0].message).not.toContain('root:');
    expect(validate).not.toHaveBeenCalled();
    expect(parseSpy).not.toHaveBeenCalled();
  });
});
