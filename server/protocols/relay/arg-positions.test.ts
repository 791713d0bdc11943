// Where the relay finds the values it rewrites (MS-SQMCS2 2.2.2.11, 2.2.2.16.2): byte ranges of
// `val` under reqs/payload and reqs/req/cmd, whatever the spacing, quoting or comments around them.

import { argPositions } from './arg-positions';

const at = (xml: string) => {
  const p = argPositions(Buffer.from(xml, 'utf8'));
  if (!p) return null;
  const text = Buffer.from(xml, 'utf8');
  const show = (a: { nm: string; start: number; end: number }) => [a.nm, text.subarray(a.start, a.end).toString('utf8')];
  return { payload: p.payload.map(show), reqs: p.reqs.map((r) => r.map(show)) };
};

describe('argPositions', () => {
  it('the example: the payload size value at bytes 45..47', () => {
    expect(argPositions(Buffer.from('<req><tlm><reqs><payload><arg nm="size" val="10"/></payload></reqs></tlm></req>'))!.payload).toEqual([
      { nm: 'size', val: '10', start: 45, end: 47 },
    ]);
  });

  it.each<[string, string]>([
    [
      'spaces around = and before />',
      `<req><tlm><reqs><payload><arg nm = "size"  val = "10" /></payload><req key="1"><cmd nm="dataupload"><arg val="5" nm="size"/></cmd></req></reqs></tlm></req>`,
    ],
    [
      'single quotes, a > inside a value',
      `<req><tlm><reqs><payload><arg nm='size' val='10' x='>'/></payload><req key="1"><cmd nm="dataupload"><arg nm="size" val="5"></arg></cmd></req></reqs></tlm></req>`,
    ],
    [
      'a declaration, a comment and CDATA that look like args, a BOM and multi-byte text before',
      `\uFEFF<?xml version="1.0"?>\n<!-- <arg nm="size" val="99"/> --><req><tlm><src><desc><mach><os><arg nm="x" val="ü€"/></os></mach></desc></src><reqs><payload><![CDATA[<arg nm="size" val="98"/>]]><arg nm="size" val="10"/></payload><req key="1"><namespace svc="s"><arg nm="size" val="97"/></namespace><cmd nm="dataupload"><arg nm="size" val="5"/></cmd></req></reqs></tlm></req>`,
    ],
  ])('%s', (_name, xml) => {
    expect(at(xml)).toEqual({ payload: [['size', '10']], reqs: [[['size', '5']]] });
  });

  it('one list per req, empty for a req without cmd args', () => {
    expect(at('<req><tlm><reqs><req key="1"><cmd nm="requpload"></cmd></req><req key="2"><cmd nm="x"><arg nm="offset" val="0"/></cmd></req></reqs></tlm></req>')!.reqs).toEqual([
      [],
      [['offset', '0']],
    ]);
  });

  it.each([
    ['an unclosed element', '<req><tlm>'],
    ['a mismatched end tag', '<req></tlm>'],
    ['an unterminated comment', '<req><!-- </req>'],
    ['a tag it cannot read', '<req><1bad/></req>'],
  ])('null for %s', (_name, xml) => {
    expect(argPositions(Buffer.from(xml))).toBeNull();
  });
});
