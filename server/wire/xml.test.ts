// nestingBeyond (xml.ts): the scan that bounds element nesting before any XML parser runs. And
// parsePlainXml: whatever it reads must be well-formed and read exactly as fast-xml-parser reads it
// (checked on the documents' examples and on seeded mutations of them), and it must read them.

import fs from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { mulberry32 } from '../scenario/rng';
import { FIXTURES } from '../../test/helpers/fixtures';
import { nestingBeyond, parsePlainXml, safeXmlParser } from './xml';

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

/**
 * The documents' examples as the parsers get them (UTF-16 reports decoded, BOM off, line ends
 * normalized as wer-xml does), without the comments our fixture files add (the clients send none).
 */
function examples(): [string, string][] {
  const read = (dir: string) =>
    fs
      .readdirSync(path.join(FIXTURES, dir))
      .filter((f) => f.endsWith('.xml'))
      .map((f): [string, string] => {
        const b = fs.readFileSync(path.join(FIXTURES, dir, f));
        const text = b[0] === 0xff && b[1] === 0xfe ? b.subarray(2).toString('utf16le') : b[0] === 0x3c && b[1] === 0 ? b.toString('utf16le') : b.toString('utf8');
        return [
          `${dir}/${f}`,
          text
            .replace(/^\uFEFF/, '')
            .replace(/\r\n?/g, '\n')
            .replace(/<!--[^]*?-->\n?/g, ''),
        ];
      });
  return [...read('sqm-v2'), ...read('cer')];
}

const library = safeXmlParser({ ignoreDeclaration: true, ignorePiTags: true });
const viaLibrary = (text: string): unknown => (XMLValidator.validate(text) === true ? library.parse(text) : 'not well-formed');

describe('parsePlainXml: the plain shape without the library', () => {
  it.each(examples())('%s: read, exactly as fast-xml-parser reads it', (_name, text) => {
    const plain = parsePlainXml(text);
    expect(plain).not.toBeNull();
    expect(plain).toEqual(viaLibrary(text));
  });

  it.each<[string, string]>([
    ['attributes without whitespace between them', '<a x="1"y="2"/>'],
    ['mismatched end tag', '<a></b>'],
    ['two roots', '<a/><b/>'],
    ['a repeated attribute', '<a x="1" x="2"/>'],
    ['"]]>" in text', '<a>]]></a>'],
    ['a reference', '<a x="&amp;"/>'],
    ['a comment', '<a><!-- c --></a>'],
    ['CDATA', '<a><![CDATA[x]]></a>'],
    ['an unclosed element', '<a><b></b>'],
    ['text outside the root', '<a/>junk'],
    ['a declaration with another version form', '<?xml version="2"?><a/>'],
    ['a name fast-xml-parser refuses', '<constructor/>'],
    ['an attribute that would set the prototype', '<a __proto__="x"/>'],
    ['a control character', '<a x="\u0001"/>'],
    ['an end tag with attributes', '<a></a x="1">'],
    ['nesting deeper than 64', '<a>'.repeat(65) + '</a>'.repeat(65)],
  ])('leaves %s to the library', (_name, text) => {
    expect(parsePlainXml(text)).toBeNull();
  });

  it('on 20,000 seeded mutations of the examples: whatever it reads, the library reads alike (and it reads some)', () => {
    const rnd = mulberry32(0x9e3779b9);
    const pieces = ['<', '>', '/', '"', "'", '=', ' ', '\n', '&', ';', ']]>', '<a>', '</a>', '<b/>', 'x', '?', '!', '-', '\u0001', 'é'];
    const sources = examples().map(([, t]) => t);
    let read = 0;
    for (let run = 0; run < 20_000; run++) {
      let text = sources[run % sources.length];
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
        const at = Math.floor(rnd() * text.length);
        const cut = rnd() < 0.5 ? Math.floor(rnd() * 4) : 0;
        text = text.slice(0, at) + (rnd() < 0.7 ? pieces[Math.floor(rnd() * pieces.length)] : '') + text.slice(at + cut);
      }
      const plain = parsePlainXml(text);
      if (plain === null) continue;
      read++;
      if (JSON.stringify(plain) !== JSON.stringify(viaLibrary(text))) throw new Error(`run ${run}: read differently from the library: ${JSON.stringify(text)}`);
    }
    expect(read).toBeGreaterThan(1000);
  });
});
