// Builds SQM v2 request messages for tests (MS-SQMCS2 2.2.2): a plausible Windows 8 machine
// description, the reqs you give, and the payload framed after the XML.

import { frameMessage } from '../codecs/sqm-v2-message/framing';
import type { Arg } from '../codecs/sqm-v2-message/types';

export interface BuildReq {
  key: string;
  cmd: 'requpload' | 'dataupload' | 'qryrsrc' | string;
  cmdArgs?: Record<string, string | number>;
  namespace?: { svc?: string; ptr?: string; gp?: string; app?: string; args?: Record<string, string> };
  ctrl?: Record<string, string | number>;
  contents?: Record<string, string | number>;
}

export interface BuildV2 {
  reqs: BuildReq[];
  /** Sessions laid end to end as the payload; `payload` args get size (and offsets are yours to give). */
  payload?: Buffer;
  payloadArgs?: Record<string, string | number>;
  os?: Record<string, string | number>;
  ctrl?: Record<string, string | number>;
  /** Omit the <payload> element even with a payload. */
  noPayloadElement?: boolean;
}

const attr = (s: string | number) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const args = (o: Record<string, string | number> = {}) => Object.entries(o).map(([nm, val]) => `<arg nm="${attr(nm)}" val="${attr(val)}" />`).join('');

export const DEFAULT_OS = { vermaj: 6, vermin: 2, verbld: 9200, versp: 0, arch: 9, lcid: 1033 };
export const DEFAULT_CTRL = { tm: '129579283005426872', mid: '{FE166778-8E09-4BD8-B840-DF6B79D40232}', sample: 46445977 };

export function buildV2Xml(o: BuildV2): string {
  const reqs = o.reqs.map((r) => {
    const ns = { svc: 'sqm', ptr: 'windows', gp: 'winsqm8', app: '6', ...r.namespace };
    const nsAttrs = (['svc', 'ptr', 'gp', 'app'] as const).map((k) => ` ${k}="${attr(ns[k])}"`).join('');
    const ctrl = r.ctrl ?? (r.cmd === 'dataupload' ? { startutc: '129579263664570000', endutc: '129579283005426872' } : {});
    return `<req key="${attr(r.key)}"><namespace${nsAttrs}>${args(r.namespace?.args)}</namespace><ctrl>${args(ctrl)}</ctrl>`
      + (r.contents ? `<contents>${args(r.contents)}</contents>` : '') + `<cmd nm="${attr(r.cmd)}">${args(r.cmdArgs)}</cmd></req>`;
  });
  const payloadArgs = o.payloadArgs ?? (o.payload ? { size: o.payload.length } : undefined);
  const payload = o.noPayloadElement || !payloadArgs ? '' : `<payload>${args(payloadArgs)}</payload>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><req ver="2"><tlm><src><desc><mach>`
    + `<os>${args(o.os ?? DEFAULT_OS)}</os><hw>${args({ form: 2, arch: 9 })}</hw><ctrl>${args(o.ctrl ?? DEFAULT_CTRL)}</ctrl>`
    + `</mach></desc></src><reqs>${payload}${reqs.join('')}</reqs></tlm></req>`;
}

/** The whole HTTP body: length prefix, XML, payload. */
export function buildV2Message(o: BuildV2): Buffer {
  return frameMessage(buildV2Xml(o), o.payload ?? Buffer.alloc(0));
}

/** Args of a response <cmd> by req key, parsed loosely from the answer XML (tests only). */
export function responseCommands(xml: string): Record<string, { nm: string; args: Record<string, string> }> {
  const out: Record<string, { nm: string; args: Record<string, string> }> = {};
  for (const m of xml.matchAll(/<resp key="([^"]*)">.*?<cmd nm="([^"]*)">(.*?)<\/cmd><\/resp>/g)) {
    const a: Record<string, string> = {};
    for (const x of m[3].matchAll(/<arg nm="([^"]*)" val="([^"]*)" \/>/g)) a[x[1]] = x[2];
    out[m[1]] = { nm: m[2], args: a };
  }
  return out;
}

export type { Arg };
