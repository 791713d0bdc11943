// The one safe XML setup for every XML protocol here (MS-TPXS requests, MS-CER2 reports, the
// relay's rewrite): no entity processing (DOCTYPE/ENTITY are refused by the callers before any
// parsing), document order kept, values exactly as sent, and the small tree helpers.

import { XMLParser, type X2jOptions } from 'fast-xml-parser';

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
