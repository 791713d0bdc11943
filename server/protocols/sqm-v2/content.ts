// Message content checks beyond required args (MS-SQMCS2 3.2.5 step 3, "validates the message
// content as specified in section 2.2.2"): value formats, svc, the resource name, payload args and
// bytes no req refers to, the method of a requpload. Each is recorded; none changes an answer.

import type { Finding } from '../../wire/findings';
import { argValue, type Arg, type TpxsReq, type TpxsRequest } from '../../codecs/sqm-v2-message/types';
import { findingFor } from './rules';

const GUID = /^(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const U64_MAX = 2n ** 64n - 1n;
const isU64 = (v: string): boolean => /^\d{1,20}$/.test(v) && BigInt(v) <= U64_MAX;
const SAMPLE_MAX = 100_000_000n;

type Check = { nm: string; ok: (v: string) => boolean; expected: string };
const FILETIME = (nm: string): Check => ({ nm, ok: isU64, expected: 'a 64-bit decimal FILETIME' });

/** The value formats of 2.2.2.9 (machine ctrl), 2.2.2.14 (req ctrl) and 2.2.2.16.2 (dataupload cmd). */
const FORMATS: { where: (m: TpxsRequest, r: TpxsReq | null) => readonly Arg[]; checks: Check[]; section: string }[] = [
  {
    where: (m, r) => (r === null ? m.ctrl : []),
    section: '2.2.2.9',
    checks: [
      { nm: 'mid', ok: (v) => GUID.test(v), expected: 'a GUID' },
      // "in the range [1, 108]": 10^8 with its exponent lost in the text.
      { nm: 'sample', ok: (v) => /^\d{1,9}$/.test(v) && BigInt(v) >= 1n && BigInt(v) <= SAMPLE_MAX, expected: 'a decimal number in 1..10^8' },
      FILETIME('tm'),
    ],
  },
  { where: (_m, r) => r?.ctrl ?? [], section: '2.2.2.14', checks: [FILETIME('startutc'), FILETIME('endutc')] },
  { where: (_m, r) => (r?.cmd?.nm === 'dataupload' ? r.cmd.args : []), section: '2.2.2.16.2', checks: [FILETIME('tm')] },
];

const label = (r: TpxsReq | null): string => (r === null ? '<mach><ctrl>' : `<req key="${r.key}">`);

/** Value formats of the machine (`req` null) or one req; a missing arg is required.ts's business. */
function formats(msg: TpxsRequest, req: TpxsReq | null): Finding[] {
  const out: Finding[] = [];
  for (const f of FORMATS) {
    const args = f.where(msg, req);
    for (const c of f.checks) {
      const v = argValue(args, c.nm);
      if (v !== undefined && !c.ok(v)) {
        out.push(findingFor('sqm-v2.value-format', `${label(req)} arg "${c.nm}" is ${JSON.stringify(v)}; expected ${c.expected}`, { section: f.section }));
      }
    }
  }
  return out;
}

/** The machine-level findings of a message, once per message. */
export function machineContent(msg: TpxsRequest): Finding[] {
  const out = formats(msg, null);
  const payload = msg.payload ?? [];
  // 2.2.2.11: "If the SQM session binary data is not compressed, then the client MUST NOT include" precompsize.
  if (argValue(payload, 'precompsize') !== undefined && argValue(payload, 'comp') === undefined) {
    out.push(findingFor('sqm-v2.payload-args', '<payload> has precompsize but no comp; precompsize goes only with compressed data'));
  }
  return out;
}

/** One req's findings: its value formats, svc, the qryrsrc resource name and the method of a requpload. */
export function reqContent(msg: TpxsRequest, r: TpxsReq, method: string): Finding[] {
  const out = formats(msg, r);
  const svc = r.namespace?.svc;
  if (svc !== undefined && svc !== 'sqm') out.push(findingFor('sqm-v2.svc', `<req key="${r.key}"> namespace svc is "${svc}"; it MUST be "sqm"`));
  const name = r.cmd?.nm === 'qryrsrc' ? argValue(r.cmd.args, 'name') : undefined;
  if (name !== undefined && name !== 'manifest') {
    out.push(findingFor('sqm-v2.resource-name', `<req key="${r.key}"> qryrsrc name is "${name}"; it MUST be "manifest" (answered none)`));
  }
  // 3.1.5.2: a requpload is sent "by using HTTP(S) POST"; only the data upload may be a PUT (3.1.5.3).
  if (r.cmd?.nm === 'requpload' && method !== 'POST') {
    out.push(findingFor('sqm-v2.method', `<req key="${r.key}"> requpload came by ${method}; the request to upload is sent by POST`));
  }
  return out;
}

const decimal = (s: string | undefined): number | undefined => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);

/**
 * 2.2.2.16.2: "Each SQM session in the binary data payload MUST be referenced by a separate request
 * element" — the byte ranges of the (decompressed) payload that no dataupload's offset/size covers.
 */
export function unreferencedPayload(msg: TpxsRequest, length: number): Finding[] {
  if (length === 0) return [];
  const declared = msg.reqs.filter((r) => r.cmd?.nm === 'dataupload').map((r) => [decimal(argValue(r.cmd!.args, 'offset')), decimal(argValue(r.cmd!.args, 'size'))] as const);
  // A req without a decimal offset/size refers to bytes no one can tell: its own findings say so.
  if (declared.some(([o, s]) => o === undefined || s === undefined)) return [];
  const ranges = (declared as (readonly [number, number])[]).map(([o, s]) => [Math.min(o, length), Math.min(o + s, length)] as const).sort((a, b) => a[0] - b[0]);
  const gaps: string[] = [];
  let at = 0;
  for (const [from, to] of ranges) {
    if (from > at) gaps.push(`${at}..${from}`);
    at = Math.max(at, to);
  }
  if (at < length) gaps.push(`${at}..${length}`);
  if (gaps.length === 0) return [];
  const what = ranges.length === 0 ? 'no dataupload req refers to any of it' : `bytes ${gaps.join(', ')} are referred to by no dataupload req`;
  return [findingFor('sqm-v2.payload-unreferenced', `the ${length}-byte payload: ${what}`)];
}
