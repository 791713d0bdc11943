// The one safe XML setup for every XML protocol here (MS-TPXS requests, MS-CER2 reports, the
// relay's rewrite): no entity processing (DOCTYPE/ENTITY are refused by the callers before any
// parsing), document order kept, values exactly as sent, and the small tree helpers.

import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';

export type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };

export const SAFE_XML_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  processEntities: false,
  htmlEntities: false,
  parseAttributeValue: false,
  parseTagValue: false,
  // Not true: it trims attribute values too, and values must come back unaltered.
  trimValues: false,
} as const satisfies Partial<X2jOptions>;

/** A parser with the safe options, plus any extra ones (declarations, PIs, CDATA). */
export const safeXmlParser = (extra: Partial<X2jOptions> = {}): XMLParser => new XMLParser({ ...SAFE_XML_OPTIONS, ...extra });

/** Any DOCTYPE or ENTITY declaration, wherever it stands: refused, never read (no XXE, no bombs). */
export const hasDoctype = (text: string): boolean => /<!DOCTYPE|<!ENTITY/i.test(text);

export const nameOf = (n: XmlNode): string => Object.keys(n).find((k) => k !== ':@') ?? '';
export const childrenOf = (n: XmlNode): XmlNode[] => {
  const c = n[nameOf(n)];
  return Array.isArray(c) ? (c as XmlNode[]) : [];
};

/**
 * Where element nesting first goes deeper than `limit`, as a character offset, or -1: a linear scan
 * of tags (comments, CDATA, PIs and quoted attribute values skipped) run before any parser, whose
 * recursion a deep document would overflow. Exact on well-formed XML; malformed XML is refused anyway.
 */
export function nestingBeyond(text: string, limit: number): number {
  let depth = 0;
  for (let i = text.indexOf('<'); i >= 0 && i < text.length; i = text.indexOf('<', i)) {
    const next = text[i + 1];
    if (next === '/') depth--;
    else if (text.startsWith('<!--', i)) i = skipPast(text, '-->', i);
    else if (text.startsWith('<![CDATA[', i)) i = skipPast(text, ']]>', i);
    else if (next === '?') i = skipPast(text, '?>', i);
    else if (next === '!') i = skipPast(text, '>', i);
    else {
      const end = tagEnd(text, i);
      if (text[end - 1] !== '/' && ++depth > limit) return i;
      i = end;
      continue;
    }
    i++;
  }
  return -1;
}

const skipPast = (text: string, marker: string, from: number): number => {
  const at = text.indexOf(marker, from);
  return at < 0 ? text.length : at + marker.length - 1;
};

/** The offset of a start tag's closing `>` (quoted attribute values may hold one). */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) quote = c === quote ? '' : quote;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return text.length;
}

// The plain shape every real TPXS request and WERREPORT has, read without the library: an optional
// XML declaration, elements with ASCII names (colons kept, no namespaces read), attributes whose values hold no "<" or "&", and text
// with neither. fast-xml-parser's validator and parser take ~260 µs for a 1.6 KB TPXS request (two
// passes); this takes a tenth of that. Anything else (comments, CDATA, PIs, references, other names,
// control characters, any error) is left to the library, which finds the error or reads the rest.

const S = '[ \\t\\r\\n]';
const NAME = '[A-Za-z_:][A-Za-z0-9._:-]*';
/** A quoted attribute value without "<" or "&"; CAPTURED keeps the value (in group 1 or 2). */
const QUOTED = `(?:"[^"<&]*"|'[^'<&]*')`;
const QUOTED_CAPTURED = `(?:"([^"<&]*)"|'([^'<&]*)')`;
const DECLARATION = new RegExp(
  `^<\\?xml${S}+version${S}*=${S}*(?:"1\\.[0-9]+"|'1\\.[0-9]+')(?:${S}+encoding${S}*=${S}*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:${S}+standalone${S}*=${S}*(?:"(?:yes|no)"|'(?:yes|no)'))?${S}*\\?>`,
);
/** A tag (1: "/" of an end tag, 2: name, 3: attributes, 4: "/" of an empty-element tag) or text (5). */
const TOKEN = new RegExp(`<(/?)(${NAME})((?:${S}+${NAME}${S}*=${S}*${QUOTED})*)${S}*(/?)>|([^<&]+)`, 'y');
const ATTRIBUTE = new RegExp(`${S}+(${NAME})${S}*=${S}*${QUOTED_CAPTURED}`, 'g');
/** A UTF-16 code unit that is not an XML 1.0 2.2 Char (surrogates are checked when decoding). */
// eslint-disable-next-line no-control-regex -- XML 1.0 2.2: these control characters are not Char
export const NOT_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const WHITESPACE = /^[ \t\r\n]*$/;
/** Deeper than any real document; the library decides past it (it refuses past 100). */
const PLAIN_MAX_DEPTH = 64;
/** Names that are properties of every object: fast-xml-parser refuses some of them; the library decides. */
const OBJECT_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

/**
 * The document as fast-xml-parser reads it with SAFE_XML_OPTIONS (declaration ignored, whitespace
 * between elements kept as `#text`, none outside the root), when it has the plain shape above and
 * is well-formed; otherwise null, and the caller asks the library.
 */
export function parsePlainXml(text: string): XmlNode[] | null {
  if (NOT_CHAR.test(text)) return null;
  const declaration = text.startsWith('<?xml') ? DECLARATION.exec(text) : null;
  if (text.startsWith('<?xml') && !declaration) return null;
  const roots: XmlNode[] = [];
  const open: { name: string; children: XmlNode[] }[] = [];
  TOKEN.lastIndex = declaration ? declaration[0].length : 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) return null;
    const [, end, name, attrs, empty, chars] = m;
    const parent = open.length ? open[open.length - 1] : null;
    if (chars !== undefined) {
      if (!parent) {
        if (!WHITESPACE.test(chars)) return null;
      } else if (chars.includes(']]>')) return null;
      else parent.children.push({ '#text': chars });
      continue;
    }
    if (OBJECT_NAMES.has(name)) return null;
    if (end) {
      if (attrs || empty || parent?.name !== name) return null;
      open.pop();
      continue;
    }
    const children: XmlNode[] = [];
    const node: XmlNode = { [name]: children };
    if (attrs) {
      const values: Record<string, string> = {};
      ATTRIBUTE.lastIndex = 0;
      for (let a = ATTRIBUTE.exec(attrs); a; a = ATTRIBUTE.exec(attrs)) {
        if (OBJECT_NAMES.has(a[1]) || values[a[1]] !== undefined) return null;
        values[a[1]] = a[2] ?? a[3];
      }
      node[':@'] = values;
    }
    if (parent) parent.children.push(node);
    else if (roots.push(node) > 1) return null;
    if (!empty && open.push({ name, children }) > PLAIN_MAX_DEPTH) return null;
  }
  return open.length === 0 && roots.length === 1 ? roots : null;
}

/**
 * The document, read by parsePlainXml when it has the plain shape, else by fast-xml-parser's
 * validator and then `parser`; or, when it is not well-formed (or the parser refuses it), why, in
 * one line for the caller's finding.
 */
export function readXml(text: string, parser: XMLParser): XmlNode[] | { problem: string } {
  const plain = parsePlainXml(text);
  if (plain) return plain;
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { problem: `XML not well-formed at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}` };
  try {
    return parser.parse(text) as XmlNode[];
  } catch (e) {
    // fast-xml-parser refuses some names ("__proto__", "constructor") and nesting deeper than 100 by throwing.
    return { problem: `the XML parser refused the document: ${e instanceof Error ? e.message : String(e)}` };
  }
}
