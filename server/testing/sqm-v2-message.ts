// Builds SQM v2 request messages for tests (MS-SQMCS2 2.2.2): a plausible Windows 8 machine
// description, the reqs you give (or one command: requpload, dataupload, qryrsrc), the payload after.

import { frameMessage } from '../codecs/sqm-v2-message/framing';
import type { Arg } from '../codecs/sqm-v2-message/types';

export interface BuildReq {
  key: string;
  /** `requpload`, `dataupload`, `qryrsrc`, or any other name (to test an unknown command). */
  cmd: string;
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
const args = (o: Record<string, string | number> = {}) =>
  Object.entries(o)
    .map(([nm, val]) => `<arg nm="${attr(nm)}" val="${attr(val)}" />`)
    .join('');

/** Every os arg MS-SQMCS2 2.2.2.7 requires, with the values of its 4.2 example (build 9200 here), plus ram. */
export const DEFAULT_OS = {
  vermaj: 6,
  vermin: 2,
  verbld: 9200,
  versp: 0,
  csdbld: 0,
  sku: 74,
  arch: 0,
  ntprodtype: 1,
  platid: 2,
  prodsuite: 256,
  geoid: 244,
  lcid: 1033,
  osinsty: 3,
  ram: 3070,
  tmsi: 16290,
};
/** The machine ctrl args MS-SQMCS2 2.2.2.9 requires (the 4.2 example's mid, sample and tm; scf, test and msft 0). */
export const DEFAULT_CTRL = { tm: '129579283005426872', mid: '{FE166778-8E09-4BD8-B840-DF6B79D40232}', sample: 46445977, scf: 0, test: 0, msft: 0 };

/**
 * The XML request of a v2 message (MS-SQMCS2 2.2.2.2), without the framing.
 * @example buildV2Xml({ reqs: [{ key: '1', cmd: 'requpload' }] })
 */
export function buildV2Xml(o: BuildV2): string {
  const reqs = o.reqs.map((r) => {
    const ns = { svc: 'sqm', ptr: 'windows', gp: 'winsqm8', app: '6', ...r.namespace };
    const nsAttrs = (['svc', 'ptr', 'gp', 'app'] as const).map((k) => ` ${k}="${attr(ns[k])}"`).join('');
    const ctrl = r.ctrl ?? (r.cmd === 'dataupload' ? { startutc: '129579263664570000', endutc: '129579283005426872' } : {});
    return (
      `<req key="${attr(r.key)}"><namespace${nsAttrs}>${args(r.namespace?.args)}</namespace><ctrl>${args(ctrl)}</ctrl>` +
      (r.contents ? `<contents>${args(r.contents)}</contents>` : '') +
      `<cmd nm="${attr(r.cmd)}">${args(r.cmdArgs)}</cmd></req>`
    );
  });
  const payloadArgs = o.payloadArgs ?? (o.payload ? { size: o.payload.length } : undefined);
  const payload = o.noPayloadElement || !payloadArgs ? '' : `<payload>${args(payloadArgs)}</payload>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><req ver="2"><tlm><src><desc><mach>` +
    `<os>${args(o.os ?? DEFAULT_OS)}</os><hw>${args({ form: 2, arch: 9 })}</hw><ctrl>${args(o.ctrl ?? DEFAULT_CTRL)}</ctrl>` +
    `</mach></desc></src><reqs>${payload}${reqs.join('')}</reqs></tlm></req>`
  );
}

/**
 * The whole HTTP body: length prefix, XML, payload (MS-SQMCS2 2.2.2.1).
 * @example await fetch(`${mock.url}/sqm/windows/sqmserver.dll`, { method: 'POST', body: buildV2Message({ reqs }) });
 */
export function buildV2Message(o: BuildV2): Buffer {
  return frameMessage(buildV2Xml(o), o.payload ?? Buffer.alloc(0));
}

interface V2Common {
  namespace?: BuildReq['namespace'];
  os?: BuildV2['os'];
  ctrl?: BuildV2['ctrl'];
}

/** One command, the way a Windows 8 client sends it (MS-SQMCS2 2.2.2.16). */
export type SqmV2MessageOptions =
  | (V2Common & { cmd: 'requpload'; key?: string })
  | (V2Common & { cmd: 'qryrsrc'; key?: string; /** The resource asked for; default `manifest`. */ name?: string })
  | (V2Common & {
      cmd: 'dataupload';
      /** The token a requpload was answered with. */
      token: string;
      /** SQM v1 sessions, laid end to end in the payload; one req each (offset, size). */
      sessions: readonly Uint8Array[];
      /** One key a session; default `1`, `2`, …. */
      keys?: readonly string[];
      /** Compresses the blob (e.g. `buildCabinet`): the payload gets comp="cab" and precompsize. */
      compress?: (raw: Buffer) => Buffer;
      /** The cmd's tm (a FILETIME in decimal); default the MS-SQMCS2 4.3 value. */
      tm?: string;
    });

const UPLOAD_TM = '129579283005582927';

function dataupload(o: Extract<SqmV2MessageOptions, { cmd: 'dataupload' }>): Buffer {
  const raw = Buffer.concat(o.sessions);
  const payload = o.compress ? o.compress(raw) : raw;
  const payloadArgs: Record<string, string | number> = o.compress ? { size: payload.length, comp: 'cab', precompsize: raw.length } : { size: payload.length };
  let offset = 0;
  const reqs = o.sessions.map((s, i): BuildReq => {
    const cmdArgs = { tm: o.tm ?? UPLOAD_TM, token: o.token, size: s.length, offset };
    offset += s.length;
    return { key: o.keys?.[i] ?? String(i + 1), cmd: 'dataupload', cmdArgs, namespace: o.namespace };
  });
  return buildV2Message({ os: o.os, ctrl: o.ctrl, payload, payloadArgs, reqs });
}

/**
 * A whole v2 body for one command: requpload, dataupload of sessions with their payload (optionally
 * compressed), or qryrsrc. For anything else (several commands, broken messages) use buildV2Message.
 * @example
 * const ask = buildSqmV2Message({ cmd: 'requpload' });
 * const send = buildSqmV2Message({ cmd: 'dataupload', token, sessions: [buildSqmSession()] });
 * const query = buildSqmV2Message({ cmd: 'qryrsrc', name: 'manifest' });
 */
export function buildSqmV2Message(o: SqmV2MessageOptions): Buffer {
  if (o.cmd === 'dataupload') return dataupload(o);
  const cmdArgs = o.cmd === 'qryrsrc' ? { name: o.name ?? 'manifest' } : undefined;
  return buildV2Message({ os: o.os, ctrl: o.ctrl, reqs: [{ key: o.key ?? '1', cmd: o.cmd, cmdArgs, namespace: o.namespace }] });
}

/**
 * Args of a response <cmd> by req key, parsed loosely from the answer XML (tests only).
 * @example const token = responseCommands(await res.text())['1'].args.token;
 */
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
