// nestingBeyond (xml.ts): the scan that bounds element nesting before any XML parser runs.

import { nestingBeyond } from './xml';

describe('nestingBeyond', () => {
  it.each<[string, string, number, number]>([
    ['a flat document', '<a><b/><c></c></a>', 2, -1],
    ['exactly at the limit', '<a><b><c/></b></a>', 2, -1],
    ['one past the limit: the offset of the tag', '<a><b><c></c></b></a>', 2, 6],
    ['self-closing tags do not nest', `<a>${'<b/>'.repeat(1000)}</a>`, 1, -1],
    ['closing tags bring it back', `${'<a></a>'.repeat(1000)}`, 1, -1],
    ['">" and "/>" inside quoted attribute values', '<a x="/>" y=\'>\'><b></b></a>', 1, 16],
    ['tags inside comments, CDATA and PIs are not tags', '<a><!-- <b><c> --><![CDATA[<b><c>]]><?pi <b><c>?></a>', 1, -1],
    ['a declaration before the root', '<?xml version="1.0"?><a><b/></a>', 1, -1],
    ['an unterminated start tag', '<a x="', 0, 0],
    ['no tags', 'text only', 0, -1],
  ])('%s', (_name, text, limit, offset) => {
    expect(nestingBeyond(text, limit)).toBe(offset);
  });

  it('is linear: 100,000 levels in well under a second', () => {
    const text = `${'<x>'.repeat(1e5)}${'</x>'.repeat(1e5)}`;
    const t = performance.now();
    expect(nestingBeyond(text, 1e6)).toBe(-1);
    expect(nestingBeyond(text, 64)).toBe(64 * 3);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
