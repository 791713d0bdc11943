// CEIP corporate redirect (MS-CCEIP 3.1): POST /?partner=<service url>. A missing or invalid
// partner gets 400 (3.1.3); a valid one is captured and, when an upstream is configured, forwarded
// there with the upstream's status passed back (502 when it cannot be reached). Uploading data
// again after a success breaks 3.1.7 and is recorded.

import { createHash } from 'node:crypto';
import type { MockContext } from '../../context';
import type { Outcome, RequestHead, WireRequest } from '../../http/types';
import { textAnswer } from '../../http/types';
import type { FindingRecord } from '../../store/records';
import { forward, forwardHeaders, passHeaders } from '../../upstream/forward';
import { partnerFromQuery } from './partner';

export const ceipRoute = {
  name: 'ceip',
  claims: (head: RequestHead): boolean => head.pathname === '/' && (head.method === 'POST' || /(^|&)partner=/i.test(head.query.toString())),
  bodyLimit: (): number => 20 * 1024 * 1024,
  handle: (req: WireRequest, ctx: MockContext): Promise<Outcome> => handleCeip(req, ctx),
};

const finding = (rule: string, specRef: string, level: FindingRecord['level'], message: string): FindingRecord => ({ protocol: 'ceip', rule, specRef, level, message });

/** Where to send it: a partnerMap entry for this partner URL, else the upstream base + path and query. */
export function ceipTarget(ctx: MockContext, partner: string, url: string): string | null {
  const map = ctx.engine.scenario.ceip?.partnerMap ?? {};
  if (Object.prototype.hasOwnProperty.call(map, partner)) return map[partner];
  const base = ctx.engine.scenario.ceip?.upstream ?? ctx.config.upstream;
  return base ? base.replace(/\/+$/, '') + url : null;
}

async function handleCeip(req: WireRequest, ctx: MockContext): Promise<Outcome> {
  const q = req.url.indexOf('?');
  const parsed = partnerFromQuery(q < 0 ? '' : req.url.slice(q + 1));
  const base = { protocol: 'ceip' as const, partner: parsed.ok ? parsed.url : null };
  if (req.method !== 'POST') {
    return { ...base, answer: textAnswer(405, `ceip.method (MS-CCEIP 2.2): CEIP data is sent with POST, got ${req.method}`, { allow: 'POST' }),
      findings: [finding('ceip.method', 'MS-CCEIP 2.2', 'error', `sent with ${req.method}`)] };
  }
  if (!parsed.ok) {
    return { ...base, answer: textAnswer(400, `ceip.partner (MS-CCEIP 3.1.3): ${parsed.reason}`), findings: [finding('ceip.partner', 'MS-CCEIP 3.1.3', 'error', parsed.reason)] };
  }
  const sha = createHash('sha256').update(req.body).digest('hex');
  const findings: FindingRecord[] = [];
  if (ctx.store.queries.succeededBefore('ceip', sha)) {
    findings.push(finding('ceip.resent', 'MS-CCEIP 3.1.7', 'warning', 'the same CEIP data was uploaded again after a success answer'));
  }
  const decision = ctx.engine.decide({ protocol: 'ceip', method: req.method, path: req.url, partner: parsed.url });
  const r = decision.respond;
  const outcome = { ...base, ruleName: decision.ruleName, delivery: decision.delivery, findings };
  if (r && (r.status ?? r.body ?? r.headers) !== undefined) {
    const status = r.status ?? 200;
    return { ...outcome, answer: { status, headers: { ...(r.headers ?? {}) }, body: Buffer.from(r.body ?? '', 'utf8'), reason: status >= 400 ? `scenario answered ${status}` : undefined } };
  }
  const target = ceipTarget(ctx, parsed.url, req.url);
  if (!target) return { ...outcome, answer: { status: 200, headers: {}, body: Buffer.alloc(0) } };
  const headers = forwardHeaders(req.rawHeaders);
  const res = await forward({ url: target, method: 'POST', headers, body: req.body, ca: ctx.upstreamCa });
  const forwardRecord = { url: target, method: 'POST', requestHeaders: headers, requestBody: req.body, requestSha256: sha, ...res, responseHeaders: res.headers, responseBody: res.body };
  if (res.status === null) {
    return { ...outcome, forward: forwardRecord, answer: textAnswer(502, `ceip.upstream: ${target} could not be reached (${res.error})`) };
  }
  return { ...outcome, forward: forwardRecord, answer: { status: res.status, headers: passHeaders(res.headers), body: res.body } };
}
