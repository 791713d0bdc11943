// Builds the SQM v2 response (MS-SQMCS2 2.2.3, MS-TPXS 2.2): one <resp key> per <req key>, the
// request's namespace echoed unaltered (attributes in order, child args), and one <cmd>.

import type { Arg, TpxsNamespace } from '../../codecs/sqm-v2-message/types';

export type RespCmd =
  | { nm: 'approved'; token: string; expires: bigint }
  | { nm: 'receipt'; tm: bigint }
  | { nm: 'throttle'; period: number; namespace: string }
  | { nm: 'error'; retrv: 0 | 1; code?: string | number; message?: string }
  | { nm: 'rsrc'; ver: number; path: string }
  | { nm: 'none' };

export interface RespItem {
  key: string;
  namespace: TpxsNamespace | null;
  cmd: RespCmd;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Values read from the request were never entity-decoded, so they go back exactly as sent. */
const raw = (s: string): string => s.replace(/"/g, '&quot;');

const argXml = (a: Arg, value: (s: string) => string): string => `<arg nm="${value(a.nm)}" val="${value(a.val)}" />`;

function cmdArgs(c: RespCmd): Arg[] {
  switch (c.nm) {
    // INTERFACE.md: both tm (the document's text) and tokenexp (its example) carry the expiry.
    case 'approved':
      return [
        { nm: 'token', val: c.token },
        { nm: 'tm', val: String(c.expires) },
        { nm: 'tokenexp', val: String(c.expires) },
      ];
    case 'receipt':
      return [{ nm: 'tm', val: String(c.tm) }];
    case 'throttle':
      return [
        { nm: 'period', val: String(c.period) },
        { nm: 'namespace', val: c.namespace },
      ];
    case 'error': {
      const out: Arg[] = [{ nm: 'retrv', val: String(c.retrv) }];
      if (c.code !== undefined) out.push({ nm: 'code', val: String(c.code) });
      if (c.message !== undefined) out.push({ nm: 'message', val: c.message });
      return out;
    }
    case 'rsrc':
      return [
        { nm: 'ver', val: String(c.ver) },
        { nm: 'path', val: c.path },
      ];
    case 'none':
      return [];
  }
}

function namespaceXml(ns: TpxsNamespace | null): string {
  if (!ns) return '';
  const attrs = ns.attrs.map(([k, v]) => ` ${k}="${raw(v)}"`).join('');
  if (ns.args.length === 0) return `<namespace${attrs} />`;
  return `<namespace${attrs}>${ns.args.map((a) => argXml(a, raw)).join('')}</namespace>`;
}

export function buildResponse(items: readonly RespItem[]): string {
  const resps = items.map((it) => {
    const args = cmdArgs(it.cmd)
      .map((a) => argXml(a, esc))
      .join('');
    return `<resp key="${raw(it.key)}">${namespaceXml(it.namespace)}<cmd nm="${it.cmd.nm}">${args}</cmd></resp>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><resp ver="2"><tlm><resps>${resps.join('')}</resps></tlm></resp>`;
}
