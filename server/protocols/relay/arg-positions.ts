// Where the values the relay rewrites sit in an SQM v2 message's XML (MS-SQMCS2 2.2.2.11 payload,
// 2.2.2.16.2 dataupload): byte ranges of `val` of each `<arg>` under `reqs/payload` and under each
// `reqs/req/cmd`, so the relay can replace those characters and keep every other byte as sent.

/** One `<arg nm=… val=…>`: its name and its value's characters (as sent, entities not expanded). */
export interface ArgValueAt {
  nm: string;
  val: string;
  /** Byte range of the value between its quotes in the XML. */
  start: number;
  end: number;
}

export interface ArgPositions {
  payload: ArgValueAt[];
  /** One list per `<req>` under `<reqs>`, in document order: the args of its `<cmd>`. */
  reqs: ArgValueAt[][];
}

// A start or end tag at `<`, attribute values quoted either way (they may hold `>`).
const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
// Markup that holds no elements: skipped whole (comments, PIs and the declaration, CDATA).
const SKIP: [string, string][] = [
  ['<!--', '-->'],
  ['<?', '?>'],
  ['<![CDATA[', ']]>'],
];

/**
 * The positions, or null when the XML cannot be walked (a tag the scanner does not understand):
 * then the relay forwards the message byte for byte.
 *
 * @example
 * argPositions(Buffer.from('<req><tlm><reqs><payload><arg nm="size" val="10"/></payload></reqs></tlm></req>')).payload
 * // [{ nm: 'size', val: '10', start: 45, end: 47 }]
 */
export function argPositions(xml: Buffer): ArgPositions | null {
  // latin1: one character per byte, so string indexes are byte offsets (UTF-8 passes through).
  const text = xml.toString('latin1');
  const stack: string[] = [];
  const out: ArgPositions = { payload: [], reqs: [] };
  let at = text.indexOf('<');
  while (at >= 0) {
    const skip = SKIP.find(([open]) => text.startsWith(open, at));
    if (skip) {
      const close = text.indexOf(skip[1], at + skip[0].length);
      if (close < 0) return null;
      at = text.indexOf('<', close + skip[1].length);
      continue;
    }
    TAG.lastIndex = at;
    const m = TAG.exec(text);
    if (!m) return null;
    const [whole, closing, name, attrs, selfClosing] = m;
    if (closing) {
      if (stack.pop() !== name) return null;
    } else {
      const path = [...stack, name].join('/');
      if (path === 'req/tlm/reqs/req') out.reqs.push([]);
      if (name === 'arg' && (path === 'req/tlm/reqs/payload/arg' || path === 'req/tlm/reqs/req/cmd/arg')) {
        const arg = argOf(attrs, at + 1 + name.length);
        if (arg) (path.includes('payload') ? out.payload : out.reqs[out.reqs.length - 1]).push(arg);
      }
      if (!selfClosing) stack.push(name);
    }
    at = text.indexOf('<', at + whole.length);
  }
  return stack.length === 0 ? out : null;
}

/** nm and the position of val among the attributes (which start at byte `base`). */
function argOf(attrs: string, base: number): ArgValueAt | null {
  let nm: string | undefined;
  let val: { val: string; start: number } | undefined;
  for (const a of attrs.matchAll(ATTR)) {
    const value = a[3] ?? a[4];
    if (a[1] === 'nm') nm = value;
    // The value starts after the name, the `=` with its spaces, and the opening quote.
    if (a[1] === 'val') val = { val: value, start: base + a.index + a[0].length - value.length - 1 };
  }
  return nm !== undefined && val ? { nm, ...val, end: val.start + val.val.length } : null;
}

/** The value of `nm` among the args (the first one), with its position. */
export const argAt = (args: readonly ArgValueAt[], nm: string): ArgValueAt | undefined => args.find((a) => a.nm === nm);
