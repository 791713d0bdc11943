// Byte ranges of the elements and attributes of an XML document as sent (SQM v2 requests, CER
// WERREPORTs), for a viewer that links decoded fields to their bytes. A lexical scan, not a
// parser: the codecs have already judged the document; this only says where each part lies.

import type { ByteRange } from './layout';

export interface XmlLayoutOptions {
  /** Where the document's first character sits in the body (after a length prefix or a BOM). */
  base: number;
  /** `utf8` or `utf16le`: how characters map to bytes. */
  encoding: 'utf8' | 'utf16le';
  /** Path prefix, e.g. `xml`. */
  prefix: string;
  /** Depth of the document element in the decoded view. */
  depth: number;
  /** At most this many ranges (default 20,000). */
  max?: number;
}

const TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<\/([A-Za-z_][\w.:-]*)\s*>/g;
const ATTR = /([\w.:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/**
 * One range per start tag (label: the element, or `arg <nm>` for TPXS `<arg nm val>`; value: its
 * `val`) and one per attribute value, in document order.
 * @example xmlLayout('<a x="1"/>', { base: 0, encoding: 'utf8', prefix: 'xml', depth: 0 }) // [{ path: 'xml/a', start: 0, end: 10 }, { path: 'xml/a@x', start: 6, end: 7, value: '1' }]
 */
export function xmlLayout(text: string, o: XmlLayoutOptions): ByteRange[] {
  const byteAt = byteOffsets(text, o);
  const out: ByteRange[] = [];
  const stack: { path: string; counts: Map<string, number> }[] = [{ path: o.prefix, counts: new Map() }];
  const max = o.max ?? 20_000;
  for (const m of text.matchAll(TAG)) {
    if (out.length >= max) break;
    if (m[4] !== undefined) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const parent = stack[stack.length - 1];
    const name = m[1];
    const n = parent.counts.get(name) ?? 0;
    parent.counts.set(name, n + 1);
    const path = `${parent.path}/${name}${n > 0 ? `[${n}]` : ''}`;
    const attrs = [...(m[2] ?? '').matchAll(ATTR)];
    const nm = attrs.find((a) => a[1] === 'nm');
    const val = attrs.find((a) => a[1] === 'val');
    const depth = o.depth + stack.length - 1;
    const start = m.index;
    const label = nm ? `${name} ${nm[3] ?? nm[4]}` : name;
    const tag: ByteRange = { path, label, start: byteAt(start), end: 0, depth, ...(val ? { value: val[3] ?? val[4] } : {}) };
    out.push(tag);
    const attrStart = start + 1 + name.length;
    for (const a of attrs) {
      const value = a[3] ?? a[4];
      const valueAt = attrStart + a.index + a[0].length - 1 - value.length;
      out.push({ path: `${path}@${a[1]}`, label: `${name} ${a[1]}`, start: byteAt(valueAt), end: byteAt(valueAt + value.length), value, depth: depth + 1 });
    }
    // Asked last, so byte offsets are asked for in increasing order (one pass over the text).
    tag.end = byteAt(start + m[0].length);
    if (m[3] !== '/') stack.push({ path, counts: new Map() });
  }
  return out;
}

/** Character index → byte offset in the body (UTF-16: two bytes per code unit; UTF-8 counted as it goes). */
function byteOffsets(text: string, o: XmlLayoutOptions): (i: number) => number {
  if (o.encoding === 'utf16le') return (i) => o.base + 2 * i;
  let lastChar = 0;
  let lastByte = 0;
  return (i) => {
    // Callers ask in increasing order, except an attribute after its tag's end: restart then.
    if (i < lastChar) [lastChar, lastByte] = [0, 0];
    lastByte += Buffer.byteLength(text.slice(lastChar, i), 'utf8');
    lastChar = i;
    return o.base + lastByte;
  };
}
