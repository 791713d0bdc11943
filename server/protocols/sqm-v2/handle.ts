// SQM v2 server role (MS-SQMCS2 3.2.5): framing, TPXS checks, then one answer per req —
// requpload → approved/throttle/error, dataupload → receipt/error, qryrsrc → rsrc/none.

import type { MockContext } from '../../context';
import type { RouteFacts } from '../../scenario/types';
import { answered, ownPart, plainAnswer } from '../../core/answer';
import type { Outcome, WireRequest } from '../../core/types';
import type { FindingRecord } from '../../store';
import type { Finding } from '../../wire/findings';
import { splitMessage, XML_LIMIT } from '../../codecs/sqm-v2-message/framing';
import { readPayload } from '../../codecs/sqm-v2-message/payload';
import { buildResponse, type RespCmd, type RespItem } from './response';
import { missingArgs } from './required';
import { machineContent, reqContent, unreferencedPayload } from './content';
import { DEFAULT_TOKEN_LIFETIME_S, issueToken } from './tokens';
import { parseTpxs } from '../../codecs/sqm-v2-message/tpxs';
import type { TpxsReq } from '../../codecs/sqm-v2-message/types';
import { argValue } from '../../codecs/sqm-v2-message/types';
import type { TokensSpec, V2Respond } from './schema';
import { clientKeyOf, judgeReq, rememberAnswer } from './conversation';
import type { V2State } from './state';
import { findingFor } from './rules';
import { tokenRow } from './store';
import { uploadSession } from './upload';
import type { V2Work } from './work';

/** The `when` keys a v2 `<req>` has facts for: partner (its namespace's `ptr`), command, namespace, mid (MS-SQMCS2 2.2.2). */
export const SQM_V2_MATCH_KEYS = ['partner', 'command', 'namespace', 'mid'] as const;

export const sqmV2BodyLimit = (partnerLimit: number): number => 4 + XML_LIMIT + partnerLimit;

const tag = (fs: Finding[], sessionIndex?: number): FindingRecord[] => fs.map((f) => ({ ...f, protocol: 'sqm-v2', sessionIndex }));

export function handleSqmV2(req: WireRequest, ctx: MockContext, state: V2State, partner: string | null): Outcome {
  const base = { protocol: 'sqm-v2', partner };
  const framed = splitMessage(req.body);
  const parsed = framed.value ? parseTpxs(framed.value.xml) : { value: null, findings: [] };
  const findings = tag([...framed.findings, ...parsed.findings]);
  // MS-SQMCS2 3.1.5.1: a malformed message gets HTTP 200 with an empty body.
  if (!framed.value || !parsed.value) return { ...base, answer: { status: 200, headers: {}, body: Buffer.alloc(0), reason: findings[0]?.message }, findings };
  const w: V2Work = {
    ctx,
    tokens: state.tokens,
    conversation: state.conversation,
    clientKey: clientKeyOf(parsed.value.ctrl),
    req,
    msg: parsed.value,
    xmlEnd: 4 + framed.value.xml.length,
    blob: null,
    blobError: null,
    taken: [],
    tokenRows: new Map(),
    sessionCount: 0,
    findings,
    rows: [],
  };
  const machineMissing = missingArgs(parsed.value, null);
  w.findings.push(...tag([...machineMissing.map((m) => m.finding), ...machineContent(parsed.value)]));
  if (parsed.value.reqs.some((r) => r.cmd?.nm === 'dataupload')) {
    const p = readPayload(parsed.value.payload, framed.value.payload, ctx.engine.maxUploadBytes(partner), req.cabFallback);
    w.blob = p.value;
    w.findings.push(...tag([...p.findings, ...(p.value ? unreferencedPayload(parsed.value, p.value.bytes.length) : [])]));
    w.blobError = p.value ? null : (p.findings.find((f) => f.level === 'error')?.message ?? 'payload unreadable');
  } else {
    w.findings.push(...tag(unreferencedPayload(parsed.value, framed.value.payload.length)));
  }
  // Rules are decided per req (their `when` sees each req's command and namespace); the first
  // matching rule also gives the message its delay/fault, and a plain answer replaces the XML.
  const decisions = parsed.value.reqs.map((r) =>
    ctx.engine.decide({
      protocol: 'sqm-v2',
      method: req.method,
      path: req.url,
      partner: r.namespace?.ptr ?? partner,
      command: r.cmd?.nm,
      namespace: r.namespace ?? undefined,
      mid: argValue(parsed.value!.ctrl, 'mid') ?? null,
    } satisfies RouteFacts<(typeof SQM_V2_MATCH_KEYS)[number]>),
  );
  const first = decisions.find((d) => d.ruleName !== null);
  // A plain answer (an outage, a proxy error page) means the service did not take the message:
  // no token is issued, no session stored.
  const plain = first && plainAnswer(first, { key: 'v2' });
  if (first && plain) return { ...base, ...answered(first, plain, true), findings: w.findings };
  const items: RespItem[] = parsed.value.reqs.map((r, i) => ({ key: r.key, namespace: r.namespace, cmd: answerReq(w, r, ownPart<V2Respond>(decisions[i], 'v2'), machineMissing) }));
  const answer = { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: Buffer.from(buildResponse(items), 'utf8') };
  // The first matching rule gives the message its delivery, and its name, whether or not its req had a v2 answer.
  const result = first ? answered(first, answer, true) : { answer, ruleName: null };
  return { ...base, clientKey: w.clientKey, ...result, rows: w.rows, findings: w.findings };
}

/** One req's answer, judged against the conversation before and remembered in it after. */
function answerReq(w: V2Work, r: TpxsReq, v2: V2Respond | undefined, machineMissing: ReturnType<typeof missingArgs>): RespCmd {
  judgeReq(w, r);
  const cmd = answerOwn(w, r, v2, machineMissing);
  rememberAnswer(w, r, cmd);
  return cmd;
}

function answerOwn(w: V2Work, r: TpxsReq, v2: V2Respond | undefined, machineMissing: ReturnType<typeof missingArgs>): RespCmd {
  const own = missingArgs(w.msg, r);
  // Each missing arg is a violation (required.ts), in lenient mode too; machine-level ones are recorded once, above.
  w.findings.push(...tag([...own.map((m) => m.finding), ...reqContent(w.msg, r, w.req.method)]));
  const missing = [...machineMissing, ...own].filter((m) => !m.soft);
  const ptr = r.namespace?.ptr;
  // MS-SQMCS2 2.2.2.13.2: the partner must be defined at the service (when the scenario lists partners).
  if (ptr !== undefined && !w.ctx.engine.knowsPartner(ptr)) {
    w.findings.push(...tag([findingFor('sqm-v2.unknown-partner', `<req key="${r.key}"> names partner "${ptr}", which the scenario does not list`)]));
    return { nm: 'error', retrv: 0, code: 'unknown-partner', message: `partner "${ptr}" is not defined at this service` };
  }
  if (missing.length > 0 && w.ctx.engine.strictness === 'strict') {
    const m = missing[0];
    return { nm: 'error', retrv: 0, code: 'missing-arg', message: m.finding.message };
  }
  if (v2?.error) return { nm: 'error', retrv: v2.error.retrv, code: v2.error.code, message: v2.error.message };
  switch (r.cmd?.nm) {
    case 'requpload':
      if (v2?.throttle) return { nm: 'throttle', period: v2.throttle.period, namespace: v2.throttle.namespace };
      return approve(w, r, v2?.approve?.lifetimeSeconds);
    case 'dataupload':
      return uploadSession(w, r);
    case 'qryrsrc':
      return resource(w, r, v2?.none === true);
    default:
      w.findings.push(...tag([findingFor('sqm-v2.unknown-command', `<req key="${r.key}">: command "${r.cmd?.nm}"`)]));
      return { nm: 'error', retrv: 0, code: 'unknown-command', message: `command "${r.cmd?.nm}" is not requpload, dataupload or qryrsrc (MS-SQMCS2 2.2.2.16)` };
  }
}

function approve(w: V2Work, r: TpxsReq, lifetime: number | undefined): RespCmd {
  const seconds = lifetime ?? (w.ctx.engine.scenario.tokens as TokensSpec | undefined)?.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_S;
  const t = issueToken(w.ctx.engine.nextTokenHex(), seconds, w.ctx.clock.nowMs());
  const ns = r.namespace;
  w.rows.push(
    tokenRow({
      token: t.token,
      issuedAt: t.issuedAt,
      expiresAt: t.expiresAt,
      expiresFiletime: t.expires,
      mid: argValue(w.msg.ctrl, 'mid') ?? null,
      namespace: ns ? { svc: ns.svc, ptr: ns.ptr, gp: ns.gp, app: ns.app, args: ns.args } : null,
    }),
  );
  return { nm: 'approved', token: t.token, expires: t.expires };
}

function resource(w: V2Work, r: TpxsReq, forceNone: boolean): RespCmd {
  const ptr = r.namespace?.ptr ?? '';
  const version = (w.ctx.engine.partner(ptr)?.manifest as { version?: number } | undefined)?.version;
  if (forceNone || argValue(r.cmd?.args ?? [], 'name') !== 'manifest' || version === undefined) return { nm: 'none' };
  return { nm: 'rsrc', ver: version, path: `sqm/${ptr}/manifests/Sqm${version}.bin` };
}
