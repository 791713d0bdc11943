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
