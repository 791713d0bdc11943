// XML 1.0 well-formedness for level-1 reports (MS-CER2 2.2.1): DOCTYPEs refused before any parsing
// (no entity expansion, no XXE), then the plain-shape reader (wire/xml.ts) or, for anything else,
// fast-xml-parser's validator and parser, plus the checks the validator skips (legal
// characters, references in attribute values and text). Attribute values as XML 1.0 3.3.3 reads them.

import { childrenOf, nameOf, NOT_CHAR, readXml, safeXmlParser, type XmlNode } from '../../wire/xml';
import type { Findings } from '../../wire/findings';
import { report } from './rules';

export type { XmlNode } from '../../wire/xml';
export { childrenOf, hasDoctype, nameOf } from '../../wire/xml';

const parser = safeXmlParser({
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Kept apart from text, so "<" and "&" inside CDATA are not taken for markup errors.
  cdataPropName: '#cdata',
});

export const isText = (name: string): boolean => name === '#text' || name === '#cdata';

// No DTD, so only the five predefined entities and character references exist (XML 1.0 4.1, 4.6).
const BAD_AMP = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const CHAR_REF = /&#(?:x([0-9a-fA-F]+)|([0-9]+));/g;
const REF = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isXmlChar = (cp: number): boolean =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
const refCodePoint = (hex: string | undefined, dec: string | undefined): number => (hex !== undefined ? parseInt(hex, 16) : Number(dec));

/** A character reference to something that is not a Char (&#0;, &#xD800;, &#x110000;), if any. */
function badCharRef(s: string): string | undefined {
  for (const m of s.matchAll(CHAR_REF)) if (!isXmlChar(refCodePoint(m[1], m[2]))) return m[0];
  return undefined;
}

/** XML 1.0 3.3.3 (no DTD: every attribute is CDATA): whitespace characters become spaces, references are replaced. */
export function attrValue(raw: string): string {
  return raw
    .replace(/[\t\n\r]/g, ' ')
    .replace(REF, (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) =>
      name !== undefined ? PREDEFINED[name] : String.fromCodePoint(refCodePoint(hex, dec)),
    );
}

function lineCol(text: string, index: number): string {
  const before = text.slice(0, index).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * Parses a decoded document (line ends not yet normalized). Returns the root element, or null after
 * a `cer.xml` error. The caller has already refused DOCTYPEs.
 */
export function parseWerXml(decoded: string, f: Findings): XmlNode | null {
  // XML 1.0 2.11: every CRLF or lone CR is read as LF.
  const text = decoded.replace(/\r\n?/g, '\n');
  const bad = NOT_CHAR.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    report(f, 'cer.xml', `XML not well-formed at ${lineCol(text, bad.index)}: expected XML characters, got U+${code}`);
    return null;
  }
  // The plain shape real clients send is read directly; anything else goes to the library.
  const nodes = readXml(text, parser);
  if (!Array.isArray(nodes)) {
    report(f, 'cer.xml', nodes.problem);
    return null;
  }
  const roots = nodes.filter((n) => !isText(nameOf(n)));
  // The validator misses a second root when it is an empty-element tag ("<a/><b/>").
  if (roots.length !== 1) {
    report(f, 'cer.xml', `XML not well-formed: expected one root element, got ${roots.length} (${roots.map((n) => `<${nameOf(n)}>`).join(', ')})`);
    return null;
  }
  const before = f.list.length;
  checkNodes(nodes, '', f);
  return f.list.length > before ? null : roots[0];
}

/** What fast-xml-parser's validator lets through: "<", bare "&", bad references in values and text. */
function checkNodes(nodes: XmlNode[], path: string, f: Findings): void {
  for (const n of nodes) {
    const name = nameOf(n);
    if (name === '#cdata') continue;
    if (name === '#text') {
      const t = String(n['#text']);
      const ref = badCharRef(t);
      if (BAD_AMP.test(t) || t.includes(']]>') || ref) {
        report(
          f,
          'cer.xml',
          `XML not well-formed: text in ${path || 'the document'} holds ${ref ? `the reference ${ref} to a non-character` : 'a bare "&", an undeclared entity or "]]>"'}`,
        );
      }
      continue;
    }
    const here = `${path}/${name}`;
    for (const [attr, value] of Object.entries(n[':@'] ?? {})) {
      const ref = badCharRef(String(value));
      if (/</.test(value) || BAD_AMP.test(value) || ref) {
        report(
          f,
          'cer.xml',
          `XML not well-formed: attribute ${attr} of <${name}> at ${here} holds ${ref ? `the reference ${ref} to a non-character` : 'a "<", a bare "&" or an undeclared entity'}`,
        );
      }
    }
    checkNodes(childrenOf(n), here, f);
  }
}
