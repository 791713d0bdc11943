// Reads an SQM v2 answer (MS-SQMCS2 2.2.3, MS-TPXS 2.2) the way a client does: one <cmd nm> with its
// args per <resp key>; anything else is a problem named in words.

import { XMLParser } from 'fast-xml-parser';

export interface V2Command {
  nm: string;
  args: Record<string, string>;
}

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, isArray: (name) => name === 'resp' || name === 'arg' });

/**
 * The commands by req key, or a problem (`not well-formed XML`, `no <resp ver="2">`).
 * @example readV2Answer(xml).value?.['1'] // { nm: 'approved', args: { token: '3.…', tm: '…', tokenexp: '…' } }
 */
export function readV2Answer(xml: string): { value: Record<string, V2Command> | null; problem?: string } {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (e) {
    return { value: null, problem: `not well-formed XML (${(e as Error).message.split('\n')[0]})` };
  }
  const root = list(doc.resp)[0];
  if (!root || root.ver !== '2') return { value: null, problem: 'no <resp ver="2"> root element' };
  const resps = list(((root.tlm as Node | undefined)?.resps as Node | undefined)?.resp);
  if (resps.length === 0) return { value: null, problem: 'no <resp key> in <tlm><resps>' };
  const out: Record<string, V2Command> = {};
  for (const r of resps) {
    const cmd = r.cmd as Node | undefined;
    if (typeof r.key !== 'string' || !cmd || typeof cmd.nm !== 'string') return { value: null, problem: 'a <resp> without its key or its <cmd nm>' };
    out[r.key] = { nm: cmd.nm, args: Object.fromEntries(list(cmd.arg).map((a) => [String(a.nm), String(a.val)])) };
  }
  return { value: out };
}
