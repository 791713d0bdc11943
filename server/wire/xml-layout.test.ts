// Byte ranges of XML elements and attributes, in UTF-8 (with multi-byte characters) and UTF-16.

import { xmlLayout } from './xml-layout';

const ranges = (text: string, encoding: 'utf8' | 'utf16le', base = 0) => xmlLayout(text, { base, encoding, prefix: 'xml', depth: 0 });

it('elements, repeated siblings and attribute values, with their UTF-8 byte ranges', () => {
  const text = '<r x="ü"><t>é</t><arg nm="a" val="1"/><arg nm="b" val="2"/></r>';
  const body = Buffer.from(text, 'utf8');
  const out = ranges(text, 'utf8', 4);
  expect(out.map((r) => [r.path, r.label, r.value, r.depth])).toEqual([
    ['xml/r', 'r', undefined, 0],
    ['xml/r@x', 'r x', 'ü', 1],
    ['xml/r/t', 't', undefined, 1],
    ['xml/r/arg', 'arg a', '1', 1],
    ['xml/r/arg@nm', 'arg nm', 'a', 2],
    ['xml/r/arg@val', 'arg val', '1', 2],
    ['xml/r/arg[1]', 'arg b', '2', 1],
    ['xml/r/arg[1]@nm', 'arg nm', 'b', 2],
    ['xml/r/arg[1]@val', 'arg val', '2', 2],
  ]);
  for (const r of out) {
    const bytes = body.subarray(r.start - 4, r.end - 4).toString('utf8');
    expect(
      r.path.includes('@')
        ? bytes
        : bytes.startsWith(
            `<${r.path
              .split('/')
              .pop()!
              .replace(/\[\d+\]$/, '')}`,
          ),
    ).toBe(r.path.includes('@') ? r.value : true);
  }
});

it('UTF-16: two bytes per character after the BOM', () => {
  const text = '<WERREPORT><MACHINEINFO os="6.1"/></WERREPORT>';
  const os = ranges(text, 'utf16le', 2).find((r) => r.path === 'xml/WERREPORT/MACHINEINFO@os')!;
  expect([os.start, os.end]).toEqual([2 + 2 * text.indexOf('6.1'), 2 + 2 * (text.indexOf('6.1') + 3)]);
});

it('stops at max ranges', () => {
  expect(xmlLayout('<a><b/><b/><b/></a>', { base: 0, encoding: 'utf8', prefix: 'x', depth: 0, max: 2 })).toHaveLength(2);
});
